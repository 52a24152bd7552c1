/**
 * Access / portability: one JSON document with everything we store about the subject in the request's
 * workspace — each profile (identities, devices, attributes, consent and other per-user tables, event
 * history, alias roles) and the batches kept as dead letters, within a size cap (export-limits.ts). The DSR API
 * serves it at `results_url`.
 */
import { userProfileName } from "../durable/user-profile";
import type { DsrWork } from "./dsr-types";
import { exportDeadLetters, findDeadLetters } from "./erasure-dead-letters";
import { fitExport } from "./export-limits";
import type { ResolvedSubject, SubjectScope } from "./erasure-subject";
import type { DsrExport, ProfileExport } from "./export-types";

/** Builds the export of a resolved subject. */
export async function buildExport(env: Env, work: DsrWork, scope: SubjectScope, subject: ResolvedSubject, now = Date.now()): Promise<DsrExport> {
  const profiles = await Promise.all(subject.mpids.map((m) => env.USER_PROFILE.getByName(userProfileName(scope.scope, m)).exportAll(work.workspaceId)));
  const letters = await findDeadLetters(env, [work.workspaceId], subject);
  // Stored in one D1 cell: kept under DSR_EXPORT_MAX_BYTES (export-limits.ts).
  return fitExport({
    format: "edge-cdp.dsr-export.v1",
    subject_request_id: work.subjectRequestId,
    subject_request_type: work.requestType === "portability" ? "portability" : "access",
    regulation: work.regulation,
    workspace_id: work.workspaceId,
    generated_at: new Date(now).toISOString(),
    profiles: profiles.filter((p): p is ProfileExport => p !== null),
    dead_letters: exportDeadLetters(letters),
  });
}
