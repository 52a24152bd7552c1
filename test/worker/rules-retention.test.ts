import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../../src/index";
import { RULE_LOGS_KEPT, RULE_LOGS_PER_INVOCATION, RuleStats } from "../../src/db/queries/rule-stats";

describe("rule metrics and logs stay bounded", () => {
  it("keeps rule counters, latency and logs 7 days (the hourly cron deletes older ones)", async () => {
    const now = Date.now();
    const hour = (ms: number) => new Date(ms).toISOString().slice(0, 13) + ":00:00Z";
    const [old, recent] = [hour(now - 8 * 86_400_000), hour(now - 6 * 86_400_000)];
    await env.DB.batch([
      env.DB.prepare("INSERT INTO rule_counters (rule_id, hour, invocations) VALUES (800001, ?, 1), (800001, ?, 1)").bind(old, recent),
      env.DB.prepare("INSERT INTO rule_latency (rule_id, hour, bucket, count) VALUES (800001, ?, 1, 1), (800001, ?, 1, 1)").bind(old, recent),
      env.DB.prepare("INSERT INTO rule_logs (rule_id, level, message, created_at) VALUES (800001, 'error', 'old', ?), (800001, 'error', 'recent', ?)").bind(now - 8 * 86_400_000, now - 6 * 86_400_000),
    ]);
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ cron: "17 * * * *" }), env, ctx);
    await waitOnExecutionContext(ctx);
    expect((await env.DB.prepare("SELECT hour FROM rule_counters WHERE rule_id = 800001").all()).results).toEqual([{ hour: recent }]);
    expect((await env.DB.prepare("SELECT hour FROM rule_latency WHERE rule_id = 800001").all()).results).toEqual([{ hour: recent }]);
    expect((await env.DB.prepare("SELECT message FROM rule_logs WHERE rule_id = 800001").all()).results).toEqual([{ message: "recent" }]);
  });

  it("writes one counter row per rule and hour however many batches ran, at most 10 log lines per invocation, and trims each rule's log", async () => {
    const id = 800002;
    for (let inv = 0; inv < Math.ceil(RULE_LOGS_KEPT / RULE_LOGS_PER_INVOCATION) + 5; inv++) {
      const stats = new RuleStats();
      for (let i = 0; i < 50; i++) {
        stats.record(id, i % 5 === 0 ? "timeout" : "ok", i % 7, false);
        stats.log(id, "error", [`line ${inv}.${i}`]);
      }
      await env.DB.batch(stats.statements(env.DB));
    }
    const counters = await env.DB.prepare("SELECT COUNT(*) AS rows, SUM(invocations) AS n, SUM(timeouts) AS t FROM rule_counters WHERE rule_id = ?").bind(id).first<{ rows: number; n: number; t: number }>();
    expect(counters!.rows).toBeLessThanOrEqual(2); // the run may cross an hour boundary
    expect(counters!.n).toBe(55 * 50);
    expect(counters!.t).toBe(55 * 10);
    const logs = await env.DB.prepare("SELECT COUNT(*) AS n FROM rule_logs WHERE rule_id = ?").bind(id).first<{ n: number }>();
    expect(logs!.n).toBe(RULE_LOGS_KEPT);
  });
});
