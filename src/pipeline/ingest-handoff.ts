/**
 * The ingest consumer's hand-off side: forward messages onto their queue shards (jobs over the message limit
 * split by events), and the invocation's `ingested` log lines.
 */
import type { ForwardJob } from "./messages";
import { log } from "../lib/log";
import { sendTexts } from "../lib/queue";
import { queueCount, shardQueue } from "../lib/queue-shards";

/**
 * Splits a forward job by events, in halves, when its JSON is over the queue message limit (`packForwardJobs`
 * calls this only then, and again on a half that is still too big). A single event that is too big
 * cannot be split: the hand-off fails and the ingest message is retried, then dead-lettered.
 */
export function splitJob(job: ForwardJob): ForwardJob[] {
  if (job.batch.events.length < 2) return [job];
  const half = Math.ceil(job.batch.events.length / 2);
  return [job.batch.events.slice(0, half), job.batch.events.slice(half)].map((events) => ({ ...job, batch: { ...job.batch, events } }));
}

/**
 * Sends packed forward messages, each on its connection's queue shard (FORWARD_QUEUES), concurrently; the hot
 * lane's (`hot`) go to FORWARD_HOT, so one profile's flood never waits ahead of everyone else's deliveries.
 */
export async function sendForward(env: Env, texts: { body: string; bytes: number; connectionId: number }[], hot = false): Promise<void> {
  if (hot) return sendTexts(env.FORWARD_HOT, texts);
  if (queueCount(env, "FORWARD") <= 1) return sendTexts(env.FORWARD, texts);
  const byQueue = new Map<Queue<unknown>, typeof texts>();
  for (const t of texts) {
    const q = shardQueue(env, "FORWARD", t.connectionId);
    const l = byQueue.get(q);
    if (l) l.push(t);
    else byQueue.set(q, [t]);
  }
  await Promise.all([...byQueue].map(([q, l]) => sendTexts(q, l)));
}

/** One batch (part) applied to its profile, for the invocation's `ingested` log lines. */
export type Ingested = { inputId: number; workspaceId: number; batchId: string; mpid: string; events: number; jobs: number; forwardedEvents: number };

/**
 * One `ingested` line per input per invocation (not one per batch: an invocation carries up to 100 messages),
 * after the forward hand-off: counts, and the batch ids with their MPIDs in the same order.
 */
export function logIngested(done: Ingested[]): void {
  const byInput = new Map<number, Ingested[]>();
  for (const d of done) {
    const g = byInput.get(d.inputId);
    if (g) g.push(d);
    else byInput.set(d.inputId, [d]);
  }
  for (const [inputId, g] of byInput) {
    let events = 0;
    let jobs = 0;
    let forwarded = 0;
    for (const d of g) {
      events += d.events;
      jobs += d.jobs;
      forwarded += d.forwardedEvents;
    }
    log.info("ingested", {
      input_id: inputId,
      workspace_id: g[0]!.workspaceId,
      batches: g.length,
      events,
      jobs,
      forwarded_events: forwarded,
      batch_ids: g.map((d) => d.batchId),
      mpids: g.map((d) => d.mpid),
    });
  }
}

