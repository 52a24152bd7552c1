/**
 * A half-open circuit breaker's trial call off the batch's path (docs/rules.md "Isolation"), against the HTTPS rule
 * server's never-answering endpoints (test/worker/helpers/rules-breaker.ts).
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { RuleStats } from "../../src/db/queries/rule-stats";
import { acquire, BREAKER_FAILURES, breakerOpen, endOpenPeriod, TRIAL_LOST_MS, trialUnderWay } from "../../src/rules/guard";
import { RULE_BUDGET_MS } from "../../src/rules/invoke";
import { runRules } from "../../src/rules/run";
import { context, halfOpen, httpsRule, sample, timed, writeStats } from "./helpers/rules-breaker";
import { ruleLogs, ruleMetrics, rulesSuiteHooks, type Api } from "./helpers/rules";
import { eventually } from "./helpers/wait";

let api: Api;
rulesSuiteHooks((a) => (api = a), () => undefined);

describe("a half-open circuit breaker's trial call runs off the batch's path", () => {
  it("the batch that meets a half-open breaker goes on at once under proceed while the trial call waits on a server that never answers; a failed trial opens the breaker again", async () => {
    const { rule, calls } = await httpsRule(api, "proceed");
    const { ctx, background } = context(rule);
    const stats = new RuleStats();
    await halfOpen(rule, ctx, stats);

    const first = sample();
    const trialBatch = await timed(rule, first, ctx, stats);
    // Well before the 200 ms budget: the batch did not wait for the trial, which is still under way.
    expect(trialBatch.ms).toBeLessThan(RULE_BUDGET_MS / 2);
    expect(trialBatch.out).toBe(first);
    expect(trialUnderWay(rule.id)).toBe(true);
    expect(background).toHaveLength(1);
    // The calls that reached the server (a loaded machine may give one up before its TLS handshake ends); edge-cdp's
    // own counts below are exact.
    await eventually(async () => expect((await calls()).length).toBeGreaterThan(0));

    // One trial at a time: a batch arriving while it runs is refused at once and starts no second trial.
    const second = sample();
    const during = await timed(rule, second, ctx, stats);
    expect(during.ms).toBeLessThan(RULE_BUDGET_MS / 2);
    expect(during.out).toBe(second);
    expect(background).toHaveLength(1);

    await Promise.all(background);
    expect(trialUnderWay(rule.id)).toBe(false);
    expect(breakerOpen(rule.id)).toBe(true);
    const after = await timed(rule, sample(), ctx, stats);
    expect(after.ms).toBeLessThan(RULE_BUDGET_MS / 2);
    expect((await calls()).length).toBeLessThanOrEqual(BREAKER_FAILURES + 1);

    // The trial counts as an invocation with its real outcome; the three batches that skipped the rule as rejected.
    await writeStats(stats);
    expect(await ruleMetrics(api, rule.id)).toMatchObject({ invocations: BREAKER_FAILURES + 1, timeouts: BREAKER_FAILURES + 1, rejected: 3, errors: 0, dropped_batches: 0 });
    const lines = await ruleLogs(api, rule.id);
    expect(lines).toContain("circuit breaker opened after 5 consecutive failures: calls refused for 30 s, then one trial call decides");
    expect(lines.some((l) => l.startsWith("trial call timeout: no answer within 200 ms; circuit breaker open again"))).toBe(true);
  });

  it("under discard the batch that meets a half-open breaker is dropped at once, and the trial still decides", async () => {
    const { rule } = await httpsRule(api, "discard");
    const { ctx, background } = context(rule);
    const stats = new RuleStats();
    await halfOpen(rule, ctx, stats);
    const r = await timed(rule, sample(), ctx, stats);
    expect(r.out).toBeNull();
    expect(r.ms).toBeLessThan(RULE_BUDGET_MS / 2);
    expect(trialUnderWay(rule.id)).toBe(true);
    await Promise.all(background);
    expect(breakerOpen(rule.id)).toBe(true);
  });

  it("a trial call that succeeds closes the breaker, so the next batch is transformed by the rule; the trial batch itself went on unchanged", async () => {
    const { rule, configure } = await httpsRule(api, "proceed");
    const { ctx, background } = context(rule);
    const stats = new RuleStats();
    await halfOpen(rule, ctx, stats);
    await configure("modify"); // the endpoint recovers

    const trialBatch = sample();
    const r = await timed(rule, trialBatch, ctx, stats);
    // The batch followed its failure action (proceed): the trial's answer, which would add rule_server, is not used.
    expect(r.out).toBe(trialBatch);
    expect(r.out?.user_attributes).toEqual({ plan: "premium" });
    await Promise.all(background);
    expect(trialUnderWay(rule.id)).toBe(false);
    expect(breakerOpen(rule.id)).toBe(false);

    const next = await runRules(env, [rule], sample(), ctx, stats);
    expect(next?.user_attributes).toEqual({ plan: "premium", rule_server: "verified" });
    await writeStats(stats);
    expect(await ruleMetrics(api, rule.id)).toMatchObject({ invocations: BREAKER_FAILURES + 2, timeouts: BREAKER_FAILURES, rejected: 1, errors: 0 });
    expect(await ruleLogs(api, rule.id)).toContain("trial call succeeded (its answer is not used): circuit breaker closed");
  });

  it("takes a trial that never settled as lost after TRIAL_LOST_MS: a new trial may start, and the lost one's late outcome decides nothing", async () => {
    const id = 900301;
    const now = Date.now();
    for (let i = 0; i < BREAKER_FAILURES; i++) {
      const s = await acquire(id, now + RULE_BUDGET_MS, now);
      if (typeof s === "string") throw new Error(s);
      s.release(false);
    }
    endOpenPeriod(id);
    const lost = await acquire(id, now + RULE_BUDGET_MS, now);
    expect(lost).toMatchObject({ trial: true });
    expect(await acquire(id, now + RULE_BUDGET_MS, now + TRIAL_LOST_MS - 1)).toBe("breaker_open");
    const next = await acquire(id, now + TRIAL_LOST_MS + RULE_BUDGET_MS, now + TRIAL_LOST_MS);
    expect(next).toMatchObject({ trial: true });
    if (typeof lost === "string" || typeof next === "string") throw new Error("no trial");
    lost.release(true); // too late: the breaker stays half-open with the new trial under way
    expect(trialUnderWay(id)).toBe(true);
    next.release(false);
    expect(breakerOpen(id)).toBe(true);
  });
});
