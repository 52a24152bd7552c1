/**
 * Forward jobs travel in groups: the jobs one ingest invocation makes for the same connection share a queue
 * message (`forward_group`, at most FORWARD_GROUP_MAX_JOBS jobs and GROUP_MAX_BYTES), instead of one message
 * per batch per connection. The forward consumer expands a group into one virtual message per job, so every
 * job keeps its own outcome (ack, retry with its backoff, dead letter, resend); the group message is acked
 * once all of its jobs are done, retried whole when all of them retry, and otherwise the jobs still to retry
 * are queued again as their own group (carrying the attempts they used) before the group is acked.
 */
import { GROUP_MAX_BYTES, packTexts } from "../lib/group-send";
import { QUEUE_MESSAGE_MAX_BYTES, sendTexts, utf8Bytes } from "../lib/queue";
import type { ForwardJob } from "../pipeline/messages";

export const FORWARD_GROUP_TYPE = "forward_group";
/** Most jobs in one group: bounds the partner requests one consumer invocation makes (≤ 100 messages × 10). */
export const FORWARD_GROUP_MAX_JOBS = 10;

export type ForwardGroup = { v: 1; type: typeof FORWARD_GROUP_TYPE; connectionId: number; jobs: ForwardJob[] };

export function isForwardGroup(body: unknown): body is ForwardGroup {
  return typeof body === "object" && body !== null && (body as { type?: unknown }).type === FORWARD_GROUP_TYPE && Array.isArray((body as { jobs?: unknown }).jobs);
}

const OVERHEAD = 80;

/**
 * Serializes jobs once (a job over the message limit is split by `split`, as sendAll would) and packs each
 * connection's jobs into group messages; a lone job goes as a plain job message.
 */
export function packForwardJobs(jobs: ForwardJob[], split: (job: ForwardJob) => ForwardJob[]): { body: string; bytes: number; connectionId: number }[] {
  const byConnection = new Map<number, { text: string; bytes: number }[]>();
  const add = (job: ForwardJob) => {
    const text = JSON.stringify(job);
    const bytes = utf8Bytes(text);
    if (bytes > QUEUE_MESSAGE_MAX_BYTES) {
      const parts = split(job);
      if (parts.length > 1) return parts.forEach(add);
    }
    const key = isJobObject(job) && typeof job.connectionId === "number" ? job.connectionId : -1;
    const l = byConnection.get(key);
    if (l) l.push({ text, bytes });
    else byConnection.set(key, [{ text, bytes }]);
  };
  jobs.forEach(add);
  const out: { body: string; bytes: number; connectionId: number }[] = [];
  for (const [connectionId, texts] of byConnection) {
    // Jobs without a connection (unreadable) travel alone.
    if (connectionId === -1) out.push(...texts.map((t) => ({ body: t.text, bytes: t.bytes, connectionId })));
    else
      for (const b of packTexts(texts, { maxBytes: GROUP_MAX_BYTES, maxCount: FORWARD_GROUP_MAX_JOBS, overhead: OVERHEAD, wrap: (joined) => `{"v":1,"type":"${FORWARD_GROUP_TYPE}","connectionId":${connectionId},"jobs":[${joined}]}` }))
        out.push({ body: b.body, bytes: b.bytes, connectionId });
  }
  return out;
}

const isJobObject = (j: unknown): j is ForwardJob => typeof j === "object" && j !== null && !Array.isArray(j);

/** What became of one job of a group message. */
type PartOutcome = { ack: true } | { retry: number };

/** A group message being processed: its virtual per-job messages record their outcome here. */
export type GroupInFlight = { msg: Message<unknown>; jobs: ForwardJob[]; outcomes: (PartOutcome | undefined)[] };

/** Attempts a job of a message has had: the message's, plus those it used before it was regrouped. */
const attemptsOf = (msg: Message<unknown>, job: ForwardJob) => msg.attempts + (isJobObject(job) ? (job.priorAttempts ?? 0) : 0);

/**
 * One virtual message per job of a group: `attempts` counts the attempts the job used before it was regrouped
 * (`priorAttempts`); ack and retry only record the outcome (settleGroups acts on the real message).
 */
export function expandGroup(msg: Message<unknown>, group: ForwardGroup): { inFlight: GroupInFlight; messages: Message<ForwardJob>[] } {
  const inFlight: GroupInFlight = { msg, jobs: group.jobs, outcomes: group.jobs.map(() => undefined) };
  const messages = group.jobs.map((job, i): Message<ForwardJob> => ({
    id: `${msg.id}:${i}`,
    timestamp: msg.timestamp,
    attempts: attemptsOf(msg, job),
    body: job,
    ack: () => void (inFlight.outcomes[i] ??= { ack: true }),
    retry: (o) => void (inFlight.outcomes[i] ??= { retry: o?.delaySeconds ?? 0 }),
  }));
  return { inFlight, messages };
}

/** A plain job message whose job was regrouped before: its attempts include those (ack and retry pass through). */
export function withPriorAttempts(msg: Message<ForwardJob>): Message<ForwardJob> {
  const attempts = attemptsOf(msg, msg.body);
  if (attempts === msg.attempts) return msg;
  return { id: msg.id, timestamp: msg.timestamp, attempts, body: msg.body, ack: () => msg.ack(), retry: (o) => msg.retry(o) };
}

/**
 * Acks, retries or splits each group message by its jobs' outcomes (a job with none is retried: never
 * dropped). Jobs to retry next to done ones are queued again (delay: the longest of theirs) with the attempts
 * they used; if that fails, the whole group is retried (at least once: its done jobs may be sent again).
 */
export async function settleGroups(forward: Queue<unknown>, groups: GroupInFlight[]): Promise<{ regrouped: number }> {
  let regrouped = 0;
  for (const g of groups) {
    const retry: { job: ForwardJob; attempts: number; delay: number }[] = [];
    g.outcomes.forEach((o, i) => {
      if (!o || "retry" in o) retry.push({ job: g.jobs[i]!, attempts: attemptsOf(g.msg, g.jobs[i]!), delay: o ? o.retry : 0 });
    });
    const delaySeconds = retry.reduce((d, r) => Math.max(d, r.delay), 0) || undefined;
    if (!retry.length) g.msg.ack();
    else if (retry.length === g.jobs.length) g.msg.retry({ delaySeconds });
    else {
      try {
        // An unreadable job goes back exactly as it came (its retries end in the DLQ as "unreadable").
        const jobs = retry.map((r) => (isJobObject(r.job) ? { ...r.job, priorAttempts: r.attempts } : r.job));
        await sendTexts(forward, packForwardJobs(jobs, (j) => [j]), delaySeconds);
        regrouped += jobs.length;
        g.msg.ack();
      } catch {
        g.msg.retry({ delaySeconds: 30 });
      }
    }
  }
  return { regrouped };
}
