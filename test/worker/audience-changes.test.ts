import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import worker from "../../src/index";
import { platform, token } from "./helpers/platform";

let api: ReturnType<typeof platform>;
beforeAll(async () => {
  api = platform(await token());
});

const change = (audience_id: number, action: "add" | "delete", timestamp_ms = Date.now()) => ({ audience_id, action, timestamp_ms });

async function consume(bodies: unknown[]) {
  const mb = createMessageBatch<unknown>("audience-changes", bodies.map((body, i) => ({ id: `m${i}-${crypto.randomUUID()}`, timestamp: new Date(), attempts: 1, body })));
  const ctx = createExecutionContext();
  await worker.queue(mb, env, ctx);
  return getQueueResult(mb, ctx);
}

describe("audience-changes consumer", () => {
  it("counts adds and drops of one invocation per audience and hour, keeps sizes, and acks unreadable messages", async () => {
    const id = (await api.post("/audiences", { name: `Consumer ${crypto.randomUUID().slice(0, 6)}`, workspace_ids: [1], criteria: { identity: { identity_type: "email", operator: "exists" } } })).body.id as number;
    const old = Date.now() - 30 * 3_600_000;
    const result = await consume([
      { v: 1, type: "audience_changes", mpid: "1", changes: [change(id, "add"), change(id, "add")] },
      { v: 1, type: "audience_changes", mpid: "2", changes: [change(id, "add"), change(id, "delete")] },
      { v: 1, type: "audience_changes", mpid: "3", changes: [change(id, "add", old)] },
      { nonsense: true },
    ]);
    expect(result.ackAll).toBe(true);
    expect(result.retryMessages).toEqual([]);
    const rows = await env.DB.prepare(`SELECT hour, adds, drops FROM audience_counters WHERE audience_id = ? ORDER BY hour`).bind(id).all<{ hour: number; adds: number; drops: number }>();
    expect(rows.results.map((r) => [r.adds, r.drops])).toEqual([[1, 0], [3, 1]]);
    // Size counts every change; the 24-hour figures only the last 24 hours.
    expect((await api.get(`/audiences/${id}`)).body).toMatchObject({ size: 3, added_last_24_hours: 3, dropped_last_24_hours: 1 });
  });
});
