/**
 * Carries out identity decisions against the Durable Objects: IdentityIndex lookups and compare-and-set
 * claims, UserProfile summaries and writes (modify: `modify.ts`). The decisions themselves are the pure `strategy.ts`.
 * A lost race on a unique id re-reads the index and decides again.
 */
import { identityIndexNameSync } from "../durable/identity-index";
import { type IngestExpectation, type ProfileIngest, type ProfileIngestResult, userProfileName } from "../durable/user-profile";
import { newMpid } from "../lib/ids";
import { BATCH_TO_IDSYNC, DEVICE_INFO_TO_IDSYNC, type Identity } from "./identity-types";
import { type KeepTypes, keptIdentities } from "./public-key";
import { decide, eligible, identitiesToAdd, isUnique, key, loggedIn, matchOrder, type Operation, type StrategyConfig } from "./strategy";
import { withoutBlocked } from "./blocked";

/** Decision rounds before giving up (the caller answers 503 or retries the message). */
const MAX_ROUNDS = 6;
/** A claim younger than this whose profile does not show the value yet is a write under way, not stale. */
const STALE_CLAIM_GRACE_MS = 60_000;

/** Pause before another round after a lost claim, so the winner's profile write can land. */
const backoff = (round: number) => new Promise((r) => setTimeout(r, 10 * (round + 1)));

/** `blocked`: the workspace's blocked identity values (src/identity/blocked.ts), refused as identities. */
export type IdentityContext = { env: Env; scope: string; config: StrategyConfig; blocked?: ReadonlySet<string> };

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

/** The IdentityIndex object of an identity value. */
export const index = (ctx: IdentityContext, id: Identity) => ctx.env.IDENTITY_INDEX.getByName(identityIndexNameSync(ctx.scope, id.type, id.value));
/** The UserProfile object of an MPID. */
export const profile = (ctx: IdentityContext, mpid: string) => ctx.env.USER_PROFILE.getByName(userProfileName(ctx.scope, mpid));

/**
 * Per-isolate memo: unique identity (scope, type, value) → the profile last seen holding it. A hint, never
 * trusted on its own: the profile it names is asked to prove it (`ingestIf`, or the summary for identify),
 * and a profile that no longer holds the value, or no longer exists, sends the caller to the index. Only
 * unique identities (one holder at a time, enforced by IdentityIndex claims) are memoized, so the holder is
 * the owner the index would name. Saves the IdentityIndex lookup of a known user's batch or identify.
 */
const OWNER_MEMO_MAX = 50_000;
const ownerMemo = new Map<string, string>();
const memoKey = (ctx: IdentityContext, id: Identity) => `${ctx.scope}\u0000${id.type}\u0000${id.value}`;

function memoized(ctx: IdentityContext, id: Identity | undefined): string | undefined {
  return id && isUnique(id.type, ctx.config) ? ownerMemo.get(memoKey(ctx, id)) : undefined;
}

/** Remembers that `mpid` holds `id` (unique ids only); the oldest entries go first past the bound. */
function remember(ctx: IdentityContext, id: Identity | undefined, mpid: string, held: Identity[]): void {
  if (!id || !isUnique(id.type, ctx.config) || !held.some((h) => h.type === id.type && h.value === id.value)) return;
  const k = memoKey(ctx, id);
  ownerMemo.delete(k);
  ownerMemo.set(k, mpid);
  if (ownerMemo.size > OWNER_MEMO_MAX) ownerMemo.delete(ownerMemo.keys().next().value!);
}

function forget(ctx: IdentityContext, id: Identity | undefined): void {
  if (id) ownerMemo.delete(memoKey(ctx, id));
}

/** Empties the memo (tests). */
export function clearOwnerMemo(): void {
  ownerMemo.clear();
}

/** Owners of every identity value, most recent first. */
export async function lookupAll(ctx: IdentityContext, ids: Identity[]): Promise<Map<string, string[]>> {
  const owners = new Map<string, string[]>();
  await Promise.all(ids.map(async (id) => owners.set(key(id), await index(ctx, id).lookup())));
  return owners;
}

/** Identities of the given profiles (only those that exist). */
export async function loadProfiles(ctx: IdentityContext, mpids: Iterable<string>): Promise<Map<string, Identity[]>> {
  const profiles = new Map<string, Identity[]>();
  await Promise.all(
    [...new Set(mpids)].map(async (m) => {
      const s = await profile(ctx, m).summary();
      if (s.exists) profiles.set(m, s.identities);
    }),
  );
  return profiles;
}

/**
 * Claims `ids` for `mpid`. Returns the unique ids another profile really holds (a lost race); an index
 * entry whose owner no longer holds the value is taken over.
 */
export async function claimAll(ctx: IdentityContext, mpid: string, ids: Identity[], owners: Map<string, string[]>): Promise<Identity[]> {
  const lost: Identity[] = [];
  await Promise.all(
    ids.map(async (id) => {
      const unique = isUnique(id.type, ctx.config);
      const stub = index(ctx, id);
      const after = await stub.claim(mpid, unique);
      owners.set(key(id), after);
      const others = after.filter((o) => o !== mpid);
      if (!unique || others.length === 0) return;
      const held = await loadProfiles(ctx, others);
      const real = others.some((o) => held.get(o)?.some((h) => h.type === id.type && h.value === id.value));
      if (real) return void lost.push(id);
      // The owner does not hold the value: a stale entry is taken over, a fresh claim is respected.
      const now = await stub.takeOverIfStale(mpid, others, STALE_CLAIM_GRACE_MS);
      owners.set(key(id), now);
      if (now.some((o) => o !== mpid)) lost.push(id);
    }),
  );
  return lost;
}

/** Removes `mpid` from the owners of each identity value. */
export async function releaseAll(ctx: IdentityContext, mpid: string, ids: Identity[]): Promise<void> {
  await Promise.all(ids.map(async (id) => index(ctx, id).release(mpid)));
}

export type IdentityResult =
  | { status: "ok"; mpid: string; loggedIn: boolean; created: boolean; matched: Identity[]; identities: Identity[] }
  | { status: "not_found" }
  | { status: "error"; code: string; message: string };

/**
 * identify / search / login / logout (mparticle-api.md §3.3–3.4). `opts.publicKey`: the request carries the
 * public key alone, so no login identity the chosen profile holds is replaced (src/identity/public-key.ts).
 */
export async function identityRequest(ctx: IdentityContext, op: Operation, requested: Identity[], previousMpid?: string, opts: { publicKey?: boolean } = {}): Promise<IdentityResult> {
  const keep: KeepTypes | undefined = opts.publicKey ? ctx.config.loginIds : undefined;
  // Blocked values are not identities: a request is answered as if it had not carried them.
  const ids = withoutBlocked(requested, ctx.blocked).ids;
  const usable = op === "logout" ? ids.filter((id) => !ctx.config.loginIds.includes(id.type)) : ids;
  const owners = new Map<string, string[]>();
  let known: { mpid: string; summary: { exists: boolean; identities: Identity[] } } | undefined;
  // Known user, identify or search: the most recent owner of the first identity `match` walks answers if it
  // holds every requested identity and is eligible for them — decide's first step — with nothing to add.
  const first = op === "identify" || op === "search" ? matchOrder(ids, ctx.config)[0] : undefined;
  if (first) {
    const answers = (summary: { exists: boolean; identities: Identity[] }) =>
      summary.exists && ids.every((id) => summary.identities.some((h) => h.type === id.type && h.value === id.value)) && eligible(summary.identities, ids, ctx.config);
    // The memoized holder of a unique first identity first (one call), then the index's owner.
    const memo = memoized(ctx, first);
    if (memo) {
      const summary = await profile(ctx, memo).summary();
      if (answers(summary)) return { status: "ok", mpid: memo, loggedIn: loggedIn(summary.identities, ids, ctx.config), created: false, matched: ids, identities: summary.identities };
      forget(ctx, first);
      known = { mpid: memo, summary };
    }
    const found = await index(ctx, first).lookup();
    owners.set(key(first), found);
    if (found[0] && found[0] !== known?.mpid) {
      const summary = await profile(ctx, found[0]).summary();
      if (answers(summary)) {
        remember(ctx, first, found[0], summary.identities);
        return { status: "ok", mpid: found[0], loggedIn: loggedIn(summary.identities, ids, ctx.config), created: false, matched: ids, identities: summary.identities };
      }
      known = { mpid: found[0], summary };
    }
  }
  for (const [k, v] of await lookupAll(ctx, ids.filter((id) => !owners.has(key(id))))) owners.set(k, v);
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const candidates = [...owners.values()].flat();
    if (previousMpid) candidates.push(previousMpid);
    const profiles = await loadProfiles(ctx, known ? candidates.filter((m) => m !== known!.mpid) : candidates);
    if (known?.summary.exists && candidates.includes(known.mpid)) profiles.set(known.mpid, known.summary.identities);
    known = undefined; // later rounds read again
    const d = decide({ op, ids, owners, profiles, previousMpid, config: ctx.config });
    if (d.kind === "not_found") return { status: "not_found" };
    if (d.kind === "error") return { status: "error", code: d.code, message: d.message };
    const mpid = d.kind === "existing" ? d.mpid : newMpid();
    const held = profiles.get(mpid) ?? [];
    const matched = ids.filter((id) => held.some((h) => h.type === id.type && h.value === id.value));
    const add = op === "search" ? [] : keptIdentities(identitiesToAdd(usable, held, owners, mpid, ctx.config), held, keep, ctx.config);
    const lost = await claimAll(ctx, mpid, add, owners);
    if (lost.length) {
      await releaseAll(ctx, mpid, add.filter((id) => !lost.includes(id)));
      await backoff(round);
      continue;
    }
    let identities = held;
    if (d.kind === "new" || add.length) {
      const applied = await profile(ctx, mpid).applyIdentities(mpid, { add, remove: [], multiValued: ctx.config.strategy === "best_match", ...(keep ? { keep } : {}) });
      // Replaced values, and claimed ones the profile kept out (it gained another value meanwhile), leave the index.
      await releaseAll(ctx, mpid, [...applied.replaced, ...notHeld(add, applied.identities)]);
      identities = applied.identities;
    }
    // Logged in when the profile now holds a login id the request carried (a conversion just added it).
    const isLoggedIn = op !== "logout" && loggedIn(identities, ids, ctx.config);
    remember(ctx, first, mpid, identities);
    return { status: "ok", mpid, loggedIn: isLoggedIn, created: d.kind === "new", matched, identities };
  }
  throw new Error("identity resolution did not settle");
}

/** Whether `list` contains `id`. */
export const holds = (list: Identity[], id: Identity) => list.some((h) => h.type === id.type && h.value === id.value);
/** Identities of `ids` that `held` does not contain. */
export const notHeld = (ids: Identity[], held: Identity[]) => ids.filter((id) => !holds(held, id));

/** `blocked`: identities of the batch refused because their value is blocked in the workspace. */
export type Resolved = { mpid: string; profile: ProfileIngestResult; created: boolean; blocked: number };

/**
 * Known-user fast path of `resolveBatch`: the profile the batch would resolve to, if it can be named
 * without the other lookups, and what it must hold for that to be the decision.
 * - With an `mpid`: that profile, if it holds every identity of the batch (nothing to claim).
 * - Without: the most recent owner of the first identity `match` walks, if it holds every identity of the
 *   batch and is eligible for them under the strategy — `decide` would return it at that first step, and
 *   every identity is already its own (nothing to claim, nothing another profile holds uniquely is added).
 * `ingestIf` checks the condition atomically inside the profile; when it does not hold, its summary feeds
 * the full path.
 */
async function fastCandidate(ctx: IdentityContext, batch: BatchLike, ids: Identity[], first: Identity | undefined, owners: Map<string, string[]>): Promise<{ mpid: string; expect: IngestExpectation; memo?: boolean } | null> {
  if (batch.mpid) return { mpid: batch.mpid, expect: { holds: ids } };
  if (!first) return null;
  const memo = memoized(ctx, first);
  if (memo) return { mpid: memo, expect: { holds: ids, eligibleFor: ctx.config }, memo: true };
  const found = await index(ctx, first).lookup();
  owners.set(key(first), found);
  return found[0] ? { mpid: found[0], expect: { holds: ids, eligibleFor: ctx.config } } : null;
}

/**
 * Gives a batch its MPID (its own `mpid`, else the identify logic) and applies it to that profile.
 * With `create: false` (input protection "Only Update") an unknown user yields null.
 * A known user whose profile already holds the batch's identities takes 1 (with `mpid`) or 2 Durable
 * Object calls (first lookup + `ingestIf`); anything else goes the full way (every lookup, summaries,
 * decide, claims, ingest).
 */
export async function resolveBatch(
  ctx: IdentityContext,
  batch: BatchLike,
  ingest: Omit<ProfileIngest, "mpid" | "identities" | "multiValued">,
  opts: { create: boolean },
): Promise<Resolved | null> {
  const { ids, refused: blocked } = withoutBlocked(batchIdentities(batch), ctx.blocked);
  const multiValued = ctx.config.strategy === "best_match";
  const owners = new Map<string, string[]>();
  // Summaries already read in this call (null: no such profile), used once by the first round.
  let known = new Map<string, Identity[] | null>();
  const first = batch.mpid ? undefined : matchOrder(ids, ctx.config)[0];
  const fast = await fastCandidate(ctx, batch, ids, first, owners);
  if (fast) {
    const r = await profile(ctx, fast.mpid).ingestIf(fast.expect, { ...ingest, mpid: fast.mpid, identities: ids, multiValued });
    if (r.status === "ok") {
      await releaseAll(ctx, fast.mpid, r.result.replaced);
      remember(ctx, first, fast.mpid, r.result.identities);
      return { mpid: fast.mpid, profile: r.result, created: false, blocked };
    }
    if (fast.memo) forget(ctx, first);
    known.set(fast.mpid, r.exists ? r.identities : null);
  }
  const rest = ids.filter((id) => !owners.has(key(id)));
  for (const [k, v] of await lookupAll(ctx, rest)) owners.set(k, v);
  const load = async (mpids: string[]) => {
    const profiles = await loadProfiles(ctx, mpids.filter((m) => !known.has(m)));
    for (const [m, held] of known) if (held && mpids.includes(m)) profiles.set(m, held);
    known = new Map(); // later rounds read again
    return profiles;
  };
  for (let round = 0; round < MAX_ROUNDS; round++) {
    let mpid: string;
    let created = false;
    let held: Identity[];
    if (batch.mpid) {
      const profiles = await load([batch.mpid]);
      if (!profiles.has(batch.mpid) && !opts.create) return null;
      mpid = batch.mpid;
      created = !profiles.has(mpid);
      held = profiles.get(mpid) ?? [];
    } else {
      const profiles = await load([...owners.values()].flat());
      const d = decide({ op: "identify", ids, owners, profiles, config: ctx.config });
      if (d.kind !== "existing" && !opts.create) return null;
      mpid = d.kind === "existing" ? d.mpid : newMpid();
      created = d.kind !== "existing";
      held = profiles.get(mpid) ?? [];
    }
    // A batch with `keep` (public key) adds no value that would replace one the profile holds.
    const usable = keptIdentities(identitiesToAdd(ids, [], owners, mpid, ctx.config), held, ingest.keep, ctx.config);
    const toClaim = usable.filter((id) => !held.some((h) => h.type === id.type && h.value === id.value));
    const lost = await claimAll(ctx, mpid, toClaim, owners);
    if (lost.length && !batch.mpid) {
      await releaseAll(ctx, mpid, toClaim.filter((id) => !lost.includes(id)));
      await backoff(round);
      continue;
    }
    const identities = usable.filter((id) => !lost.includes(id));
    const stub = profile(ctx, mpid);
    const res = await stub.ingest({ ...ingest, mpid, identities, multiValued });
    // Replaced values, and claimed ones the profile kept out (`keep`: it gained another value meanwhile), leave the index.
    await releaseAll(ctx, mpid, [...res.replaced, ...notHeld(toClaim.filter((id) => !lost.includes(id)), res.identities)]);
    // A unique id the profile (re)gained in this batch without a claim of ours (a concurrent batch replaced
    // and released it in between) is claimed now; if another profile owns it meanwhile, it is removed here.
    const claimed = new Set(toClaim.map(key));
    const regained = res.identities.filter((i) => i.createdThisBatch && isUnique(i.type, ctx.config) && !claimed.has(key(i)));
    if (regained.length) {
      const lostAgain = await claimAll(ctx, mpid, regained, owners);
      if (lostAgain.length) {
        await stub.removeIdentities(lostAgain);
        forget(ctx, first);
        return { mpid, profile: res, created, blocked };
      }
    }
    remember(ctx, first, mpid, res.identities);
    return { mpid, profile: res, created, blocked };
  }
  throw new Error("identity resolution did not settle");
}
