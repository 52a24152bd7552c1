import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../../src/index";

describe("scheduled retention", () => {
  it("moves dead-letter payloads still in D1 (written before R2) to R2 and empties the column", async () => {
    const id = `legacy-${crypto.randomUUID()}`;
    const job = { v: 1, type: "forward", connectionId: 1, outputId: 1, workspaceId: 1, inputId: 1, batch: { batch_id: "legacy-b", events: [] } };
    await env.DB.prepare(`INSERT INTO dead_letters (id, connection_id, workspace_id, reason, attempts, payload, created_at) VALUES (?, 1, 1, 'permanent', 1, ?, 1)`).bind(id, JSON.stringify(job)).run();
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ cron: "17 * * * *" }), env, ctx);
    await waitOnExecutionContext(ctx);
    const row = await env.DB.prepare(`SELECT payload FROM dead_letters WHERE id = ?`).bind(id).first<{ payload: string }>();
    expect(row!.payload).toBe("");
    const obj = await env.DEAD_LETTERS.get(`pending/1/1/${id}`);
    expect(((await obj!.json()) as { payload: unknown }).payload).toEqual(job);
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
