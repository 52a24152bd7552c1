/**
 * Gives a batch its MPID and applies it to the user's profile: lookups in IdentityIndex, the pure strategy
 * decision, compare-and-set claims, then UserProfile.ingest(). A lost race on a unique id re-resolves.
 */
import { identityIndexName } from "../durable/identity-index";
import { type ProfileIngest, type ProfileIngestResult, userProfileName } from "../durable/user-profile";
import { newMpid } from "../lib/ids";
import { decideDefault, UNIQUE_TYPES } from "./default-strategy";
import { BATCH_TO_IDSYNC, DEVICE_INFO_TO_IDSYNC, type Identity } from "./identity-types";

/** Resolution rounds before giving up (the message is then retried by the queue). */
const MAX_ROUNDS = 4;

type BatchLike = {
  mpid?: string;
  mp_deviceid?: unknown;
  user_identities?: Record<string, unknown> | null;
  device_info?: Record<string, unknown> | null;
};

/** The identities of a batch in IDSync vocabulary: user identities, device ids of `device_info`, `mp_deviceid`. */
export function batchIdentities(batch: BatchLike): Identity[] {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(batch.user_identities ?? {})) {
    const type = BATCH_TO_IDSYNC[k];
    if (type && typeof v === "string" && v !== "") out.set(type, v);
  }
  for (const [k, v] of Object.entries(batch.device_info ?? {})) {
    const type = DEVICE_INFO_TO_IDSYNC[k];
    if (type && typeof v === "string" && v !== "") out.set(type, v);
  }
  if (typeof batch.mp_deviceid === "string" && batch.mp_deviceid) out.set("device_application_stamp", batch.mp_deviceid);
  return [...out].map(([type, value]) => ({ type, value }));
}

export type Resolved = { mpid: string; profile: Extract<ProfileIngestResult, { status: "ok" }>; matchedBy?: string };

/**
 * Resolves the MPID for `batch` within identity `scope` and ingests it into that profile.
 * `owners` is an optional per-invocation memo of identity-index lookups (name → owner).
 */
export async function resolveAndIngest(
  env: Env,
  scope: string,
  batch: BatchLike,
  ingest: Omit<ProfileIngest, "mpid" | "identities">,
  memo: Map<string, string> = new Map(),
): Promise<Resolved> {
  const ids = batchIdentities(batch);
  const names = await Promise.all(ids.map((id) => identityIndexName(scope, id.type, id.value)));
  const stub = (i: number) => env.IDENTITY_INDEX.getByName(names[i]!);
  const owners = new Map<string, string | null>();
  await Promise.all(
    ids.map(async (id, i) => {
      owners.set(id.type, memo.get(names[i]!) ?? (await stub(i).lookup()));
    }),
  );

  let forced: string | undefined = batch.mpid;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const d = decideDefault(ids, owners, forced);
    const mpid = d.mpid ?? newMpid();
    const idx = (id: Identity) => ids.indexOf(id);
    const claimed: number[] = [];
    let lost = false;
    await Promise.all(
      d.claims.map(async (id) => {
        const i = idx(id);
        const owner = await stub(i).claim(mpid);
        owners.set(id.type, owner);
        if (owner === mpid) claimed.push(i);
        else if (UNIQUE_TYPES.has(id.type) && !batch.mpid) lost = true;
      }),
    );
    const release = () => Promise.all(claimed.map((i) => stub(i).release(mpid)));
    if (lost) {
      await release();
      forced = batch.mpid;
      continue;
    }
    const identities = d.profileIds.filter((id) => !UNIQUE_TYPES.has(id.type) || owners.get(id.type) === mpid);
    const res = await env.USER_PROFILE.getByName(userProfileName(scope, mpid)).ingest({ ...ingest, mpid, identities });
    if (res.status === "ok") {
      ids.forEach((id, i) => owners.get(id.type) && memo.set(names[i]!, owners.get(id.type)!));
      return { mpid, profile: res, matchedBy: d.matchedBy };
    }
    // The matched profile holds another customer id: this batch is a different user.
    await release();
    for (const i of claimed) owners.set(ids[i]!.type, null);
    if (batch.mpid) {
      // The batch named its MPID explicitly: keep it, without the conflicting unique id.
      const kept = identities.filter((id) => !UNIQUE_TYPES.has(id.type));
      const again = await env.USER_PROFILE.getByName(userProfileName(scope, mpid)).ingest({ ...ingest, mpid, identities: kept });
      if (again.status === "ok") return { mpid, profile: again, matchedBy: "mpid" };
    }
    forced = newMpid();
  }
  throw new Error("identity resolution did not settle");
}
