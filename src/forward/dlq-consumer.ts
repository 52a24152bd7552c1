/**
 * DLQ consumer: keeps every dead letter, with the partner's answer, for listing and replay: the whole record
 * as an R2 object (payloads never go to D1), then a row in D1's bounded index (the newest per connection).
 * Accepts the forward consumer's annotated messages and raw jobs or ingest messages that reached the queue
 * through `max_retries`. The message id is the dead letter id, so a redelivery writes nothing twice.
 */
import { type DeadLetterRecord, putDeadLetterObjects } from "../db/dead-letter-objects";
import { DEAD_LETTER_INDEX_MAX, indexDeadLetterStatements } from "../db/queries/dead-letters";
import { type GroupMessage, isGroup } from "../lib/group-send";
import { log } from "../lib/log";
import { payloadNeedles } from "../privacy/dead-letter-needles";
import { type ForwardGroup, isForwardGroup } from "./job-groups";
import type { DeadLetterMessage, ForwardJob, IngestMessage } from "../pipeline/messages";

type DlqBody = DeadLetterMessage | ForwardJob | IngestMessage | GroupMessage<IngestMessage> | ForwardGroup;
type Row = Omit<DeadLetterRecord, "id" | "createdAt" | "replayedAt">;

function forwardRow(b: ForwardJob, attempts: number): Row {
  return { connectionId: b.connectionId, outputId: b.outputId, workspaceId: b.workspaceId, inputId: b.inputId, batchId: b.batch?.batch_id ?? null, reason: "exhausted", attempts, statusCode: null, response: "forward job exceeded the queue's max_retries", payload: b };
}

function unreadableRow(payload: unknown, attempts: number): Row {
  return { connectionId: null, outputId: null, workspaceId: null, inputId: null, batchId: null, reason: "unreadable", attempts, statusCode: null, response: null, payload };
}

function ingestRow(b: IngestMessage, attempts: number): Row {
  return { connectionId: null, outputId: null, workspaceId: b.workspaceId, inputId: b.inputId, batchId: b.items?.[0]?.batchId ?? null, reason: "ingest", attempts, statusCode: null, response: "ingest message exceeded the queue's max_retries", payload: b };
}

const DLQ_STATEMENTS_PER_BATCH = 100;
/** Index rows one invocation adds per connection at most (the newest; the others are in R2 only): D1 writes stay bounded by invocations. */
export const INDEX_ROWS_PER_INVOCATION = DEAD_LETTER_INDEX_MAX;

/** The records that get an index row: per scope, the last INDEX_ROWS_PER_INVOCATION of the invocation. */
function toIndex(records: DeadLetterRecord[]): DeadLetterRecord[] {
  const seen = new Map<string, number>();
  const out: DeadLetterRecord[] = [];
  for (let i = records.length - 1; i >= 0; i--) {
    const r = records[i]!;
    const scope = `${r.connectionId}|${r.workspaceId}`;
    const n = seen.get(scope) ?? 0;
    if (n >= INDEX_ROWS_PER_INVOCATION) continue;
    seen.set(scope, n + 1);
    out.push(r);
  }
  return out.reverse();
}

/** The dead letters one queue message stands for (a group: one per part or job, each replayable alone). */
function rowsOf(msg: Message<DlqBody>): { id: string; row: Row }[] {
  const b = msg.body;
  const rows: { id: string; row: Row }[] = [];
  if (isGroup<IngestMessage>(b)) {
    b.parts.forEach((part, i) => rows.push({ id: `${msg.id}:${i}`, row: part?.type === "ingest" ? ingestRow(part, msg.attempts) : unreadableRow(part, msg.attempts) }));
  } else if (isForwardGroup(b)) {
    b.jobs.forEach((job, i) => rows.push({ id: `${msg.id}:${i}`, row: job?.type === "forward" ? forwardRow(job, msg.attempts + (job.priorAttempts ?? 0)) : unreadableRow(job, msg.attempts) }));
  } else if (b?.type === "dead_letter") {
    rows.push({ id: msg.id, row: { connectionId: b.job.connectionId, outputId: b.job.outputId, workspaceId: b.job.workspaceId, inputId: b.job.inputId, batchId: b.job.batch.batch_id, reason: b.reason, attempts: b.attempts, statusCode: b.statusCode ?? null, response: b.response ?? null, payload: b.job } });
  } else if (b?.type === "forward") {
    rows.push({ id: msg.id, row: forwardRow(b, msg.attempts + (b.priorAttempts ?? 0)) });
  } else if (b?.type === "ingest") {
    rows.push({ id: msg.id, row: ingestRow(b, msg.attempts) });
  } else {
    rows.push({ id: msg.id, row: unreadableRow(b, msg.attempts) });
  }
  return rows;
}

/** Events of a forward job's batch, and the dead letter it replayed (null when not a forward job). */
function jobFacts(payload: unknown): { events: number | null; replayOf: string | null } {
  const job = payload as { batch?: { events?: unknown }; replayOf?: unknown } | null;
  return { events: Array.isArray(job?.batch?.events) ? job.batch.events.length : null, replayOf: typeof job?.replayOf === "string" ? job.replayOf : null };
}

/** Processes one consumer invocation of the `forward-dlq` queue. */
export async function handleDeadLetters(batch: MessageBatch<DlqBody>, env: Env): Promise<void> {
  const now = Date.now();
  const records = batch.messages.flatMap(rowsOf).map(({ id, row }): DeadLetterRecord => ({ ...row, id, createdAt: now, replayedAt: null }));
  try {
    // Payloads first: an index row never points at a missing object. A redelivery writes the same objects again.
    await putDeadLetterObjects(env.DEAD_LETTERS, records.map((record) => ({ record, meta: { n: payloadNeedles(record.payload) } })));
    const stmts = indexDeadLetterStatements(
      env.DB,
      toIndex(records).map(({ payload, replayedAt: _r, ...r }) => ({ ...r, ...jobFacts(payload) })),
    );
    for (let i = 0; i < stmts.length; i += DLQ_STATEMENTS_PER_BATCH) await env.DB.batch(stmts.slice(i, i + DLQ_STATEMENTS_PER_BATCH));
    batch.ackAll();
  } catch (err) {
    log.error("storing dead letters failed; retrying", { count: records.length, error: String(err) });
    batch.retryAll({ delaySeconds: 30 });
  }
}
