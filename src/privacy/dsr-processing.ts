/**
 * Data subject request processing (erasure, access, portability) — the contract the DSR API
 * (src/routes/dsr) calls from its cron pass: subject resolution (erasure-subject.ts), erasure of our data
 * (erasure.ts), exports (export.ts) and forwarding to partners (erasure-forwarding.ts).
 */
import type { DsrSubject } from "../integrations/runtime/types";
import { log } from "../lib/log";
import { eraseSubject } from "./erasure";
import { forwardDsr, partnersDone } from "./erasure-forwarding";
import { resolveSubject, subjectScope, uniqueIdentities } from "./erasure-subject";
import { buildExport } from "./export";
import type { DsrIdentity, DsrStep, DsrWork, PartnerDsrStatus } from "./dsr-types";
import type { DsrExport } from "./export-types";

export type { DsrIdentity, DsrStep, DsrWork, PartnerDsrStatus };

/** Why a v3 request is not carried out when its identities resolve to several profiles. */
export const ambiguousSubject = (n: number) =>
  `the subject's identities resolve to ${n} profiles; API v3 requires them to resolve to a single MPID, so nothing was erased, exported or forwarded. Resubmit naming one mpid (opendsr.mparticle.com extension) per profile you have verified, or fewer identities.`;

/** Idempotent, resumable: the first call resolves the subject to MPIDs, exports (access/portability) or erases (erasure) our stored data and forwards to partners; later calls only retry partners that are not done. */
export async function processDsr(env: Env, work: DsrWork): Promise<DsrStep> {
  const requested = work.identities.filter((i) => i.type !== "mpid");
  // Later calls: our part is done (its outcome is in `mpids` / `partnerStatus`); only pending partners are retried.
  if (work.mpids.length > 0 || work.partnerStatus.length > 0) {
    const partnerStatus = await forwardDsr(env, work, await partnerSubject(env, work, requested, work.mpids), work.partnerStatus);
    return { done: partnersDone(partnerStatus), mpids: work.mpids, identities: work.identities, partnerStatus };
  }
  const scope = await subjectScope(env, work.workspaceId);
  // A workspace deleted after the request came in: no identity scope, no outputs; retrying cannot help.
  if (!scope) return { done: true, mpids: [], identities: work.identities, partnerStatus: [], failed: `workspace ${work.workspaceId} no longer exists: nothing was erased, exported or forwarded` };
  const subject = await resolveSubject(env, scope.scope, work.identities);
  const identities = uniqueIdentities(subject.identities, work.identities);
  if ((work.apiVersion ?? "3.0") === "3.0" && subject.mpids.length > 1) {
    log.warn("dsr subject ambiguous", { workspace_id: work.workspaceId, dsr_id: work.id, mpids: subject.mpids.length });
    return { done: true, mpids: subject.mpids, identities: work.identities, partnerStatus: [], failed: ambiguousSubject(subject.mpids.length) };
  }
  let results: DsrExport | undefined;
  if (work.requestType === "erasure") {
    const report = await eraseSubject(env, scope, subject, requested, work.id);
    log.info("dsr erasure done", { workspace_id: work.workspaceId, dsr_id: work.id, mpids: subject.mpids.length, ...report });
  } else {
    results = await buildExport(env, work, scope, subject);
    log.info("dsr export built", { workspace_id: work.workspaceId, dsr_id: work.id, mpids: subject.mpids.length, profiles: results.profiles.length });
  }
  const partnerStatus = await forwardDsr(env, work, await partnerSubject(env, work, subject.identities, subject.mpids), []);
  return { done: partnersDone(partnerStatus), mpids: subject.mpids, identities, partnerStatus, ...(results ? { results } : {}) };
}

/** What partners receive: every known identity (no `mpid` entries), the MPIDs and the submission time. */
async function partnerSubject(env: Env, work: DsrWork, identities: DsrIdentity[], mpids: string[]): Promise<DsrSubject> {
  const row = await env.DB.prepare(`SELECT submitted_time, received_at FROM dsr_requests WHERE id = ?`).bind(work.id).first<{ submitted_time: string | null; received_at: number }>();
  return {
    subjectRequestId: work.subjectRequestId,
    requestType: work.requestType,
    regulation: work.regulation,
    submittedTime: row?.submitted_time ?? new Date(row?.received_at ?? Date.now()).toISOString(),
    identities: uniqueIdentities(identities.filter((i) => i.type !== "mpid")),
    mpids,
  };
}
