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
});
