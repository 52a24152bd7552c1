/**
 * Forward consumer: groups jobs by connection, runs the integration's pure transform, delivers with a
 * timeout and classifies each answer: ok → ack · retryable → retry with backoff (Retry-After honoured)
 * until FORWARD_MAX_ATTEMPTS · permanent or exhausted → forward-dlq with the partner's answer.
 */
import { connectionById } from "../db/config-cache";
import { Counters } from "../db/queries/counters";
import { classifyHttp } from "../integrations/runtime/classify";
import { deliver } from "../integrations/runtime/deliver";
import type { Outcome, PartnerResponse } from "../integrations/runtime/types";
import { getIntegration } from "../integrations/registry";
import { ConfigurationError } from "../lib/errors";
import { log } from "../lib/log";
import { sendAll } from "../lib/queue";
import type { DeadLetterMessage, ForwardJob } from "../pipeline/messages";
import { type Alert, alertStatements } from "./alerts";
import { backoffSeconds } from "./retry-policy";

/** Workers allow six simultaneous outgoing connections per invocation. */
const DELIVERY_CONCURRENCY = 6;

/** `configuration` marks a failure no retry fixes because the output or connection is misconfigured. */
type JobResult = { outcome: Outcome; response?: PartnerResponse; configuration?: boolean };

const SEVERITY: Record<Outcome["kind"], number> = { ok: 0, retryable: 1, permanent: 2 };

function settings(env: Env) {
  return {
    maxAttempts: Math.max(1, Number(env.FORWARD_MAX_ATTEMPTS) || 8),
    baseSeconds: Math.max(0, Number(env.FORWARD_RETRY_BASE_SECONDS) || 0),
    timeoutMs: Math.max(100, Number(env.FORWARD_TIMEOUT_MS) || 10_000),
    partnerOrigin: env.PARTNER_API_ORIGIN || undefined,
  };
}

async function pool<T>(items: T[], limit: number, fn: (t: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]!);
  });
  await Promise.all(workers);
}

function responseText(r?: PartnerResponse): string | undefined {
  if (!r) return undefined;
  return r.error ?? `HTTP ${r.status}\n${r.body}`;
}

/** Runs transform + delivery for one connection's jobs; returns one result per job (undefined = nothing to send). */
async function runConnection(env: Env, connectionId: number, jobs: ForwardJob[]): Promise<(JobResult | undefined)[]> {
  const conn = await connectionById(env, connectionId);
  if (!conn) throw new ConfigurationError(`connection ${connectionId} no longer exists`);
  const integ = getIntegration(conn.integration);
  if (!integ) throw new ConfigurationError(`unknown integration "${conn.integration}"`);
  const config = integ.configSchema.safeParse(conn.outputSettings);
  if (!config.success) throw new ConfigurationError(`output ${conn.outputId} settings invalid: ${config.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  const connSettings = integ.connectionSchema.safeParse(conn.settings);
  if (!connSettings.success) throw new ConfigurationError(`connection ${connectionId} settings invalid: ${connSettings.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);

  const results: (JobResult | undefined)[] = jobs.map(() => undefined);
  const { timeoutMs, partnerOrigin } = settings(env);
  for (let start = 0; start < jobs.length; start += integ.maxBatchesPerCall) {
    const slice = jobs.slice(start, start + integ.maxBatchesPerCall);
    const requests = await integ.transform({ batches: slice.map((j) => j.batch), config: config.data, connection: connSettings.data });
    await pool(requests, DELIVERY_CONCURRENCY, async (req) => {
      const response = await deliver(req, { timeoutMs, partnerOrigin });
      const outcome = (integ.classify ?? classifyHttp)(response, req);
      for (const j of req.jobs) {
        const i = start + j;
        const cur = results[i];
        if (!cur || SEVERITY[outcome.kind] > SEVERITY[cur.outcome.kind]) results[i] = { outcome, response };
      }
    });
  }
  return results;
}

/** Processes one consumer invocation of the `forward` queue. */
export async function handleForward(batch: MessageBatch<ForwardJob>, env: Env): Promise<void> {
  const { maxAttempts, baseSeconds } = settings(env);
  const now = Date.now();
  const counters = new Counters(now);
  const alerts: Alert[] = [];
  const groups = new Map<number, Message<ForwardJob>[]>();
  for (const msg of batch.messages) {
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
    [...groups].map(async ([connectionId, msgs]) => {
      const jobs = msgs.map((m) => m.body);
      const first = jobs[0]!;
      const ids = { connection_id: connectionId, workspace_id: first.workspaceId, input_id: first.inputId };
      let results: (JobResult | undefined)[];
      try {
        results = await runConnection(env, connectionId, jobs);
      } catch (err) {
        const configuration = err instanceof ConfigurationError;
        const reason = configuration ? "configuration" : "permanent";
        log.error("forward failed before delivery", { ...ids, error: String(err) });
        alerts.push({ workspaceId: first.workspaceId, connectionId, outputId: first.outputId, environment: first.batch.environment, kind: reason, message: String((err as Error).message ?? err) });
        results = jobs.map(() => ({ outcome: { kind: "permanent", reason: String((err as Error).message ?? err) }, configuration }));
      }

      const dead: { msg: Message<ForwardJob>; dl: DeadLetterMessage }[] = [];
      let lastError: { kind: "retryable" | "permanent"; res?: PartnerResponse; reason: string } | undefined;
      msgs.forEach((msg, i) => {
        const r = results[i];
        const events = msg.body.batch.events.length;
        if (!r || r.outcome.kind === "ok") {
          // No request for this job means the integration filtered it out (nothing to deliver).
          msg.ack();
          if (r) counters.connection(connectionId, { forwarded_batches: 1, forwarded_events: events });
          return;
        }
        lastError = { kind: r.outcome.kind, res: r.response, reason: r.outcome.reason };
        if (r.outcome.kind === "retryable" && msg.attempts < maxAttempts) {
          const delaySeconds = backoffSeconds(msg.attempts, baseSeconds, r.outcome.retryAfterSeconds);
          counters.connection(connectionId, { retries: 1, errors_retryable: 1 });
          log.warn("delivery failed; retrying", { ...ids, batch_id: msg.body.batch.batch_id, attempts: msg.attempts, delay_seconds: delaySeconds, reason: r.outcome.reason });
          msg.retry({ delaySeconds });
          return;
        }
        const reason = r.configuration ? "configuration" : r.outcome.kind === "retryable" ? "exhausted" : "permanent";
        counters.connection(connectionId, r.outcome.kind === "retryable" ? { errors_retryable: 1 } : { errors_permanent: 1 });
        dead.push({
          msg,
          dl: { v: 1, type: "dead_letter", reason, attempts: msg.attempts, statusCode: r.response?.status, response: responseText(r.response) ?? r.outcome.reason, job: msg.body },
        });
      });

      if (lastError) {
        alerts.push({
          workspaceId: first.workspaceId,
          connectionId,
          outputId: first.outputId,
          environment: first.batch.environment,
          kind: lastError.kind === "retryable" ? "delivery_retryable" : "delivery_permanent",
          statusCode: lastError.res?.status,
          message: `${lastError.reason}`,
          response: responseText(lastError.res),
        });
      }
      if (dead.length) {
        try {
          await sendAll(env.FORWARD_DLQ, dead.map((d) => d.dl));
          for (const d of dead) d.msg.ack();
          counters.connection(connectionId, { dead_lettered: dead.length });
          log.error("jobs dead-lettered", { ...ids, count: dead.length, reason: dead[0]!.dl.reason });
        } catch (err) {
          log.error("dead-letter hand-off failed; retrying jobs", { ...ids, error: String(err) });
          for (const d of dead) d.msg.retry({ delaySeconds: 30 });
        }
      }
    }),
  );

  try {
    const stmts = [...counters.statements(env.DB), ...alertStatements(env.DB, alerts, now)];
    if (stmts.length) await env.DB.batch(stmts);
  } catch (err) {
    log.error("counter/alert write failed", { error: String(err) });
  }
}
