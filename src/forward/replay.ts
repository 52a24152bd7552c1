/**
 * Dead-letter replay: a forward job goes back onto the FORWARD queue with `replayOf` set (an ingest message
 * back onto INGEST). A replayed job that fails again becomes a new dead letter; nothing is lost.
 */
import type { DeadLetter } from "../db/queries/dead-letters";
import { sendAll } from "../lib/queue";
import type { DeadLetterMessage, ForwardJob, IngestMessage } from "../pipeline/messages";

/** Why a dead letter cannot be replayed, or null. */
export function unreplayable(d: Pick<DeadLetter, "payload">): string | null {
  const p = parse(d.payload);
  return p ? null : "the dead letter's payload is not a forward job or an ingest message";
}

function parse(payload: string): { forward?: ForwardJob; ingest?: IngestMessage } | null {
  let v: ForwardJob | IngestMessage | DeadLetterMessage;
  try {
    v = JSON.parse(payload);
  } catch {
    return null;
  }
  if (v?.type === "dead_letter") return { forward: v.job };
  if (v?.type === "forward") return { forward: v };
  if (v?.type === "ingest") return { ingest: v };
  return null;
}

/** Queues every replayable dead letter; returns the ids queued (the caller marks them replayed). */
export async function replayDeadLetters(env: Pick<Env, "FORWARD" | "INGEST">, rows: Pick<DeadLetter, "id" | "payload">[]): Promise<string[]> {
  const jobs: ForwardJob[] = [];
  const ingest: IngestMessage[] = [];
  const ids: string[] = [];
  for (const r of rows) {
    const p = parse(r.payload);
    if (p?.forward) {
      // A replay starts with a fresh attempt budget.
      const { priorAttempts: _used, ...job } = p.forward;
      jobs.push({ ...job, replayOf: r.id });
    }
    else if (p?.ingest) ingest.push(p.ingest);
    else continue;
    ids.push(r.id);
  }
  await sendAll(env.FORWARD, jobs);
  await sendAll(env.INGEST, ingest);
  return ids;
}
