/**
 * The foundation's identity strategy (mparticle-api.md §3.7 "Default"): customer id is the unique and login
 * id; other ids are looked up by the default priority. Pure: the resolver does the Durable Object calls.
 * The full IDSync strategies (conversion, link, isolation, best match) arrive with the IDSync issue.
 */
import { byPriority, type Identity } from "./identity-types";

/** Identity types of which only one profile may hold a given value. */
export const UNIQUE_TYPES = new Set(["customerid"]);

export type Decision = {
  /** The profile to use; null means "create a new MPID". */
  mpid: string | null;
  /** The identity type that matched, when an existing profile was found. */
  matchedBy?: string;
  /** Identities to claim in the index for the chosen profile (currently unowned). */
  claims: Identity[];
  /** Identities to record on the profile (a unique id owned by another profile is left out). */
  profileIds: Identity[];
};

/**
 * Decides which profile a batch belongs to from the current owners of its identities.
 * `owners` maps identity type → owning MPID (null when unclaimed); `explicitMpid` is the batch's own `mpid`.
 */
export function decideDefault(ids: Identity[], owners: Map<string, string | null>, explicitMpid?: string): Decision {
  const sorted = byPriority(ids);
  let mpid: string | null = explicitMpid ?? null;
  let matchedBy: string | undefined = explicitMpid ? "mpid" : undefined;
  if (!mpid) {
    const hit = sorted.find((id) => owners.get(id.type));
    if (hit) {
      mpid = owners.get(hit.type)!;
      matchedBy = hit.type;
    }
  }
  const claims = sorted.filter((id) => !owners.get(id.type));
  const profileIds = sorted.filter((id) => {
    const owner = owners.get(id.type);
    return !owner || owner === mpid || !UNIQUE_TYPES.has(id.type);
  });
  return { mpid, matchedBy, claims, profileIds };
}
