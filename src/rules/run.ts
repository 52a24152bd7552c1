/**
 * Runs a chain of rules over one batch (docs/rules.md "Failure actions"): each rule through its guard
 * (src/rules/guard.ts) within the 200 ms budget; its answer checked by the contract (src/rules/contract.ts).
 * An exception, timeout, throttle, refused call or invalid answer applies the rule's failure action: `discard`
 * drops the batch, `proceed` goes on with the batch as it was before that rule. Counts and logs go to RuleStats.
 */
import type { ResolvedRule, RuleVersionSpec } from "../db/rules-cache";
import type { RuleOutcome, RuleStats } from "../db/queries/rule-stats";
import { log } from "../lib/log";
import { attempt, type Attempt } from "./attempt";
import type { Checked, Stage } from "./contract";
import { acquire, BREAKER_FAILURES, BREAKER_OPEN_MS, type Refusal, TRIAL_LOST_MS, unlessCut } from "./guard";
import { RULE_BUDGET_MS } from "./invoke";
import { runTrial } from "./trial";

type Json = Record<string, unknown>;
export type ChainContext = {
  stage: Stage;
  workspaceId: number;
  environment: "production" | "development";
  /** All-Outputs stage of a platform (SDK) input: unannounced attribute/identity changes are reverted. */
  sdk?: boolean;
  /** For logs. */
  ids?: Record<string, unknown>;
  /**
   * The consumer invocation's `ctx.waitUntil`: a half-open breaker's trial call runs there, off the batch's path
   * (src/rules/trial.ts). Without it (direct calls in tests and probes) the trial still runs in the background, as a
   * promise nobody awaits.
   */
  waitUntil?: (p: Promise<unknown>) => void;
};

/** The locator and failure action a batch of `environment` runs (null: production data and no promoted version). */
export function specFor(rule: ResolvedRule, environment: "production" | "development"): RuleVersionSpec | null {
  return environment === "development" ? rule.development : rule.production;
}

/** `called`: the call was made (a call given up when the breaker opened is `rejected` but was made). */
type Failed = { kind: "failed"; outcome: Exclude<RuleOutcome, "ok">; ms: number | null; message: string; called: boolean };
type Step = Exclude<Checked<Json>, { kind: "error" }> | Failed;

const REFUSED: Record<Refusal, string> = {
  breaker_open: "not called: the rule's circuit breaker is open after repeated failures",
  concurrency: "not called: the rule's concurrency limit stayed full for the whole budget",
};
const TRIAL_BATCH = "not waited for: the rule's circuit breaker is half-open; its trial call, made with this batch, runs in the background and decides (its answer is not used)";
const GIVEN_UP = "given up: the rule's circuit breaker opened while this call waited for its answer";
const LOST = `given up: no answer after ${TRIAL_LOST_MS / 1000} s, far over the ${RULE_BUDGET_MS} ms budget; its slot was taken back for other calls`;
const OPENED = `circuit breaker opened after ${BREAKER_FAILURES} consecutive failures: calls refused for ${BREAKER_OPEN_MS / 1000} s, then one trial call decides`;

/** One rule over one batch: the checked answer, or the failure that the failure action must settle. */
async function runOne(env: Env, rule: ResolvedRule, spec: RuleVersionSpec, batch: Json, ctx: ChainContext, stats: RuleStats): Promise<Step> {
  const deadline = Date.now() + RULE_BUDGET_MS;
  const slot = await acquire(rule.id, deadline);
  if (typeof slot === "string") return fail(stats, rule, "rejected", null, REFUSED[slot], false);
  if (slot.trial) {
    // A copy: the batch goes on down the pipeline while the trial's answer is checked against it.
    const trial = runTrial(env, rule, spec, structuredClone(batch), ctx, deadline, slot.release);
    if (ctx.waitUntil) ctx.waitUntil(trial);
    return fail(stats, rule, "rejected", null, TRIAL_BATCH, false);
  }
  const cancel = new AbortController();
  const a: Attempt | null = await unlessCut(slot, attempt(env, rule, spec, batch, ctx, deadline, cancel.signal));
  if (!a) {
    cancel.abort();
    return slot.isCut() === "lost" ? fail(stats, rule, "timeout", null, LOST, true) : fail(stats, rule, "rejected", null, GIVEN_UP, true);
  }
  const opened = slot.release(a.ok);
  if (a.logs.length) stats.log(rule.id, "info", a.logs);
  if (!a.ok) {
    const failed = fail(stats, rule, a.outcome, a.ms, a.message, true);
    if (opened) {
      stats.log(rule.id, "error", [OPENED]);
      log.warn("rule circuit breaker opened", { ...ctx.ids, rule_id: rule.id, workspace_id: ctx.workspaceId, stage: ctx.stage, failures: BREAKER_FAILURES, open_ms: BREAKER_OPEN_MS });
    }
    return failed;
  }
  stats.record(rule.id, "ok", a.ms, a.checked.kind === "drop");
  return a.checked;
}

function fail(stats: RuleStats, rule: ResolvedRule, outcome: Exclude<RuleOutcome, "ok">, ms: number | null, message: string, called: boolean): Failed {
  stats.log(rule.id, "error", [`${outcome}: ${message}`]);
  return { kind: "failed", outcome, ms, message, called };
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
    stats.record(rule.id, r.outcome, r.ms, discard, r.called);
    if (r.outcome !== "rejected") log.warn("rule failed; failure action applied", { ...ctx.ids, rule_id: rule.id, workspace_id: ctx.workspaceId, stage: ctx.stage, outcome: r.outcome, failure_action: spec.failureAction, error: r.message });
    if (discard) return null;
  }
  return current as B;
}
