import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../../src/index";

describe("scheduled retention", () => {
  it("keeps source_request_id dedupe keys 30 days and deletes older ones", async () => {
    const now = Date.now();
    const day = 86_400_000;
    await env.DB.batch([
      env.DB.prepare("INSERT INTO request_dedupe (input_id, request_key, batch_id, received_at) VALUES (1, 'recent', 'b', ?)").bind(now - 30 * day),
      env.DB.prepare("INSERT INTO request_dedupe (input_id, request_key, batch_id, received_at) VALUES (1, 'ancient', 'b', ?)").bind(now - 40 * day),
    ]);
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ cron: "17 * * * *" }), env, ctx);
    await waitOnExecutionContext(ctx);
    const keys = await env.DB.prepare("SELECT request_key FROM request_dedupe WHERE request_key IN ('recent', 'ancient')").all<{ request_key: string }>();
    expect(keys.results.map((r) => r.request_key)).toEqual(["recent"]);
  });

  it("keeps drop and forwarding-stat counters 400 days", async () => {
    const now = Date.now();
    const hour = (ms: number) => new Date(ms).toISOString().slice(0, 13) + ":00:00Z";
    const old = hour(now - 401 * 86_400_000);
    const recent = hour(now - 399 * 86_400_000);
    await env.DB.batch([
      env.DB.prepare("INSERT INTO drop_counters (input_id, hour, reason, count) VALUES (1, ?, 'old', 1), (1, ?, 'recent', 1)").bind(old, recent),
      env.DB.prepare("INSERT INTO forwarding_stat_counters (input_id, hour, module_id, message_type, count) VALUES (1, ?, 901, 4, 1), (1, ?, 902, 4, 1)").bind(old, recent),
    ]);
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ cron: "17 * * * *" }), env, ctx);
    await waitOnExecutionContext(ctx);
    const drops = await env.DB.prepare("SELECT reason FROM drop_counters WHERE reason IN ('old', 'recent')").all<{ reason: string }>();
    expect(drops.results.map((r) => r.reason)).toEqual(["recent"]);
    const stats = await env.DB.prepare("SELECT module_id FROM forwarding_stat_counters WHERE module_id IN (901, 902)").all<{ module_id: number }>();
    expect(stats.results.map((r) => r.module_id)).toEqual([902]);
  });
});
