/**
 * `POST /v1/rules/{id}/test` (docs/rules.md "Testing a rule"): one call of the rule's development locator on a
 * sample batch, checked by the contract, with no side effects — no guard state, no metrics, no logs stored,
 * nothing queued. The output is what the pipeline would pass on (the failure action applied on failure).
 */
import type { ResolvedRule } from "../db/rules-cache";
import { allOutputsView, checkAnswer, type Stage } from "./contract";
import { callRule } from "./invoke";

export type TryResult = { output: Record<string, unknown> | null; error?: string; duration_ms: number; logs: string[] };

/** Runs `rule` once on `batch` at `stage` (All-Outputs: as an SDK input's batch when `sdk`). */
export async function tryRule(env: Env, rule: ResolvedRule, batch: Record<string, unknown>, stage: Stage, sdk: boolean): Promise<TryResult> {
  const spec = rule.development;
  const failed = (error: string, ms: number, logs: string[]): TryResult => ({ output: spec.failureAction === "discard" ? null : batch, error, duration_ms: ms, logs });
  if (rule.secretError && spec.locator.type === "https") return failed(`signing secret unreadable: ${rule.secretError}`, 0, []);
  const view = stage === "all_outputs" ? allOutputsView(batch) : batch;
  const res = await callRule(env, { ruleId: rule.id, locator: spec.locator, secret: rule.secret, stage }, view);
  if (res.kind !== "ok") return failed(`${res.kind}: ${res.message}`, res.ms, res.logs);
  const checked = checkAnswer(stage, batch, res, sdk, rule.id);
  if (checked.kind === "error") return failed(`invalid output: ${checked.message}`, res.ms, res.logs);
  return { output: checked.kind === "drop" ? null : checked.batch, duration_ms: res.ms, logs: res.logs };
}
