/** Queue hand-offs of the forward consumer: dead letters and resends, acking a job only once its hand-off succeeded. */
import { log } from "../lib/log";
import { sendAll } from "../lib/queue";
import type { DeadLetterMessage, ForwardJob } from "../pipeline/messages";

export type Handoffs = {
  /** Dead letters; the message is acked when they are stored (unless it also has a resend pending). */
  dead: { msg: Message<ForwardJob>; dl: DeadLetterMessage }[];
  /** Trimmed copies of jobs to send to the forward queue again; the original is acked once they are queued. */
  resend: { msg: Message<ForwardJob>; job: ForwardJob }[];
};

/** Performs the hand-offs; on failure the original messages are retried whole (at least once). Returns what was done. */
export async function performHandoffs(env: Env, h: Handoffs, ids: Record<string, unknown>): Promise<{ deadLettered: number; resent: number }> {
  const failed = new Set<Message<ForwardJob>>();
  let deadLettered = 0;
  let resent = 0;
  if (h.dead.length) {
    try {
      await sendAll(env.FORWARD_DLQ, h.dead.map((d) => d.dl));
      deadLettered = h.dead.length;
      log.error("jobs dead-lettered", { ...ids, count: h.dead.length, reason: h.dead[0]!.dl.reason });
    } catch (err) {
      log.error("dead-letter hand-off failed; retrying jobs", { ...ids, error: String(err) });
      for (const d of h.dead) failed.add(d.msg);
    }
  }
  const resend = h.resend.filter((r) => !failed.has(r.msg));
  if (resend.length) {
    try {
      await sendAll(env.FORWARD, resend.map((r) => r.job));
      resent = resend.length;
    } catch (err) {
      log.error("resend hand-off failed; retrying jobs", { ...ids, error: String(err) });
      for (const r of resend) failed.add(r.msg);
    }
  }
  for (const m of new Set([...h.dead.map((d) => d.msg), ...h.resend.map((r) => r.msg)])) {
    if (failed.has(m)) m.retry({ delaySeconds: 30 });
    else m.ack();
  }
  return { deadLettered, resent };
}
