/**
 * The half-open breaker's trial call (docs/rules.md "Isolation"), run off the batch's path: the batch it was made
 * with has already followed its failure action (counted `rejected`), and the trial's answer is never used — only
 * its outcome, which closes the breaker (success) or opens it again for BREAKER_OPEN_MS. It runs in the consumer
 * invocation's background (`waitUntil`), so neither that batch nor the invocation's other messages wait for it.
 * It counts as an invocation with its real outcome and latency, written by itself (one D1 batch per trial: at most
 * one per rule, isolate and BREAKER_OPEN_MS), because the invocation's own counts may be written before it ends.
 */
import type { ResolvedRule, RuleVersionSpec } from "../db/rules-cache";
import { RuleStats } from "../db/queries/rule-stats";
import { log } from "../lib/log";
import { attempt } from "./attempt";
import type { Stage } from "./contract";
import { BREAKER_OPEN_MS } from "./guard";

/** Runs the trial with `batch` (the view for `at.stage` is taken here) and settles the breaker through `release`. */
export async function runTrial(
  env: Env,
  rule: ResolvedRule,
  spec: RuleVersionSpec,
  batch: Record<string, unknown>,
  at: { stage: Stage; sdk?: boolean; workspaceId: number; ids?: Record<string, unknown> },
  deadline: number,
  release: (ok: boolean) => void,
): Promise<void> {
  const a = await attempt(env, rule, spec, batch, at, deadline);
  release(a.ok);
  const stats = new RuleStats();
  if (a.logs.length) stats.log(rule.id, "info", a.logs);
  if (a.ok) {
    // Not applied to any batch: nothing was dropped, whatever the answer.
    stats.record(rule.id, "ok", a.ms, false);
    stats.log(rule.id, "info", ["trial call succeeded (its answer is not used): circuit breaker closed"]);
    log.info("rule trial call succeeded; circuit breaker closed", { ...at.ids, rule_id: rule.id, workspace_id: at.workspaceId, stage: at.stage });
  } else {
    stats.record(rule.id, a.outcome, a.ms, false);
    stats.log(rule.id, "error", [`trial call ${a.outcome}: ${a.message}; circuit breaker open again for ${BREAKER_OPEN_MS / 1000} s`]);
    log.warn("rule trial call failed; circuit breaker open again", { ...at.ids, rule_id: rule.id, workspace_id: at.workspaceId, stage: at.stage, outcome: a.outcome, error: a.message });
  }
  try {
    await env.DB.batch(stats.statements(env.DB));
  } catch (err) {
    log.error("rule trial counts not written", { rule_id: rule.id, error: String(err) });
  }
}
