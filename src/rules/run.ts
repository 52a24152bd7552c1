/**
 * Runs a chain of rules over one batch (docs/rules.md "Failure actions"): each rule through its guard
 * (src/rules/guard.ts) within the 200 ms budget; its answer checked by the contract (src/rules/contract.ts).
 * An exception, timeout, throttle, refused call or invalid answer applies the rule's failure action: `discard`
 * drops the batch, `proceed` goes on with the batch as it was before that rule. Counts and logs go to RuleStats.
 */
import type { ResolvedRule, RuleVersionSpec } from "../db/rules-cache";
import type { RuleOutcome, RuleStats } from "../db/queries/rule-stats";
import { log } from "../lib/log";
import { allOutputsView, checkAnswer, type Checked, type Stage } from "./contract";
import { acquire } from "./guard";
import { callRule, RULE_BUDGET_MS } from "./invoke";

type Json = Record<string, unknown>;
export type ChainContext = {
  stage: Stage;
  workspaceId: number;
  environment: "production" | "development";
  /** All-Outputs stage of a platform (SDK) input: unannounced attribute/identity changes are reverted. */
  sdk?: boolean;
  /** For logs. */
  ids?: Record<string, unknown>;
};

/** The locator and failure action a batch of `environment` runs (null: production data and no promoted version). */
export function specFor(rule: ResolvedRule, environment: "production" | "development"): RuleVersionSpec | null {
  return environment === "development" ? rule.development : rule.production;
}

type Failed = { kind: "failed"; outcome: Exclude<RuleOutcome, "ok">; ms: number | null; message: string };
type Step = Exclude<Checked<Json>, { kind: "error" }> | Failed;

/** One rule over one batch: the checked answer, or the failure that the failure action must settle. */
async function runOne(env: Env, rule: ResolvedRule, spec: RuleVersionSpec, batch: Json, ctx: ChainContext, stats: RuleStats): Promise<Step> {
  const deadline = Date.now() + RULE_BUDGET_MS;
  const slot = await acquire(rule.id, deadline);
  if (typeof slot === "string") {
    const message = slot === "breaker_open" ? "not called: the rule's circuit breaker is open after repeated failures" : "not called: the rule's concurrency limit stayed full for the whole budget";
    return fail(stats, rule, "rejected", null, message);
  }
  const view = ctx.stage === "all_outputs" ? allOutputsView(batch) : batch;
  const target = { ruleId: rule.id, locator: spec.locator, secret: rule.secret, stage: ctx.stage };
  const res = rule.secretError && spec.locator.type === "https" ? { kind: "error" as const, message: `signing secret unreadable: ${rule.secretError}`, logs: [], ms: 0 } : await callRule(env, target, view, Math.max(1, deadline - Date.now()));
  if (res.logs.length) stats.log(rule.id, "info", res.logs);
  if (res.kind !== "ok") {
    slot.release(false);
    return fail(stats, rule, res.kind, res.ms, res.message);
  }
  const checked = checkAnswer(ctx.stage, batch, res, !!ctx.sdk, rule.id);
  slot.release(checked.kind !== "error");
  if (checked.kind === "error") return fail(stats, rule, "error", res.ms, `invalid output: ${checked.message}`);
  stats.record(rule.id, "ok", res.ms, checked.kind === "drop");
  return checked;
}

function fail(stats: RuleStats, rule: ResolvedRule, outcome: Exclude<RuleOutcome, "ok">, ms: number | null, message: string): Failed {
  stats.log(rule.id, "error", [`${outcome}: ${message}`]);
  return { kind: "failed", outcome, ms, message };
}

/** Runs `rules` in order over `batch`; returns the batch to go on with, or null when it was dropped. */
export async function runRules<B extends Json>(env: Env, rules: ResolvedRule[], batch: B, ctx: ChainContext, stats: RuleStats): Promise<B | null> {
  let current: Json = batch;
  for (const rule of rules) {
    if (rule.workspaceId !== ctx.workspaceId) continue; // never another workspace's data (the loader filters too)
    const spec = specFor(rule, ctx.environment);
    if (!spec) continue;
    const r = await runOne(env, rule, spec, current, ctx, stats);
    if (r.kind === "batch") {
      current = r.batch;
      continue;
    }
    if (r.kind === "drop") return null;
    const discard = spec.failureAction === "discard";
    stats.record(rule.id, r.outcome, r.ms, discard);
    if (r.outcome !== "rejected") log.warn("rule failed; failure action applied", { ...ctx.ids, rule_id: rule.id, workspace_id: ctx.workspaceId, stage: ctx.stage, outcome: r.outcome, failure_action: spec.failureAction, error: r.message });
    if (discard) return null;
  }
  return current as B;
}
