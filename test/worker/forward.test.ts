import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { deadLetterPayload } from "./helpers/dead-letters";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import worker from "../../src/index";
import type { ForwardJob } from "../../src/pipeline/messages";
import { forwardJob } from "./helpers/forward-job";
import { installSink } from "./helpers/sink";
import { eventually } from "./helpers/wait";

let sink: ReturnType<typeof installSink>;
afterEach(() => sink?.restore());

const job = forwardJob;

async function runForward(j: ForwardJob, attempts: number) {
  const id = `m-${crypto.randomUUID()}`;
  const mb = createMessageBatch<ForwardJob>("forward", [{ id, timestamp: new Date(), attempts, body: j }]);
  // getQueueResult() does not report retry delays, so record the options passed to retry().
  const retry = vi.spyOn(mb.messages[0]!, "retry");
  const ctx = createExecutionContext();
  await worker.queue(mb, env, ctx);
  return { id, result: await getQueueResult(mb, ctx), retryDelays: retry.mock.calls.map((c) => c[0]?.delaySeconds) };
}

async function deadLetter(batchId: string) {
  return eventually(async () => {
    const row = await env.DB.prepare("SELECT * FROM dead_letters WHERE batch_id = ?").bind(batchId).first<Record<string, any>>();
    expect(row).toBeTruthy();
    return row!;
  });
}

describe("forward consumer", () => {
  it("delivers the outbound batch JSON to the webhook and acks", async () => {
    sink = installSink();
    const j = job();
    const { id, result } = await runForward(j, 1);
    expect(result.explicitAcks).toEqual([id]);
    expect(sink.received).toHaveLength(1);
    expect(sink.received[0]!.url).toBe("http://partner.test/edge-cdp-demo");
    expect(sink.received[0]!.headers["content-type"]).toBe("application/json");
    expect(sink.received[0]!.json()).toEqual(j.batch);
  });

  it("retries a 503 with backoff, then succeeds on the next attempt", async () => {
    sink = installSink(() => new Response("down", { status: 503 }));
    const j = job();
    const first = await runForward(j, 1);
    expect(first.result.explicitAcks).toEqual([]);
    expect(first.result.retryMessages).toEqual([{ msgId: first.id }]);
    expect(first.retryDelays).toEqual([expect.any(Number)]);
    sink.respond(() => new Response("ok"));
    const second = await runForward(j, 2);
    expect(second.result.explicitAcks).toEqual([second.id]);
    expect(sink.received).toHaveLength(2);
    const alert = await env.DB.prepare("SELECT * FROM system_alerts WHERE kind = 'delivery_retryable' AND status_code = 503 ORDER BY id DESC").first<Record<string, any>>();
    expect(alert!.response).toContain("down");
  });

  it("honours Retry-After when it asks for longer than the backoff", async () => {
    sink = installSink(() => new Response("slow down", { status: 429, headers: { "Retry-After": "120" } }));
    const { id, result, retryDelays } = await runForward(job(), 1);
    expect(result.retryMessages).toEqual([{ msgId: id }]);
    expect(retryDelays).toEqual([120]);
  });

  it("treats a network error or timeout as retryable", async () => {
    sink = installSink(() => {
      throw new TypeError("connection refused");
    });
    const { id, result } = await runForward(job(), 1);
    expect(result.retryMessages.map((r) => r.msgId)).toEqual([id]);
  });

  it("sends a permanent 400 straight to the dead letters with the partner's answer", async () => {
    sink = installSink(() => new Response('{"error":"bad field"}', { status: 400 }));
    const j = job();
    const { id, result } = await runForward(j, 1);
    expect(result.explicitAcks).toEqual([id]);
    expect(result.retryMessages).toEqual([]);
    const row = await deadLetter(j.batch.batch_id);
    expect(row.reason).toBe("permanent");
    expect(row.status_code).toBe(400);
    expect(row.response).toContain("bad field");
    expect(row.connection_id).toBe(1);
    expect(((await deadLetterPayload(row.id)) as ForwardJob).batch.batch_id).toBe(j.batch.batch_id);
  });

  it("moves a job that exhausted its attempts to the dead letters", async () => {
    sink = installSink(() => new Response("still down", { status: 500 }));
    const j = job();
    const max = Number(env.FORWARD_MAX_ATTEMPTS);
    const { id, result } = await runForward(j, max);
    expect(result.explicitAcks).toEqual([id]);
    const row = await deadLetter(j.batch.batch_id);
    expect(row.reason).toBe("exhausted");
    expect(row.attempts).toBe(max);
    expect(row.status_code).toBe(500);
  });

  it("dead-letters jobs of a connection that no longer exists (connection_deleted), never drops them", async () => {
    sink = installSink();
    const j = job(999_999);
    const { id, result } = await runForward(j, 1);
    expect(result.explicitAcks).toEqual([id]);
    const row = await deadLetter(j.batch.batch_id);
    expect(row.reason).toBe("connection_deleted");
    expect(sink.received).toHaveLength(0);
  });

  it("retries (does not dead-letter) jobs when reading the configuration fails transiently", async () => {
    const failingDb = { prepare: () => { throw new Error("D1 unavailable"); }, batch: async () => { throw new Error("D1 unavailable"); } } as unknown as D1Database;
    const j = job(424_242);
    const mb = createMessageBatch<ForwardJob>("forward", [{ id: "transient-1", timestamp: new Date(), attempts: 1, body: j }]);
    const ctx = createExecutionContext();
    await worker.queue(mb, { ...env, DB: failingDb }, ctx);
    const result = await getQueueResult(mb, ctx);
    expect(result.retryMessages.map((r) => r.msgId)).toEqual(["transient-1"]);
    expect(result.explicitAcks).toEqual([]);
  });

  it("writes hourly counters per connection once per invocation", async () => {
    sink = installSink();
    const before = await env.DB.prepare("SELECT COALESCE(SUM(forwarded_batches),0) AS n FROM connection_counters WHERE connection_id = 1").first<{ n: number }>();
    await runForward(job(), 1);
    const after = await env.DB.prepare("SELECT COALESCE(SUM(forwarded_batches),0) AS n FROM connection_counters WHERE connection_id = 1").first<{ n: number }>();
    expect(after!.n - before!.n).toBe(1);
  });
});
