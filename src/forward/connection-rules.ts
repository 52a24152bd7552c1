/**
 * A connection's rules (docs/rules.md), run in the forward consumer just before the connection's transform, on
 * the outbound batch of each job. A job whose batch a rule dropped is done (acked, nothing sent). A job that
 * went through its rules is marked `rulesApplied`, so a resend of part of it or a dead-letter replay of it does
 * not run them again; a plain retry of the queued message does (rules see the batch as queued).
 */
import type { RuleStats } from "../db/queries/rule-stats";
import { rulesForConnection } from "../db/config-cache";
import type { ForwardJob } from "../pipeline/messages";
import { runRules } from "../rules/run";
import { OUTGOING_CONCURRENCY, pool } from "./pool";
import { environmentOf } from "../schema/batch";

/** The jobs after the connection's rules (null: dropped), in order; `waitUntil`: the invocation's, for breaker trials. */
export async function applyConnectionRules(env: Env, connectionId: number, jobs: ForwardJob[], stats: RuleStats, waitUntil?: (p: Promise<unknown>) => void): Promise<(ForwardJob | null)[]> {
  const out: (ForwardJob | null)[] = [...jobs];
  if (!jobs.some((j) => !j.rulesApplied)) return out;
  const rules = await rulesForConnection(env, connectionId, jobs[0]!.workspaceId);
  if (!rules.length) return out;
  await pool(
    jobs.map((job, i) => ({ job, i })).filter(({ job }) => !job.rulesApplied),
    OUTGOING_CONCURRENCY,
    async ({ job, i }) => {
      const batch = await runRules(env, rules, job.batch, { stage: "connection", workspaceId: job.workspaceId, environment: environmentOf(job.batch), ids: { connection_id: connectionId, batch_id: job.batch.batch_id }, waitUntil }, stats);
      out[i] = batch ? { ...job, batch, rulesApplied: true } : null;
    },
  );
  return out;
}
