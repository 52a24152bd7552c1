/**
 * Checks made before a connection's jobs are delivered, per job: the connection the job was queued for must
 * still exist with the same generation (id + output id + created time, src/pipeline/messages.ts), and its
 * output's secret settings must be readable. A job that fails either is dead-lettered with the reason — never
 * delivered to whatever the connection id names now, never retried in a loop.
 */
import type { ResolvedConnection } from "../db/config-cache";
import type { DeadLetterMessage, DeadLetterReason, ForwardJob } from "../pipeline/messages";

type Stale = { reason: Extract<DeadLetterReason, "connection_deleted" | "connection_recreated" | "secret_undecryptable">; message: string };

/** Why `job` must not be delivered on `conn` (the connection its id names now, or null), or null when it may. */
export function staleReason(job: ForwardJob, conn: Pick<ResolvedConnection, "id" | "outputId" | "createdAt" | "secretsUndecryptable"> | null): Stale | null {
  if (!conn) return { reason: "connection_deleted", message: `connection ${job.connectionId} was deleted after this job was queued; nothing was sent` };
  // Jobs queued before generations existed carry no creation time: their output id must still match.
  if (conn.outputId !== job.outputId || (job.connectionCreatedAt !== undefined && conn.createdAt !== job.connectionCreatedAt)) {
    return { reason: "connection_recreated", message: `connection ${job.connectionId} (output ${job.outputId}) was deleted and its id now names another connection; nothing was sent` };
  }
  if (conn.secretsUndecryptable) return { reason: "secret_undecryptable", message: conn.secretsUndecryptable };
  return null;
}

/** Splits a connection's messages into those to deliver and dead letters for the rest. */
export function preflight<M extends { body: ForwardJob; attempts: number }>(msgs: M[], conn: ResolvedConnection | null): { live: M[]; dead: { msg: M; dl: DeadLetterMessage }[] } {
  const live: M[] = [];
  const dead: { msg: M; dl: DeadLetterMessage }[] = [];
  for (const msg of msgs) {
    const why = staleReason(msg.body, conn);
    if (!why) live.push(msg);
    else dead.push({ msg, dl: { v: 1, type: "dead_letter", reason: why.reason, attempts: msg.attempts, response: why.message, job: msg.body } });
  }
  return { live, dead };
}
