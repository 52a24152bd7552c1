/**
 * Erasure of our own stored data for a resolved DSR subject: dead letters, identity index entries, the
 * UserProfile objects, identity values partners echoed into system alerts, and the copies other DSR requests
 * hold (exports, request bodies; `erasure-requests.ts`).
 *
 * Order makes a retry after a crash complete: everything a retry could no longer find is removed while the
 * subject still resolves (dead letters, index entries of identities the request did not name), then the
 * profiles, and the index entries of the request's own identities last — a retry resolves the request's
 * identities to the same MPIDs and finishes (`dangling` entries whose profile is already gone).
 */
import { identityIndexName } from "../durable/identity-index";
import { userProfileName } from "../durable/user-profile";
import type { Identity } from "../identity/identity-types";
import { key } from "../identity/strategy";
import { redactAlerts } from "./erasure-alerts";
import { eraseDeadLetters, findDeadLetters, identitiesOfBatch } from "./erasure-dead-letters";
import { redactOtherRequests } from "./erasure-requests";
import { type ResolvedSubject, type SubjectScope, uniqueIdentities } from "./erasure-subject";

export type ErasureReport = {
  profiles: number;
  indexEntries: number;
  deadLetters: number;
  deadLettersRewritten: number;
  alerts: number;
  /** Other DSR requests whose export was removed, and closed ones whose identities were redacted. */
  requestResultsCleared: number;
  requestsRedacted: number;
};

/**
 * Erases the subject's data in our storage; idempotent. `requested` are the request's own identities (no
 * `mpid`); `requestId` is the DSR request being processed (its own row is redacted when it completes).
 */
export async function eraseSubject(env: Env, scope: SubjectScope, subject: ResolvedSubject, requested: Identity[], requestId: string | null = null): Promise<ErasureReport> {
  const report: ErasureReport = { profiles: 0, indexEntries: 0, deadLetters: 0, deadLettersRewritten: 0, alerts: 0, requestResultsCleared: 0, requestsRedacted: 0 };
  const release = async (id: Identity, mpid: string) => {
    if (await env.IDENTITY_INDEX.getByName(await identityIndexName(scope.scope, id.type, id.value)).erase(mpid)) report.indexEntries++;
  };

  // 1. Dead letters (their batches may name identities the profile no longer lists: released below).
  const letters = await findDeadLetters(env, scope.workspaceIds, subject);
  const fromLetters = new Map<string, Identity[]>();
  for (const m of letters) {
    for (const b of m.batches as Record<string, unknown>[]) {
      const mpid = typeof b.mpid === "string" || typeof b.mpid === "number" ? String(b.mpid) : "";
      if (subject.mpids.includes(mpid)) fromLetters.set(mpid, uniqueIdentities(fromLetters.get(mpid) ?? [], identitiesOfBatch(b)));
    }
  }
  const erased = await eraseDeadLetters(env, letters);
  report.deadLetters = erased.deleted;
  report.deadLettersRewritten = erased.rewritten;

  const named = new Set(requested.map(key));
  for (const mpid of subject.mpids) {
    const profile = env.USER_PROFILE.getByName(userProfileName(scope.scope, mpid));
    // 2. Index entries of every identity the profile holds (or held, per its dead letters), except the request's.
    const held = (await profile.summary()).identities;
    const others = uniqueIdentities(held, fromLetters.get(mpid) ?? []).filter((i) => !named.has(key(i)));
    const released = new Set(others.map(key));
    await Promise.all(others.map((i) => release(i, mpid)));
    // 3. The profile's whole storage; identities that arrived meanwhile are released with the request's.
    const gone = await profile.eraseAll();
    if (gone.existed) report.profiles++;
    // 4. The request's identities (and late arrivals) last.
    const last = uniqueIdentities(requested, gone.identities.filter((i) => !released.has(key(i))));
    await Promise.all(last.map((i) => release(i, mpid)));
  }
  // A retry after a crash between 3 and 4: the request's identities still point to an erased profile.
  await Promise.all(subject.dangling.map((d) => release(d.identity, d.mpid)));

  // 5. Values partners echoed into system alerts.
  report.alerts = await redactAlerts(env, [...subject.mpids, ...subject.identities.map((i) => i.value), ...requested.map((i) => i.value)]);

  // 6. Other DSR requests of the scope's workspaces: exports cleared, closed requests redacted.
  const requests = await redactOtherRequests(env, scope.workspaceIds, requestId, { mpids: subject.mpids, identities: uniqueIdentities(subject.identities, requested) });
  report.requestResultsCleared = requests.resultsCleared;
  report.requestsRedacted = requests.redacted;
  return report;
}
