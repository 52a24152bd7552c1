/**
 * One call's work (src/rules/run.ts, src/rules/trial.ts, and the test endpoint's src/rules/try-rule.ts): the rule called with the batch's view for its
 * stage, its answer checked by the contract (src/rules/contract.ts). Nothing is counted or logged here: the caller
 * does, once it knows the outcome still matters (a call given up when the breaker opened, or a background trial,
 * counts apart).
 */
import type { ResolvedRule, RuleVersionSpec } from "../db/rules-cache";
import type { RuleOutcome } from "../db/queries/rule-stats";
import { allOutputsView, checkAnswer, type Checked, type Stage } from "./contract";
import { callRule, RULE_BUDGET_MS } from "./invoke";

type Json = Record<string, unknown>;

/**
 * A checked answer (`ok`), or the failure the failure action settles; `logs`: the lines the rule returned. `called`:
 * the failure is the call's own (its outcome names it), not an unreadable secret or an answer the contract refused.
 */
export type Attempt =
  | { ok: true; checked: Exclude<Checked<Json>, { kind: "error" }>; ms: number; logs: string[] }
  | { ok: false; outcome: Exclude<RuleOutcome, "ok" | "rejected">; ms: number; message: string; logs: string[]; called: boolean };

/** Calls `rule` with `batch` until `deadline` (ms since epoch); `cancel` ends the call early. Never throws. */
export async function attempt(env: Env, rule: ResolvedRule, spec: RuleVersionSpec, batch: Json, at: { stage: Stage; sdk?: boolean }, deadline: number, cancel?: AbortSignal): Promise<Attempt> {
  if (rule.secretError && spec.locator.type === "https") return { ok: false, outcome: "error", ms: 0, message: `signing secret unreadable: ${rule.secretError}`, logs: [], called: false };
  try {
    const view = at.stage === "all_outputs" ? allOutputsView(batch) : batch;
    const target = { ruleId: rule.id, locator: spec.locator, secret: rule.secret, stage: at.stage };
    const res = await callRule(env, target, view, Math.max(1, deadline - Date.now()), RULE_BUDGET_MS, cancel);
    if (res.kind !== "ok") return { ok: false, outcome: res.kind, ms: res.ms, message: res.message, logs: res.logs, called: true };
    const checked = checkAnswer(at.stage, batch, res, !!at.sdk, rule.id);
    if (checked.kind === "error") return { ok: false, outcome: "error", ms: res.ms, message: `invalid output: ${checked.message}`, logs: res.logs, called: false };
    return { ok: true, checked, ms: res.ms, logs: res.logs };
  } catch (err) {
    return { ok: false, outcome: "error", ms: 0, message: String((err as Error)?.message ?? err), logs: [], called: true };
  }
}
