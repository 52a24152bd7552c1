/** Finding profiles by MPID or by any identity value (the console's User Activity; the Profile API's search does the same). */
import { identityIndexName } from "../durable/identity-index";
import { type ProfileView, userProfileName } from "../durable/user-profile";
import { BATCH_TO_IDSYNC } from "../identity/identity-types";
import { normalizeMpid } from "../schema/batch";
import { IDSYNC_TYPES } from "../schema/identity";

/** Most profiles one search returns. */
export const SEARCH_MAX_PROFILES = 10;

/** Profiles of `scope` whose MPID is `value` or that hold `value` as an identity (of `type`, else of any type). */
export async function findProfiles(env: Pick<Env, "IDENTITY_INDEX" | "USER_PROFILE">, scope: string, workspaceId: number, value: string, type?: string): Promise<ProfileView[]> {
  const types = type ? [BATCH_TO_IDSYNC[type] ?? type] : [...IDSYNC_TYPES];
  const owners = new Set<string>();
  const mpid = normalizeMpid(value);
  if (!type && mpid) owners.add(mpid);
  await Promise.all(types.map(async (t) => (await env.IDENTITY_INDEX.getByName(await identityIndexName(scope, t, value)).lookup()).forEach((m) => owners.add(m))));
  const found: ProfileView[] = [];
  for (const owner of [...owners].slice(0, SEARCH_MAX_PROFILES)) {
    const view = await env.USER_PROFILE.getByName(userProfileName(scope, owner)).profile(workspaceId);
    // Only profiles that still hold the value (the index may list a value a profile replaced).
    if (view && (view.mpid === value || view.identities.some((i) => i.value === value))) found.push(view);
  }
  return found;
}
