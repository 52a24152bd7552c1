/**
 * DLQ consumer: keeps every dead letter in D1 with the partner's answer, for listing and replay.
 * Accepts the forward consumer's annotated messages and raw jobs or ingest messages that reached the
 * queue through `max_retries`. The message id is the row id, so a redelivery writes nothing twice.
 */
import { type GroupMessage, isGroup } from "../lib/group-send";
import { log } from "../lib/log";
import { type ForwardGroup, isForwardGroup } from "./job-groups";
import type { DeadLetterMessage, ForwardJob, IngestMessage } from "../pipeline/messages";

type DlqBody = DeadLetterMessage | ForwardJob | IngestMessage | GroupMessage<IngestMessage> | ForwardGroup;
type Row = { connectionId: number | null; outputId: number | null; workspaceId: number | null; inputId: number | null; batchId: string | null; reason: string; attempts: number; statusCode: number | null; response: string | null; payload: unknown };

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

/** Processes one consumer invocation of the `forward-dlq` queue. */
export async function handleDeadLetters(batch: MessageBatch<DlqBody>, env: Env): Promise<void> {
  const now = Date.now();
  const stmts = batch.messages.flatMap((msg) => {
    const b = msg.body;
    // A group of ingest messages (src/lib/group-send.ts) is kept as one dead letter per message, each replayable alone.
    const rows: { id: string; row: Row }[] = [];
    if (isGroup<IngestMessage>(b)) {
      b.parts.forEach((part, i) => rows.push({ id: `${msg.id}:${i}`, row: part?.type === "ingest" ? ingestRow(part, msg.attempts) : unreadableRow(part, msg.attempts) }));
    } else if (isForwardGroup(b)) {
      // Likewise a group of forward jobs: one dead letter per job.
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
    return rows.map(({ id, row }) =>
      env.DB.prepare(
        `INSERT INTO dead_letters (id, connection_id, output_id, workspace_id, input_id, batch_id, reason, attempts, status_code, response, payload, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
      ).bind(id, row.connectionId, row.outputId, row.workspaceId, row.inputId, row.batchId, row.reason, row.attempts, row.statusCode, row.response, JSON.stringify(row.payload), now),
    );
  });
  try {
    // Groups expand to one row per part or job: written in batches of at most 100 statements (a redelivery
    // after a partial write inserts nothing twice: the row id is the message id and index).
    for (let i = 0; i < stmts.length; i += DLQ_STATEMENTS_PER_BATCH) await env.DB.batch(stmts.slice(i, i + DLQ_STATEMENTS_PER_BATCH));
    batch.ackAll();
  } catch (err) {
    log.error("storing dead letters failed; retrying", { count: stmts.length, error: String(err) });
    batch.retryAll({ delaySeconds: 30 });
  }
}
