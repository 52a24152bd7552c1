/**
 * `dsr_requests` and `dsr_callbacks` in D1. Every status change and the callbacks it queues are written in
 * one D1 batch (a transaction), so a change is never without its callbacks.
 */
import { and, asc, eq } from "drizzle-orm";
import { createDb } from "../db";
import { dsrCallbacks, dsrRequests } from "../db/schema";
import { hashSecret, sha256HexSync } from "../lib/crypto";
import { uuid } from "../lib/ids";
import { callbackBody, type DsrRow, type DsrStatus, schedule } from "./dsr";
import { alreadyExists, inProgressDuplicate, notCancellable } from "./dsr-errors";
import type { DsrIdentity } from "./dsr-types";
import type { ApiVersion, ParsedSubmit } from "./dsr-submit";

/** Most requests one `GET /requests?group_id=` lists (ours; mParticle documents none). */
export const DSR_GROUP_LIST_LIMIT = 1000;

/** A request of the workspace by its subject_request_id. */
export async function findRequest(env: Env, workspaceId: number, subjectRequestId: string): Promise<DsrRow | null> {
  const rows = await createDb(env.DB)
    .select()
    .from(dsrRequests)
    .where(and(eq(dsrRequests.workspaceId, workspaceId), eq(dsrRequests.subjectRequestId, subjectRequestId.toLowerCase())))
    .limit(1);
  return rows[0] ?? null;
}

/** A request of the workspace by our internal id (results_url). */
export async function findById(env: Env, workspaceId: number, id: string): Promise<DsrRow | null> {
  const rows = await createDb(env.DB).select().from(dsrRequests).where(and(eq(dsrRequests.workspaceId, workspaceId), eq(dsrRequests.id, id))).limit(1);
  return rows[0] ?? null;
}

/** The workspace's requests with this group_id, oldest first. */
export function listGroup(env: Env, workspaceId: number, groupId: string): Promise<DsrRow[]> {
  return createDb(env.DB)
    .select()
    .from(dsrRequests)
    .where(and(eq(dsrRequests.workspaceId, workspaceId), eq(dsrRequests.groupId, groupId)))
    .orderBy(asc(dsrRequests.receivedAt), asc(dsrRequests.id))
    .limit(DSR_GROUP_LIST_LIMIT);
}

/** Guarded insert of one callback: only if the request is in `status` since exactly `changedAt` (our change applied). */
function callbackInsert(env: Env, row: DsrRow, url: string, now: number): D1PreparedStatement {
  return env.DB.prepare(
    `INSERT INTO dsr_callbacks (request_id, url, body, api_version, attempts, next_attempt_at, status, created_at)
     SELECT ?1, ?2, ?3, ?4, 0, ?5, 'pending', ?5
     WHERE EXISTS (SELECT 1 FROM dsr_requests WHERE id = ?1 AND status = ?6 AND status_changed_at = ?7)`,
  ).bind(row.id, url, callbackBody(row, url), row.apiVersion, now, row.status, row.statusChangedAt);
}

/**
 * Key of "the same identities, extensions and type" (§8.5, 409): a hash of the request type and the canonical
 * submitted identities (extension identities and MPIDs included). Kept while the request is open, even if
 * processing rewrites the identities column; dropped on completion.
 */
export function dsrKey(p: Pick<ParsedSubmit, "requestType" | "identities">): string {
  return sha256HexSync(JSON.stringify([p.requestType, p.identities]));
}

export type NewRequest = { workspaceId: number; version: ApiVersion; parsed: ParsedSubmit; encodedRequest: string; origin: string; now: number };

/** Stores a new pending request and its creation callbacks; 400 for a known subject_request_id, 409 for an in-progress duplicate. */
export async function createRequest(env: Env, n: NewRequest): Promise<DsrRow> {
  const { parsed: p, now } = n;
  if (await findRequest(env, n.workspaceId, p.subjectRequestId)) throw alreadyExists();
  const key = dsrKey(p);
  const dup = await env.DB.prepare(
    `SELECT subject_request_id FROM dsr_requests WHERE workspace_id = ? AND status IN ('pending', 'in_progress') AND dedupe_key = ? LIMIT 1`,
  )
    .bind(n.workspaceId, key)
    .first<{ subject_request_id: string }>();
  if (dup) throw inProgressDuplicate(dup.subject_request_id);

  const { processAfter, expectedCompletionAt } = schedule(env, p.requestType, p.skipWaitingPeriod, now);
  const row: DsrRow = {
    id: uuid(),
    workspaceId: n.workspaceId,
    subjectRequestId: p.subjectRequestId,
    apiVersion: n.version,
    regulation: p.regulation,
    requestType: p.requestType,
    status: "pending",
    groupId: p.groupId,
    submittedTime: p.submittedTime,
    identities: p.identities,
    mpids: [],
    statusCallbackUrls: p.callbackUrls,
    partnerStatus: [],
    skipWaitingPeriod: p.skipWaitingPeriod,
    encodedRequest: n.encodedRequest,
    receivedAt: now,
    processAfter,
    expectedCompletionAt,
    statusChangedAt: now,
    completedAt: null,
    origin: n.origin,
    dedupeKey: key,
    processAttempts: 0,
    lastAttemptAt: null,
    results: null,
    resultsExpiresAt: null,
  };
  const db = createDb(env.DB);
  const insert = db.insert(dsrRequests).values(row);
  const callbacks = p.callbackUrls.map((url) =>
    db.insert(dsrCallbacks).values({ requestId: row.id, url, body: callbackBody(row, url), apiVersion: row.apiVersion, nextAttemptAt: now, createdAt: now }),
  );
  try {
    await db.batch([insert, ...callbacks]);
  } catch (err) {
    // A concurrent submit with the same subject_request_id won the unique index.
    if (/UNIQUE constraint failed/i.test(String((err as Error)?.message ?? err) + String((err as { cause?: unknown })?.cause ?? ""))) throw alreadyExists();
    throw err;
  }
  return row;
}

type Patch = Partial<
  Pick<DsrRow, "identities" | "mpids" | "partnerStatus" | "results" | "completedAt" | "resultsExpiresAt" | "encodedRequest" | "dedupeKey" | "processAttempts" | "lastAttemptAt">
>;

function update(env: Env, next: DsrRow, from: DsrStatus): D1PreparedStatement {
  return env.DB.prepare(
    `UPDATE dsr_requests SET status = ?, status_changed_at = ?, identities = ?, mpids = ?, partner_status = ?, results = ?, completed_at = ?,
       results_expires_at = ?, encoded_request = ?, dedupe_key = ?, process_attempts = ?, last_attempt_at = ? WHERE id = ? AND status = ?`,
  ).bind(
    next.status,
    next.statusChangedAt,
    JSON.stringify(next.identities),
    JSON.stringify(next.mpids),
    JSON.stringify(next.partnerStatus),
    next.results,
    next.completedAt,
    next.resultsExpiresAt,
    next.encodedRequest,
    next.dedupeKey,
    next.processAttempts,
    next.lastAttemptAt,
    next.id,
    from,
  );
}

/**
 * Moves `row` from its current status to `to` (with `patch`) and queues one callback per status_callback_url,
 * atomically. Null when the row was no longer in its status (another pass or a cancel got there first).
 */
export async function transition(env: Env, row: DsrRow, to: DsrStatus, patch: Patch, now: number): Promise<DsrRow | null> {
  const next: DsrRow = { ...row, ...patch, status: to, statusChangedAt: now };
  const [res] = await env.DB.batch([update(env, next, row.status as DsrStatus), ...row.statusCallbackUrls.map((u) => callbackInsert(env, next, u, now))]);
  return res!.meta.changes > 0 ? next : null;
}

/** Saves processing progress of an in_progress request without changing its status. */
export async function saveProgress(env: Env, row: DsrRow, patch: Patch): Promise<void> {
  await update(env, { ...row, ...patch }, "in_progress").run();
}

/**
 * Cancels a pending request; 400 (§8.5) when it is in any other status. A cancelled request is never processed,
 * so it keeps no identity either: values and MPIDs become salted hashes, the request copy and duplicate key go.
 */
export async function cancelRequest(env: Env, row: DsrRow, now: number): Promise<DsrRow> {
  if (row.status !== "pending") throw notCancellable(row.status);
  const redacted = { identities: await redactIdentities(row.identities), mpids: await redactMpids(row.mpids), encodedRequest: "", dedupeKey: null, results: null };
  const next = await transition(env, row, "cancelled", redacted, now);
  if (next) return next;
  const current = await findRequest(env, row.workspaceId, row.subjectRequestId);
  throw notCancellable(current?.status ?? "unknown");
}

/**
 * Salted hashes in place of identity values (and MPIDs): once a request is completed nothing in D1 names the
 * subject, while the types and the count stay for the record.
 */
export async function redactIdentities(ids: DsrIdentity[]): Promise<DsrIdentity[]> {
  return Promise.all(ids.map(async (id) => ({ type: id.type, value: await redactValue(id.value) })));
}

/** Redacted MPIDs (see `redactIdentities`). */
export function redactMpids(mpids: string[]): Promise<string[]> {
  return Promise.all(mpids.map(redactValue));
}

/** A `hashSecret` result: what a redacted value looks like. */
const REDACTED = /^sha256\$[0-9a-f]+\$[0-9a-f]{64}$/;

/** Whether a stored identity value or MPID is already a salted hash. */
export const isRedacted = (v: string) => REDACTED.test(v);

/** A salted hash of `v`; a value that already is one stays as it is (redaction is idempotent). */
const redactValue = async (v: string) => (isRedacted(v) ? v : hashSecret(v));
