/**
 * Forward consumer: groups jobs by connection, runs the integration's pure transform, delivers with a
 * timeout and classifies each answer: ok → ack · retryable → retry with backoff (Retry-After honoured)
 * until FORWARD_MAX_ATTEMPTS · permanent or exhausted → forward-dlq with the partner's answer.
 * Per-item answers (partial): refused items become one dead letter per job holding just those events;
 * accepted items are done, or — when the partner asks for a resend without the bad ones — go back to
 * the forward queue without them. Transform-time drops are acked, counted and alerted, never retried.
 * Before any delivery, jobs of a deleted or re-created connection, or of an output whose secrets no key opens,
 * are dead-lettered with the reason (src/forward/preflight.ts). Delivery itself: src/forward/run-connection.ts.
 */
import { connectionById } from "../db/config-cache";
import { Counters } from "../db/queries/counters";
import type { PartnerResponse } from "../integrations/runtime/types";
import { ConfigurationError } from "../lib/errors";
import { log } from "../lib/log";
import type { ForwardJob } from "../pipeline/messages";
import { liveOutbound } from "../pipeline/live-sample";
import { FORWARD_HOT_QUEUE } from "../pipeline/hot-profiles";
import { type Alert, alertStatements } from "./alerts";
import { type Handoffs, performHandoffs } from "./handoffs";
import { expandGroup, type ForwardGroup, type GroupInFlight, isForwardGroup, settleGroups, withPriorAttempts } from "./job-groups";
import { emptyResults, failedEvents, type JobResult } from "./job-results";
import { preflight } from "./preflight";
import { responseText, runConnection, settings } from "./run-connection";
import { backoffSeconds } from "./retry-policy";
import { applyConnectionRules } from "./connection-rules";
import { RuleStats } from "../db/queries/rule-stats";

/**
 * A copy of the job whose batch holds only the events at `keep` (batch-level data kept). A resend is a new
 * job: its attempts start again, whether or not the original came out of a group (`priorAttempts` dropped).
 */
function withEvents(job: ForwardJob, keep: (i: number) => boolean): ForwardJob {
  const { priorAttempts: _used, ...rest } = job;
  return { ...rest, batch: { ...job.batch, events: job.batch.events.filter((_, i) => keep(i)) } };
}

/** Processes one consumer invocation of the `forward` queue; `ctx`: its execution context (rules' background trials). */
export async function handleForward(batch: MessageBatch<ForwardJob | ForwardGroup>, env: Env, ctx?: Pick<ExecutionContext, "waitUntil">): Promise<void> {
  const waitUntil = ctx ? (p: Promise<unknown>) => ctx.waitUntil(p) : undefined;
  const { maxAttempts, baseSeconds } = settings(env);
  const now = Date.now();
  const counters = new Counters(now);
  const ruleStats = new RuleStats(now);
  const alerts: Alert[] = [];
  const groups = new Map<number, Message<ForwardJob>[]>();
  // Group messages (src/forward/job-groups.ts) become one virtual message per job; settled after the deliveries.
  const inFlight: GroupInFlight[] = [];
  const messages: Message<ForwardJob>[] = [];
  for (const msg of batch.messages) {
    if (isForwardGroup(msg.body)) {
      const g = expandGroup(msg as Message<unknown>, msg.body);
      inFlight.push(g.inFlight);
      messages.push(...g.messages);
    } else messages.push(withPriorAttempts(msg as Message<ForwardJob>));
  }
  for (const msg of messages) {
    if (msg.body?.type !== "forward" || typeof msg.body.connectionId !== "number") {
      log.error("unreadable forward job", { message_id: msg.id });
      msg.retry(); // ends in forward-dlq through max_retries, never dropped
      continue;
    }
    const g = groups.get(msg.body.connectionId) ?? [];
    g.push(msg);
    groups.set(msg.body.connectionId, g);
  }

  await Promise.all(
    [...groups].map(async ([connectionId, queued]) => {
      const first = queued[0]!.body;
      const ids = { connection_id: connectionId, workspace_id: first.workspaceId, input_id: first.inputId };
      const alert = (a: Omit<Alert, "workspaceId" | "connectionId" | "outputId" | "environment">) =>
        alerts.push({ workspaceId: first.workspaceId, connectionId, outputId: first.outputId, environment: first.batch.environment, ...a });
      const h: Handoffs = { dead: [], resend: [] };
      // Jobs of a deleted or re-created connection, or of an output whose secrets cannot be read, are dead-lettered
      // here (src/forward/preflight.ts). A failed read of the connection is left to runConnection's error path.
      const conn = await connectionById(env, connectionId).catch(() => undefined);
      const { live: checked, dead } = conn === undefined ? { live: queued, dead: [] } : preflight(queued, conn);
      let msgs = checked;
      if (dead.length) {
        h.dead.push(...dead);
        counters.connection(connectionId, { errors_permanent: dead.length });
        alert({ kind: dead[0]!.dl.reason, message: `${dead.length} queued job(s) dead-lettered: ${dead[0]!.dl.response}` });
      }
      let jobs = msgs.map((m) => m.body);
      let results: JobResult[] = [];
      try {
        if (jobs.length) {
          // The connection's rules, just before its transform; jobs they drop are done (src/forward/connection-rules.ts).
          const ruled = await applyConnectionRules(env, connectionId, jobs, ruleStats, waitUntil);
          const kept = msgs.flatMap((m, i) => (ruled[i] ? [{ m, job: ruled[i] }] : (m.ack(), [])));
          [msgs, jobs] = [kept.map((k) => k.m), kept.map((k) => k.job)];
          if (jobs.length) results = await runConnection(env, connectionId, jobs);
        }
      } catch (err) {
        const configuration = err instanceof ConfigurationError;
        const message = String((err as Error).message ?? err);
        log.error("forward failed before delivery", { ...ids, error: String(err) });
        // A configuration error no retry fixes goes to the dead letters; anything else (a D1 read, a decrypt,
        // a bug fixed by a deploy) is retried with backoff like a partner error, then dead-lettered.
        alert({ kind: configuration ? "configuration" : "delivery_retryable", message });
        const outcome: JobResult["outcome"] = configuration ? { kind: "permanent", reason: message } : { kind: "retryable", reason: message };
        results = emptyResults(jobs.length).map((r) => ({ ...r, sent: true, outcome, configuration }));
      }

      liveOutbound(env, batch, connectionId, jobs[0], results[0]);
      let lastError: { kind: "retryable" | "permanent"; res?: PartnerResponse; reason: string } | undefined;
      const drops = results.flatMap((r) => r.dropped);
      if (drops.length) {
        counters.connection(connectionId, { errors_permanent: drops.length });
        log.warn("dropped by transform", { ...ids, count: drops.length, reason: drops[0]!.reason });
        alert({ kind: "dropped", message: `${drops.length} dropped by the integration (not sendable): ${[...new Set(drops.map((d) => d.reason))].slice(0, 5).join("; ")}` });
      }

      msgs.forEach((msg, i) => {
        const r = results[i]!;
        const job = jobs[i]!;
        // Nothing sent: the integration filtered or dropped everything in the job.
        if (!r.sent) return msg.ack();
        // Nothing of this job was refused, but the partner ingested nothing: an ordinary retry (bounded by attempts).
        if (r.outcome.kind === "ok" && r.resend && !r.failures.length) r.outcome = { kind: "retryable", reason: "the partner refused other items of the same request; sending again" };
        if (r.outcome.kind === "ok") {
          const { events: bad, batchLevel } = failedEvents(r);
          const goodEvents = job.batch.events.length - bad.size;
          if (r.failures.length) {
            const reasons = [...new Set(r.failures.map((f) => f.reason))].join("; ");
            const res = r.failures[0]!.response;
            lastError = { kind: "permanent", res, reason: reasons };
            counters.connection(connectionId, { errors_permanent: 1 });
            const part = withEvents(job, (e) => bad.has(e));
            h.dead.push({ msg, dl: { v: 1, type: "dead_letter", reason: "permanent", attempts: msg.attempts, statusCode: res.status, response: `${reasons}\n${responseText(res)}`, job: part } });
            if (!r.resend) counters.connection(connectionId, { forwarded_batches: 1, forwarded_events: goodEvents });
            // Resend what is left: the good events, or (all events refused) the batch-level data alone.
            else if (goodEvents > 0 || !batchLevel) h.resend.push({ msg, job: withEvents(job, (e) => !bad.has(e)) });
            return;
          }
          msg.ack();
          counters.connection(connectionId, { forwarded_batches: 1, forwarded_events: goodEvents });
          return;
        }
        lastError = { kind: r.outcome.kind, res: r.response, reason: r.outcome.reason };
        if (r.outcome.kind === "retryable" && msg.attempts < maxAttempts) {
          const delaySeconds = backoffSeconds(msg.attempts, baseSeconds, r.outcome.retryAfterSeconds);
          counters.connection(connectionId, { retries: 1, errors_retryable: 1 });
          log.warn("delivery failed; retrying", { ...ids, batch_id: job.batch.batch_id, attempts: msg.attempts, delay_seconds: delaySeconds, reason: r.outcome.reason });
          msg.retry({ delaySeconds });
          return;
        }
        const reason = r.configuration ? "configuration" : r.outcome.kind === "retryable" ? "exhausted" : "permanent";
        counters.connection(connectionId, r.outcome.kind === "retryable" ? { errors_retryable: 1 } : { errors_permanent: 1 });
        h.dead.push({ msg, dl: { v: 1, type: "dead_letter", reason, attempts: msg.attempts, statusCode: r.response?.status, response: responseText(r.response) ?? r.outcome.reason, job } });
      });

      if (lastError) {
        alert({
          kind: lastError.kind === "retryable" ? "delivery_retryable" : "delivery_permanent",
          statusCode: lastError.res?.status,
          message: lastError.reason,
          response: responseText(lastError.res),
        });
      }
      const done = await performHandoffs(env, h, ids);
      counters.connection(connectionId, { dead_lettered: done.deadLettered, retries: done.resent });
    }),
  );

  if (inFlight.length) {
    const { regrouped } = await settleGroups(batch.queue.startsWith(FORWARD_HOT_QUEUE) ? env.FORWARD_HOT : env.FORWARD, inFlight);
    if (regrouped) log.info("jobs of group messages queued again for retry", { count: regrouped });
  }

  try {
    const stmts = [...counters.statements(env.DB), ...alertStatements(env.DB, alerts, now), ...ruleStats.statements(env.DB)];
    if (stmts.length) await env.DB.batch(stmts);
  } catch (err) {
    log.error("counter/alert write failed", { error: String(err) });
  }
}
