/**
 * One connection's deliveries: reads the connection (with its output's opened secrets), validates the output
 * and connection settings, runs the integration's pure transform per slice of jobs and delivers the requests
 * (six at a time), folding each answer into per-job results (src/forward/job-results.ts).
 */
import { connectionById } from "../db/config-cache";
import { classifyHttp } from "../integrations/runtime/classify";
import { deliver } from "../integrations/runtime/deliver";
import { type TransformResult, toTransformResult, type PartnerResponse } from "../integrations/runtime/types";
import { getIntegration } from "../integrations/registry";
import { ConfigurationError } from "../lib/errors";
import type { ForwardJob } from "../pipeline/messages";
import { applyAnswer, applyDrops, emptyResults, type JobResult } from "./job-results";
import { failedResult, mapJobs, sendable, transformMapped } from "./custom-mappings";
import { OUTGOING_CONCURRENCY, pool } from "./pool";

export function settings(env: Env) {
  return {
    maxAttempts: Math.max(1, Number(env.FORWARD_MAX_ATTEMPTS) || 8),
    baseSeconds: Math.max(0, Number(env.FORWARD_RETRY_BASE_SECONDS) || 0),
    timeoutMs: Math.max(100, Number(env.FORWARD_TIMEOUT_MS) || 10_000),
    partnerOrigin: env.PARTNER_API_ORIGIN || undefined,
  };
}

export function responseText(r?: PartnerResponse): string | undefined {
  if (!r) return undefined;
  return r.error ?? `HTTP ${r.status}\n${r.body}`;
}

const issues = (e: { issues: { path: PropertyKey[]; message: string }[] }) => e.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");

/** Runs transform + delivery for one connection's jobs; returns one result per job. */
export async function runConnection(env: Env, connectionId: number, jobs: ForwardJob[]): Promise<JobResult[]> {
  const conn = await connectionById(env, connectionId);
  if (!conn) throw new ConfigurationError(`connection ${connectionId} no longer exists`);
  if (conn.secretsUndecryptable) throw new ConfigurationError(conn.secretsUndecryptable);
  const integ = getIntegration(conn.integration);
  if (!integ) throw new ConfigurationError(`unknown integration "${conn.integration}"`);
  const config = integ.configSchema.safeParse(conn.outputSettings);
  if (!config.success) throw new ConfigurationError(`output ${conn.outputId} settings invalid: ${issues(config.error)}`);
  const connSettings = integ.connectionSchema.safeParse(conn.settings);
  if (!connSettings.success) throw new ConfigurationError(`connection ${connectionId} settings invalid: ${issues(connSettings.error)}`);

  const results = emptyResults(jobs.length);
  // Secret values, so that wherever a request is shown (the Live Stream) they are redacted.
  const secrets = integ.secretSettings.map((k) => (config.data as Record<string, unknown>)[k]).filter((v): v is string => typeof v === "string" && v.length > 0);
  for (const r of results) r.secrets = secrets;
  const { timeoutMs, partnerOrigin } = settings(env);
  const mapped = await mapJobs(env, conn, integ, connSettings.data, jobs);
  for (let start = 0; start < jobs.length; start += integ.maxBatchesPerCall) {
    const slice = jobs.slice(start, start + integ.maxBatchesPerCall);
    const input = { config: config.data, connection: connSettings.data, now: Date.now() };
    let tr: TransformResult;
    if (mapped) {
      const { batches, at } = sendable(mapped, start, slice.length, results);
      if (!batches.length) continue;
      tr = await transformMapped(integ, { ...input, batches }, at, (i, reason) => (results[start + i] = failedResult(results[start + i]!, reason)));
    } else tr = toTransformResult(await integ.transform({ ...input, batches: slice.map((j) => j.batch) }));
    const { requests, dropped } = tr;
    applyDrops(results, start, dropped);
    await pool(requests, OUTGOING_CONCURRENCY, async (req) => {
      const response = await deliver(req, { timeoutMs, partnerOrigin });
      applyAnswer(results, start, req, (integ.classify ?? classifyHttp)(response, req), response);
    });
  }
  return results;
}
