/**
 * The first burst of a rule that stops answering, cut short when its circuit breaker opens (docs/rules.md
 * "Isolation"), against the HTTPS rule server's never-answering endpoints (test/worker/helpers/rules-breaker.ts).
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { RuleStats } from "../../src/db/queries/rule-stats";
import { acquire, BREAKER_FAILURES, RULE_MAX_CONCURRENCY, TRIAL_LOST_MS } from "../../src/rules/guard";
import { RULE_BUDGET_MS } from "../../src/rules/invoke";
import { runRules } from "../../src/rules/run";
import { context, httpsRule, sample, timed, writeStats } from "./helpers/rules-breaker";
import { ruleLogs, ruleMetrics, rulesSuiteHooks, type Api } from "./helpers/rules";
import { eventually } from "./helpers/wait";

let api: Api;
rulesSuiteHooks((a) => (api = a), () => undefined);

describe("the breaker shortens the first burst of a rule that stops answering", () => {
  it("gives up the calls still waiting for an answer when the breaker opens: they go on under proceed without waiting out their budget, and the server sees them abandoned", async () => {
    const { rule, calls } = await httpsRule(api, "proceed");
    const { ctx } = context(rule);
    const stats = new RuleStats();
    const early = Array.from({ length: BREAKER_FAILURES }, () => runRules(env, [rule], sample(), ctx, stats));
    await new Promise((r) => setTimeout(r, 80));
    const late = Array.from({ length: BREAKER_FAILURES }, () => timed(rule, sample(), ctx, stats));
    await Promise.all(early);
    const lateDone = await Promise.all(late);
    // They started 80 ms after the first wave and ended when it timed out (~120 ms later), not after their own 200 ms.
    for (const r of lateDone) {
      expect(r.out).not.toBeNull();
      expect(r.ms).toBeLessThan(RULE_BUDGET_MS - 20);
    }
    // The server saw the calls that reached it (on a loaded machine a call can be given up before its TLS handshake
    // ends), each signed and abandoned.
    await eventually(async () => {
      const seen = await calls();
      expect(seen.length).toBeGreaterThan(0);
      expect(seen.length).toBeLessThanOrEqual(2 * BREAKER_FAILURES);
      expect(seen.every((c) => c.verified && c.aborted)).toBe(true);
    }, 10_000);
    // Given-up calls were made (invocations) but ended without an outcome of their own: rejected, not timeouts.
    await writeStats(stats);
    expect(await ruleMetrics(api, rule.id)).toMatchObject({ invocations: 2 * BREAKER_FAILURES, timeouts: BREAKER_FAILURES, rejected: BREAKER_FAILURES });
  });

  it("refuses the calls queued for a slot when the breaker opens instead of letting them call with what is left of their budget", async () => {
    const { rule } = await httpsRule(api, "proceed");
    const { ctx } = context(rule);
    const stats = new RuleStats();
    const full = Array.from({ length: RULE_MAX_CONCURRENCY }, () => runRules(env, [rule], sample(), ctx, stats));
    await new Promise((r) => setTimeout(r, 80));
    // Every slot is taken: these wait for one, with budget until ~280 ms.
    const queued = Array.from({ length: BREAKER_FAILURES }, () => timed(rule, sample(), ctx, stats));
    await Promise.all(full);
    for (const r of await Promise.all(queued)) {
      expect(r.out).not.toBeNull();
      expect(r.ms).toBeLessThan(RULE_BUDGET_MS - 20);
    }
    // None of them timed out: every batch either timed out in the first wave or was kept from the rule.
    await writeStats(stats);
    const m = await ruleMetrics(api, rule.id);
    expect(m.timeouts).toBeGreaterThanOrEqual(BREAKER_FAILURES);
    expect(m.timeouts).toBeLessThanOrEqual(RULE_MAX_CONCURRENCY);
    expect(m.timeouts + m.rejected).toBe(RULE_MAX_CONCURRENCY + BREAKER_FAILURES);
  });

  it("reports a call whose slot was taken back as lost (still unanswered after 5 s) as a timeout of its own, not as the breaker's doing", async () => {
    const { rule } = await httpsRule(api, "proceed");
    const { ctx } = context(rule);
    const stats = new RuleStats();
    const running = timed(rule, sample(), ctx, stats);
    await new Promise((r) => setTimeout(r, 30));
    // The other 15 slots, then a call arriving as if 6 s later: the pool is full, so every slot held since is reclaimed.
    const others = [];
    for (let i = 1; i < RULE_MAX_CONCURRENCY; i++) others.push(await acquire(rule.id, Date.now() + 1000));
    const later = await acquire(rule.id, Date.now() + 1000, Date.now() + TRIAL_LOST_MS + 1000);
    expect(typeof later === "string" ? later : "slot").toBe("slot");
    const r = await running;
    expect(r.out).not.toBeNull(); // proceed: the batch goes on
    await writeStats(stats);
    expect(await ruleMetrics(api, rule.id)).toMatchObject({ invocations: 1, timeouts: 1, rejected: 0 });
    // Given up when reclaimed, with its own message (a call that ran out its 200 ms budget logs another one).
    expect((await ruleLogs(api, rule.id)).join("\n")).toContain(`timeout: given up: no answer after ${TRIAL_LOST_MS / 1000} s`);
    for (const s of [...others, later]) if (typeof s !== "string") s.release(true);
  });
});
