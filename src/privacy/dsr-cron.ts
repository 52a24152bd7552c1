/**
 * The DSR cron pass (every 15 minutes, wrangler.toml): pending requests whose waiting period is over move to
 * in_progress, in_progress requests are processed (`processDsr`) and completed when done (identities then
 * redacted), expired exports are removed, and due status callbacks are sent. Requests that cannot be carried
 * out, or keep failing, are handled as `dsr-failures.ts` describes.
 */
import { and, asc, eq, lte, or, sql } from "drizzle-orm";
import { createDb } from "../db";
import { dsrRequests } from "../db/schema";
import { log } from "../lib/log";
import { DAY_MS } from "../lib/time";
import { DSR_RESULTS_TTL_MS, type DsrRow, exportOf } from "./dsr";
import { type CallbackReport, sendDueCallbacks } from "./dsr-callbacks";
import { canonicalIdentities } from "./dsr-identities";
import { alertDsr, DSR_MAX_PROCESS_ATTEMPTS, DSR_STUCK_RETRY_MS, ownFailure } from "./dsr-failures";
import { type DsrStep, type DsrWork, type PartnerDsrStatus, processDsr } from "./dsr-processing";
import { redactIdentities, redactMpids, saveProgress, transition } from "./dsr-store";
import type { ApiVersion } from "./dsr-submit";
import { exportText } from "./export-limits";

/** The cron expression that runs this pass (the hourly one runs retention). */
export const DSR_CRON = "*/15 * * * *";
/** Most pending requests started per pass. */
export const DSR_STARTS_PER_PASS = 100;
/** Most in_progress requests processed per pass (each may erase several users and call partners). */
export const DSR_PROCESSED_PER_PASS = 25;
/** Delivered and failed callbacks are kept this long. */
export const DSR_CALLBACK_RETENTION_MS = 90 * DAY_MS;

export type DsrProcessor = (env: Env, work: DsrWork) => Promise<DsrStep>;
export type DsrPassOptions = { now?: number; processor?: DsrProcessor };
export type DsrPassReport = { started: number; processed: number; completed: number; errors: number; purged: number; callbacks: CallbackReport };

async function startDue(env: Env, now: number): Promise<number> {
  const rows = await createDb(env.DB)
    .select()
    .from(dsrRequests)
    .where(and(eq(dsrRequests.status, "pending"), lte(dsrRequests.processAfter, now)))
    .orderBy(asc(dsrRequests.processAfter))
    .limit(DSR_STARTS_PER_PASS);
  let started = 0;
  for (const row of rows) if (await transition(env, row, "in_progress", {}, now)) started++;
  return started;
}

function workOf(row: DsrRow, attempt: number): DsrWork {
  return {
    id: row.id,
    workspaceId: row.workspaceId,
    subjectRequestId: row.subjectRequestId,
    requestType: row.requestType as DsrWork["requestType"],
    regulation: row.regulation as DsrWork["regulation"],
    identities: row.identities,
    mpids: row.mpids,
    partnerStatus: row.partnerStatus as PartnerDsrStatus[],
    attempt,
    apiVersion: row.apiVersion as ApiVersion,
  };
}

/** One processing step of one request; true when it completed. */
async function processOne(env: Env, row: DsrRow, processor: DsrProcessor, now: number): Promise<boolean> {
  const attempt = row.processAttempts + 1;
  const fields = { workspace_id: row.workspaceId, dsr_request_id: row.id, attempt };
  let step: DsrStep;
  try {
    step = await processor(env, workOf(row, attempt));
  } catch (err) {
    const error = String((err as Error)?.message ?? err).slice(0, 500);
    await saveProgress(env, row, { processAttempts: attempt, lastAttemptAt: now });
    if (attempt >= DSR_MAX_PROCESS_ATTEMPTS) {
      await alertDsr(env, row, `dsr processing failed ${attempt} times; the request stays in_progress and is retried once a day (${error})`, now);
    } else {
      log.error("dsr processing failed; retrying next pass", { ...fields, error });
    }
    throw err;
  }
  const exported = step.results !== undefined ? step.results : exportOf(row);
  const results = exported === undefined ? null : exportText(exported);
  if (!step.done) {
    await saveProgress(env, row, {
      identities: canonicalIdentities(step.identities),
      mpids: step.mpids,
      partnerStatus: step.partnerStatus,
      processAttempts: attempt,
      lastAttemptAt: now,
      results,
    });
    return false;
  }
  const hasResults = row.requestType !== "erasure";
  if (hasResults && exported === undefined && !step.failed) log.warn("dsr completed without an export", fields);
  const partnerStatus = step.failed ? [ownFailure(env, row.origin, step.failed), ...step.partnerStatus] : step.partnerStatus;
  if (step.failed) await alertDsr(env, row, `dsr request cannot be carried out: ${step.failed}`, now);
  // Completion drops the duplicate key and replaces identity values and MPIDs with salted hashes.
  const done = await transition(
    env,
    row,
    "completed",
    {
      identities: await redactIdentities(canonicalIdentities(step.identities)),
      mpids: await redactMpids(step.mpids),
      partnerStatus,
      results: hasResults ? results : null,
      dedupeKey: null,
      processAttempts: attempt,
      lastAttemptAt: now,
      completedAt: now,
      resultsExpiresAt: hasResults ? now + DSR_RESULTS_TTL_MS : null,
      encodedRequest: "",
    },
    now,
  );
  if (done) log.info("dsr completed", { ...fields, request_type: row.requestType, partners: step.partnerStatus.length, failed: step.failed !== undefined });
  return done !== null;
}

async function processInProgress(env: Env, now: number, processor: DsrProcessor): Promise<{ processed: number; completed: number; errors: number }> {
  // Least recently attempted first, so requests waiting on partners do not starve the others; a request past
  // DSR_MAX_PROCESS_ATTEMPTS passes only once a day.
  const rows = await createDb(env.DB)
    .select()
    .from(dsrRequests)
    .where(
      and(
        eq(dsrRequests.status, "in_progress"),
        or(sql`${dsrRequests.processAttempts} < ${DSR_MAX_PROCESS_ATTEMPTS}`, sql`coalesce(${dsrRequests.lastAttemptAt}, 0) <= ${now - DSR_STUCK_RETRY_MS}`),
      ),
    )
    .orderBy(sql`coalesce(${dsrRequests.lastAttemptAt}, 0)`, asc(dsrRequests.statusChangedAt))
    .limit(DSR_PROCESSED_PER_PASS);
  const out = { processed: 0, completed: 0, errors: 0 };
  for (const row of rows) {
    out.processed++;
    try {
      if (await processOne(env, row, processor, now)) out.completed++;
    } catch {
      out.errors++;
    }
  }
  return out;
}

async function housekeeping(env: Env, now: number): Promise<number> {
  const [purge] = await env.DB.batch([
    env.DB.prepare(
      `UPDATE dsr_requests SET results = NULL
        WHERE status = 'completed' AND results_expires_at IS NOT NULL AND results_expires_at <= ? AND results IS NOT NULL`,
    ).bind(now),
    env.DB.prepare(`DELETE FROM dsr_callbacks WHERE status IN ('delivered', 'failed') AND created_at < ?`).bind(now - DSR_CALLBACK_RETENTION_MS),
  ]);
  return purge!.meta.changes;
}

/** One cron pass; `processor` defaults to `processDsr` (tests pass their own). */
export async function runDsrPass(env: Env, opts: DsrPassOptions = {}): Promise<DsrPassReport> {
  const now = opts.now ?? Date.now();
  const started = await startDue(env, now);
  const p = await processInProgress(env, now, opts.processor ?? processDsr);
  const purged = await housekeeping(env, now);
  const callbacks = await sendDueCallbacks(env, now);
  const report = { started, ...p, purged, callbacks };
  log.info("dsr pass", report);
  return report;
}
