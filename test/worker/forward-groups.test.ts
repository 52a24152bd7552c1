/**
 * Forward jobs in group messages (src/forward/job-groups.ts): the ingest consumer packs each connection's jobs
 * together; the forward consumer gives every job of a group its own outcome: done jobs are not sent again,
 * retryable ones are queued again with the attempts they used, permanent ones become dead letters.
 */
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import worker from "../../src/index";
import { FORWARD_GROUP_MAX_JOBS, isForwardGroup, packForwardJobs } from "../../src/forward/job-groups";
import type { ForwardJob } from "../../src/pipeline/messages";
import { forwardJob } from "./helpers/forward-job";
import { installSink, type Received } from "./helpers/sink";
import { eventually } from "./helpers/wait";

let sink: ReturnType<typeof installSink>;
afterEach(() => sink?.restore());

const job = forwardJob;

const group = (jobs: ForwardJob[]) => ({ v: 1, type: "forward_group", connectionId: jobs[0]!.connectionId, jobs });
const batchIdOf = (r: Received) => (r.json() as { batch_id: string }).batch_id;

async function runGroup(jobs: ForwardJob[], attempts = 1) {
  const id = `g-${crypto.randomUUID()}`;
  const mb = createMessageBatch<unknown>("forward", [{ id, timestamp: new Date(), attempts, body: JSON.stringify(group(jobs)) }]);
  const retry = vi.spyOn(mb.messages[0]!, "retry");
  const ctx = createExecutionContext();
  await worker.queue(mb as MessageBatch<never>, env, ctx);
  return { id, result: await getQueueResult(mb, ctx), retryDelays: retry.mock.calls.map((c) => c[0]?.delaySeconds) };
}

describe("packForwardJobs", () => {
  it("packs each connection's jobs into groups of at most 10, a lone job as a plain message", () => {
    const jobs = [...Array.from({ length: 12 }, () => job(1)), job(2)];
    const bodies = packForwardJobs(jobs, (j) => [j]).map((b) => JSON.parse(b.body));
    expect(bodies.map((b) => (isForwardGroup(b) ? [b.connectionId, b.jobs.length] : [b.connectionId, "plain"]))).toEqual([
      [1, FORWARD_GROUP_MAX_JOBS],
      [1, 2],
      [2, "plain"],
    ]);
    const ids = bodies.flatMap((b) => (isForwardGroup(b) ? b.jobs : [b])).map((j: ForwardJob) => j.batch.batch_id);
    expect(ids.sort()).toEqual(jobs.map((j) => j.batch.batch_id).sort());
  });

  it("splits a job over the message limit with the hook and keeps groups under 64 KB", () => {
    const big = job(1);
    big.batch.events = Array.from({ length: 300 }, (_, i) => ({ event_type: "custom_event", data: { event_name: "x".repeat(500), message_id: String(i), event_id: String(i), timestamp_unixtime_ms: 0 } }));
    const halves = (j: ForwardJob): ForwardJob[] => [
      { ...j, batch: { ...j.batch, events: j.batch.events.slice(0, j.batch.events.length / 2) } },
      { ...j, batch: { ...j.batch, events: j.batch.events.slice(j.batch.events.length / 2) } },
    ];
    const small = [job(1), job(1), job(1)];
    const bodies = packForwardJobs([big, ...small], halves);
    const parsed = bodies.map((b) => JSON.parse(b.body));
    // The big job (about 170 KB) went as two halves, each alone (over 64 KB, under the 128 KB message limit); the small ones together.
    expect(parsed.map((b) => (isForwardGroup(b) ? b.jobs.length : 1))).toEqual([1, 1, 3]);
    bodies.forEach((b, i) => {
      const actual = new TextEncoder().encode(b.body).byteLength;
      expect(b.bytes).toBeGreaterThanOrEqual(actual); // the size sendTexts batches by never undercounts
      expect(actual).toBeLessThanOrEqual(isForwardGroup(parsed[i]) ? 64 * 1024 : 120_000);
    });
    const events = parsed.slice(0, 2).flatMap((j: ForwardJob) => j.batch.events);
    expect(events).toHaveLength(300);
  });
});

describe("forward consumer, group messages", () => {
  it("delivers every job of a group and acks it", async () => {
    sink = installSink();
    const jobs = [job(), job(), job()];
    const { id, result } = await runGroup(jobs);
    expect(result.explicitAcks).toEqual([id]);
    expect(sink.received.map(batchIdOf).sort()).toEqual(jobs.map((j) => j.batch.batch_id).sort());
  });

  it("retries the whole group when every job failed retryably", async () => {
    sink = installSink(() => new Response("busy", { status: 503 }));
    const { id, result, retryDelays } = await runGroup([job(), job()]);
    expect(result.explicitAcks).toEqual([]);
    expect(result.retryMessages.map((m) => m.msgId)).toEqual([id]);
    expect(retryDelays).toHaveLength(1);
  });

  it("mixed outcomes: the done job is not sent again, the retryable one is queued again with its attempts, the refused one is a dead letter", async () => {
    const [ok, flaky, refused] = [job(), job(), job()];
    const calls = new Map<string, number>();
    sink = installSink((r) => {
      const b = batchIdOf(r);
      calls.set(b, (calls.get(b) ?? 0) + 1);
      if (b === flaky.batch.batch_id && calls.get(b) === 1) return new Response("busy", { status: 503 });
      if (b === refused.batch.batch_id) return new Response("bad", { status: 400 });
      return new Response("ok");
    });
    const sent: string[] = [];
    const q = env.FORWARD as unknown as Queue<string>;
    const send = q.send.bind(q);
    const spy = vi.spyOn(q, "send").mockImplementation(async (body, o) => (sent.push(String(body)), send(body, o)));
    let out: Awaited<ReturnType<typeof runGroup>>;
    try {
      out = await runGroup([ok, flaky, refused]);
    } finally {
      spy.mockRestore();
    }
    expect(out.result.explicitAcks).toEqual([out.id]);
    // Only the flaky job went back, on its own, carrying the attempt it used.
    // (Only this group's jobs: the runtime may carry other suites' forward traffic at the same time.)
    const ours = [ok, flaky, refused].map((j) => j.batch.batch_id);
    expect(sent.filter((s) => ours.some((id) => s.includes(id))).map((s) => JSON.parse(s))).toEqual([expect.objectContaining({ type: "forward", priorAttempts: 1, batch: expect.objectContaining({ batch_id: flaky.batch.batch_id }) })]);
    // The real queue delivers it again: it arrives, and the done job was sent once.
    await eventually(() => expect(calls.get(flaky.batch.batch_id)).toBe(2));
    expect(calls.get(ok.batch.batch_id)).toBe(1);
    const row = await eventually(async () => {
      const r = await env.DB.prepare("SELECT id, reason, status_code FROM dead_letters WHERE batch_id = ?").bind(refused.batch.batch_id).first<{ id: string; reason: string; status_code: number }>();
      expect(r).toBeTruthy();
      return r!;
    });
    expect(row).toMatchObject({ reason: "permanent", status_code: 400 });
  });

  it("counts a regrouped job's earlier attempts: the last allowed attempt fails into a dead letter", async () => {
    sink = installSink(() => new Response("busy", { status: 503 }));
    // Tests allow 4 attempts (FORWARD_MAX_ATTEMPTS): 3 used before, this delivery is the 4th.
    const worn = job(1, { priorAttempts: 3 });
    const fresh = job(1);
    const { id, result } = await runGroup([worn, fresh]);
    // fresh retries (queued again alone), worn is exhausted: the group itself is acked.
    expect(result.explicitAcks).toEqual([id]);
    const row = await eventually(async () => {
      const r = await env.DB.prepare("SELECT reason, attempts FROM dead_letters WHERE batch_id = ?").bind(worn.batch.batch_id).first<{ reason: string; attempts: number }>();
      expect(r).toBeTruthy();
      return r!;
    });
    expect(row).toEqual({ reason: "exhausted", attempts: 4 });
  });

  it("a group that reached the DLQ is kept as one dead letter per job", async () => {
    const jobs = [job(), job()];
    const id = `dlq-fg-${crypto.randomUUID()}`;
    const mb = createMessageBatch<unknown>("forward-dlq", [{ id, timestamp: new Date(), attempts: 101, body: JSON.stringify(group(jobs)) }]);
    const ctx = createExecutionContext();
    await worker.queue(mb as MessageBatch<never>, env, ctx);
    expect((await getQueueResult(mb, ctx)).ackAll).toBe(true);
    const rows = await env.DB.prepare("SELECT id, reason, batch_id FROM dead_letters WHERE id LIKE ? ORDER BY id").bind(`${id}:%`).all<{ id: string; reason: string; batch_id: string }>();
    expect(rows.results).toEqual(jobs.map((j, i) => ({ id: `${id}:${i}`, reason: "exhausted", batch_id: j.batch.batch_id })));
  });
});
