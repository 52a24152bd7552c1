/**
 * `POST /v1/rules/{id}/test` (docs/rules.md "Testing a rule"): one call of the rule's development locator on a
 * sample batch, checked by the contract, with no side effects — no guard state, no metrics, no logs stored,
 * nothing queued. The output is what the pipeline would pass on (the failure action applied on failure).
 */
import type { ResolvedRule } from "../db/rules-cache";
import { attempt } from "./attempt";
import type { Stage } from "./contract";
import { RULE_BUDGET_MS } from "./invoke";

export type TryResult = { output: Record<string, unknown> | null; error?: string; duration_ms: number; logs: string[] };

/** Runs `rule` once on `batch` at `stage` (All-Outputs: as an SDK input's batch when `sdk`). */
export async function tryRule(env: Env, rule: ResolvedRule, batch: Record<string, unknown>, stage: Stage, sdk: boolean): Promise<TryResult> {
  const spec = rule.development;
  const a = await attempt(env, rule, spec, batch, { stage, sdk }, Date.now() + RULE_BUDGET_MS);
  if (a.ok) return { output: a.checked.kind === "drop" ? null : a.checked.batch, duration_ms: a.ms, logs: a.logs };
  return { output: spec.failureAction === "discard" ? null : batch, error: a.called ? `${a.outcome}: ${a.message}` : a.message, duration_ms: a.ms, logs: a.logs };
}
