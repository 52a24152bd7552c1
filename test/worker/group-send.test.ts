/**
 * Group commit of ingest hand-offs (src/lib/group-send.ts): requests handed off while a send is in flight
 * travel in one `ingest_group` message; the consumer applies every part, acks all or retries all, and the
 * DLQ keeps one replayable dead letter per part.
 */
import { deadLetterPayload } from "./helpers/dead-letters";
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import worker from "../../src/index";
import { GROUP_MAX_BYTES, groupSend, groupSendLimits, isGroup, mergeAccepted, packGroups } from "../../src/lib/group-send";
import { replayDeadLetters } from "../../src/forward/replay";
import type { IngestMessage } from "../../src/pipeline/messages";
import { batch, post } from "./helpers/requests";
import { installSink } from "./helpers/sink";
import { eventually, forCustomer } from "./helpers/wait";

type Sent = { kind: "send" | "sendBatch"; bodies: string[] };

/** A queue whose sends wait until the test releases them (or fail when told to). */
function gatedQueue() {
  const sent: Sent[] = [];
  const gates: { release: () => void; fail: (e: Error) => void }[] = [];
  const wait = () => new Promise<void>((resolve, reject) => gates.push({ release: resolve, fail: reject }));
  const queue = {
    send: async (body: string) => {
      sent.push({ kind: "send", bodies: [body] });
      await wait();
    },
    sendBatch: async (bs: { body: string }[]) => {
      sent.push({ kind: "sendBatch", bodies: bs.map((b) => b.body) });
      await wait();
    },
  } as unknown as Queue<string>;
  return { sent, gates, queue };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

/** Runs `fn` with console.log captured: `lines` are the log lines printed so far. */
async function withLogLines(fn: (lines: string[]) => Promise<void>): Promise<void> {
  const lines: string[] = [];
  const spy = vi.spyOn(console, "log").mockImplementation((l: unknown) => void lines.push(String(l)));
  try {
    await fn(lines);
  } finally {
    spy.mockRestore();
  }
}
/** The outcome of `p`, observed from the start (a rejection is never left unhandled while a test waits elsewhere). */
const outcome = (p: Promise<unknown>) => p.then(() => "resolved", (e: unknown) => `rejected: ${(e as Error)?.message ?? String(e)}`);

/** A request with `texts` whose send (the queue's `n`th) fails: it is refused (the route answers 503) and logs nothing. */
async function failedSendLogsNothing(q: ReturnType<typeof gatedQueue>, texts: string[], n: number, lines: string[]): Promise<void> {
  const before = lines.length;
  const r = outcome(groupSend(q.queue, texts, undefined, { input_id: 7, batch_ids: ["failed"] }));
  await eventually(() => expect(q.sent).toHaveLength(n + 1));
  q.gates[n]!.fail(new Error("down"));
  expect(await r).toBe("rejected: down");
  expect(lines).toHaveLength(before);
}

describe("packGroups", () => {
  it("leaves a lone text unwrapped and wraps several in one group of their own JSON", () => {
    expect(packGroups([{ text: '{"a":1}', bytes: 7 }])).toEqual([{ body: '{"a":1}', bytes: 7, count: 1 }]);
    const [g] = packGroups([{ text: '{"a":1}', bytes: 7 }, { text: '{"b":2}', bytes: 7 }]);
    expect(g!.count).toBe(2);
    const parsed = JSON.parse(g!.body);
    expect(isGroup(parsed)).toBe(true);
    expect(parsed).toEqual({ v: 1, type: "ingest_group", parts: [{ a: 1 }, { b: 2 }] });
  });

  it("keeps every group under the byte limit", () => {
    const text = JSON.stringify({ pad: "x".repeat(10_000) });
    const groups = packGroups(Array.from({ length: 20 }, () => ({ text, bytes: text.length })));
    expect(groups.reduce((n, g) => n + g.count, 0)).toBe(20);
    expect(groups.length).toBeGreaterThan(1);
    for (const g of groups) {
      expect(new TextEncoder().encode(g.body).byteLength).toBeLessThanOrEqual(GROUP_MAX_BYTES);
      expect(g.count === 1 ? JSON.parse(g.body).pad : JSON.parse(g.body).parts).toBeTruthy();
    }
  });
});

describe("mergeAccepted", () => {
  it("gives one line per input: lists joined, counts added, differing values listed", () => {
    const lines = mergeAccepted([
      { input_id: 1, workspace_id: 1, batch_ids: ["a"], messages: 1, rejected: 0, channel: "javascript" },
      { input_id: 2, workspace_id: 1, batch_ids: ["b"], messages: 1, rejected: 1 },
      { input_id: 1, workspace_id: 1, batch_ids: ["c", "d"], messages: 2, rejected: 2, channel: "pixel", source_request_id: undefined },
    ]);
    expect(lines).toEqual([
      { requests: 2, input_id: 1, workspace_id: 1, batch_ids: ["a", "c", "d"], messages: 3, rejected: 2, channel: ["javascript", "pixel"] },
      { requests: 1, input_id: 2, workspace_id: 1, batch_ids: ["b"], messages: 1, rejected: 1 },
    ]);
  });
});

describe("groupSend", () => {
  it("logs one accepted line per input for the requests a send carried, only once it succeeded", async () => {
    const q = gatedQueue();
    await withLogLines(async (lines) => {
      const a = groupSend(q.queue, ['{"n":"a"}'], undefined, { input_id: 7, batch_ids: ["a"] });
      await tick();
      const b = groupSend(q.queue, ['{"n":"b"}'], undefined, { input_id: 7, batch_ids: ["b"] });
      const c = groupSend(q.queue, ['{"n":"c"}'], undefined, { input_id: 7, batch_ids: ["c"] });
      await tick();
      expect(lines).toEqual([]);
      q.gates[0]!.release();
      await a;
      await eventually(() => expect(q.sent).toHaveLength(2));
      expect(lines.map((l) => JSON.parse(l))).toEqual([expect.objectContaining({ msg: "accepted", requests: 1, input_id: 7, batch_ids: ["a"] })]);
      q.gates[1]!.release();
      await Promise.all([b, c]);
      expect(lines.map((l) => JSON.parse(l))[1]).toEqual(expect.objectContaining({ msg: "accepted", requests: 2, input_id: 7, batch_ids: ["b", "c"] }));
      // A failed send logs nothing (the route logs the failed hand-off).
      await failedSendLogsNothing(q, ['{"n":"d"}'], 2, lines);
    });
  });

  it("sends at once when idle, and groups what arrives during the send into one message", async () => {
    const q = gatedQueue();
    const settled: string[] = [];
    const a = groupSend(q.queue, ['{"n":"a"}']).then(() => settled.push("a"));
    await tick();
    expect(q.sent).toEqual([{ kind: "send", bodies: ['{"n":"a"}'] }]);
    const b = groupSend(q.queue, ['{"n":"b"}']).then(() => settled.push("b"));
    const c = groupSend(q.queue, ['{"n":"c1"}', '{"n":"c2"}']).then(() => settled.push("c"));
    await tick();
    expect(q.sent).toHaveLength(1); // b and c wait for a's send
    q.gates[0]!.release();
    await a;
    await eventually(() => expect(q.sent).toHaveLength(2));
    expect(settled).toEqual(["a"]); // not answered before their own message is in the queue
    expect(q.sent[1]!.kind).toBe("send");
    expect(JSON.parse(q.sent[1]!.bodies[0]!)).toEqual({ v: 1, type: "ingest_group", parts: [{ n: "b" }, { n: "c1" }, { n: "c2" }] });
    q.gates[1]!.release();
    await Promise.all([b, c]);
    expect(settled.sort()).toEqual(["a", "b", "c"]);
  });

  it("the request whose send ended sends what queued up meanwhile, in its waitUntil; without that, a waiting request sends it", async () => {
    const before = groupSendLimits.carryMs;
    try {
      for (const carryMs of [1_000, 0]) {
        groupSendLimits.carryMs = carryMs;
        const q = gatedQueue();
        const kept: Promise<unknown>[] = [];
        const a = groupSend(q.queue, ['{"n":"a"}'], (p) => void kept.push(p));
        await tick();
        const b = groupSend(q.queue, ['{"n":"b"}'], (p) => void kept.push(p));
        await tick();
        q.gates[0]!.release();
        await a;
        await eventually(() => expect(q.sent).toHaveLength(2));
        expect(JSON.parse(q.sent[1]!.bodies[0]!)).toEqual({ n: "b" });
        // a's waitUntil holds the send it carried on (carryMs 1 s) until that send ends; with carryMs 0 it ended with
        // a's own send, and b sent its text itself (its own waitUntil holds that send).
        const aKept = outcome(kept[0]!);
        await tick();
        expect(await Promise.race([aKept, tick().then(() => "pending")])).toBe(carryMs ? "pending" : "resolved");
        expect(kept).toHaveLength(carryMs ? 1 : 2);
        q.gates[1]!.release();
        await b;
        expect(await aKept).toBe("resolved");
      }
    } finally {
      groupSendLimits.carryMs = before;
    }
  });

  it("a request whose texts went out in two sends logs accepted only if both got in", async () => {
    const q = gatedQueue();
    await withLogLines(async (lines) => {
      // Ten texts of 30 KB (under half a group, so they go through the group) do not fit one sendBatch (240 KB).
      const mid = (n: string) => JSON.stringify({ n, pad: "x".repeat(30_000) });
      const a = outcome(groupSend(q.queue, Array.from({ length: 10 }, (_, i) => mid(`a${i}`)), undefined, { input_id: 9, batch_ids: ["a"] }));
      await eventually(() => expect(q.sent).toHaveLength(1));
      q.gates[0]!.fail(new Error("down"));
      await eventually(() => expect(q.sent).toHaveLength(2));
      q.gates[1]!.release();
      expect(await a).toBe("rejected: down");
      expect(lines).toEqual([]);
    });
  });

  it("texts over half a group go out at once, by their own request, without waiting for the send in flight", async () => {
    const q = gatedQueue();
    await withLogLines(async (lines) => {
      const small = groupSend(q.queue, ['{"n":"a"}']);
      await tick();
      const big = (n: string) => JSON.stringify({ n, pad: "x".repeat(GROUP_MAX_BYTES / 2) });
      const b = groupSend(q.queue, [big("b1"), big("b2")], undefined, { input_id: 3, batch_ids: ["b"] });
      await tick();
      // Sent while the small text's send is still in flight: one sendBatch of its own two messages.
      expect(q.sent.map((x) => [x.kind, x.bodies.map((t) => JSON.parse(t).n)])).toEqual([["send", ["a"]], ["sendBatch", ["b1", "b2"]]]);
      q.gates[1]!.release();
      await b;
      expect(lines.map((l) => JSON.parse(l))).toEqual([expect.objectContaining({ msg: "accepted", requests: 1, input_id: 3, batch_ids: ["b"] })]);
      q.gates[0]!.release();
      await small;
      // A failed send rejects the request (the route answers 503) and logs nothing.
      await failedSendLogsNothing(q, [big("c")], 2, lines);
    });
  });

  it("a waiter whose text was taken by a send that never settles gives up (503) instead of waiting forever", async () => {
    const q = gatedQueue();
    const before = groupSendLimits.staleSendMs;
    groupSendLimits.staleSendMs = 40;
    try {
      const x = groupSend(q.queue, ['{"n":"x"}']);
      await tick();
      q.gates[0]!.release();
      await x;
      // Right after a send the next leader lingers, so c joins a's send; that send never settles (its request
      // was torn down, as far as the others can tell).
      void groupSend(q.queue, ['{"n":"a"}']).catch(() => {});
      const c = outcome(groupSend(q.queue, ['{"n":"c"}']));
      await eventually(() => expect(q.sent).toHaveLength(2));
      expect(JSON.parse(q.sent[1]!.bodies[0]!).parts).toEqual([{ n: "a" }, { n: "c" }]);
      expect(await c).toBe("rejected: queue send did not settle");
      // Later requests are not held back by the lost send.
      const b = groupSend(q.queue, ['{"n":"b"}']);
      await eventually(() => expect(q.sent).toHaveLength(3));
      q.gates[2]!.release();
      await b;
    } finally {
      groupSendLimits.staleSendMs = before;
    }
  });

  it("rejects every request of a group whose send failed, and the next request sends again", async () => {
    const q = gatedQueue();
    const a = groupSend(q.queue, ['{"n":"a"}']);
    await tick();
    const b = outcome(groupSend(q.queue, ['{"n":"b"}']));
    const c = outcome(groupSend(q.queue, ['{"n":"c"}']));
    q.gates[0]!.release();
    await a;
    await eventually(() => expect(q.sent).toHaveLength(2));
    q.gates[1]!.fail(new Error("queue down"));
    expect(await b).toBe("rejected: queue down");
    expect(await c).toBe("rejected: queue down");
    const d = groupSend(q.queue, ['{"n":"d"}']);
    await eventually(() => expect(q.sent).toHaveLength(3));
    expect(q.sent[2]!.bodies).toEqual(['{"n":"d"}']);
    q.gates[2]!.release();
    await d;
  });
});

let sink: ReturnType<typeof installSink>;
afterEach(() => sink?.restore());

const ingestMessage = (b: ReturnType<typeof batch>): IngestMessage => ({
  v: 1, type: "ingest", inputId: 1, workspaceId: 1, organizationId: 1, receivedAt: Date.now(), channel: "server_to_server",
  historical: false, limitCorrections: 0, items: [{ batchId: crypto.randomUUID(), eventOffset: 0, batch: b as IngestMessage["items"][0]["batch"] }],
});

describe("group messages end to end", () => {
  it("concurrent Events API requests are all accepted, share messages, and every batch reaches the output once", async () => {
    sink = installSink();
    const batches = Array.from({ length: 24 }, () => batch({}, 2));
    const bodies: string[] = [];
    const q = env.INGEST as unknown as Queue<string>;
    const send = q.send.bind(q);
    const spy = vi.spyOn(q, "send").mockImplementation(async (body, o) => (bodies.push(String(body)), send(body, o)));
    let statuses: number[];
    try {
      statuses = await Promise.all(batches.map(async (b) => (await post("/v2/events", b)).status));
    } finally {
      spy.mockRestore();
    }
    expect(statuses.every((s) => s === 202)).toBe(true);
    const parsed = bodies.map((b) => JSON.parse(b));
    // 24 requests in flight at once: fewer messages than requests, and every batch in exactly one of them.
    expect(parsed.length).toBeLessThan(24);
    expect(parsed.some((p) => isGroup(p))).toBe(true);
    const sent = parsed
      .flatMap((p) => (isGroup<IngestMessage>(p) ? p.parts : [p as IngestMessage]))
      .flatMap((m) => m.items.flatMap((i) => (i.batch.events ?? []).map((e) => e.data?.source_message_id)));
    expect(sent.sort()).toEqual(batches.flatMap((b) => b.events.map((e: { data: { source_message_id: string } }) => e.data.source_message_id)).sort());
    await eventually(() => {
      for (const b of batches) expect(forCustomer(sink.received, b.user_identities.customerid)).toHaveLength(1);
    });
  });

  it("applies every part of a group message and acks it; a failing part goes back alone, the others are done", async () => {
    sink = installSink();
    const a = batch({}, 1);
    const b = batch({}, 1);
    const body = { v: 1, type: "ingest_group", parts: [ingestMessage(a), ingestMessage(b)] };
    const mb = createMessageBatch<unknown>("ingest", [{ id: "group-1", timestamp: new Date(), attempts: 1, body: JSON.stringify(body) }]);
    const ctx = createExecutionContext();
    await worker.queue(mb as MessageBatch<never>, env, ctx);
    expect((await getQueueResult(mb, ctx)).explicitAcks).toEqual(["group-1"]);
    await eventually(() => {
      expect(forCustomer(sink.received, a.user_identities.customerid)).toHaveLength(1);
      expect(forCustomer(sink.received, b.user_identities.customerid)).toHaveLength(1);
    });

    // A part that fails while applied (items not a list), or an unreadable part: the other parts are applied and
    // forwarded, the failed part goes back on its own (retried alone from then on), and the group is acked.
    const [c, d] = [batch({}, 1), batch({}, 1)];
    const poison = { ...ingestMessage(batch({}, 1)), items: null };
    const failing = { v: 1, type: "ingest_group", parts: [ingestMessage(c), poison] };
    const unreadable = { v: 1, type: "ingest_group", parts: [ingestMessage(d), { v: 1, type: "what" }] };
    const requeued: string[] = [];
    const q = env.INGEST as unknown as Queue<string>;
    const spy = vi.spyOn(q, "send").mockImplementation(async (body) => (requeued.push(String(body)), {} as QueueSendResponse));
    try {
      const mb2 = createMessageBatch<unknown>("ingest", [
        { id: "group-2", timestamp: new Date(), attempts: 1, body: JSON.stringify(failing) },
        { id: "group-3", timestamp: new Date(), attempts: 1, body: JSON.stringify(unreadable) },
      ]);
      const ctx2 = createExecutionContext();
      await worker.queue(mb2 as MessageBatch<never>, env, ctx2);
      const r2 = await getQueueResult(mb2, ctx2);
      expect(r2.explicitAcks.sort()).toEqual(["group-2", "group-3"]);
      expect(r2.retryMessages).toEqual([]);
    } finally {
      spy.mockRestore();
    }
    expect(requeued.map((t) => JSON.parse(t)).sort((x, y) => String(x.type).localeCompare(String(y.type)))).toEqual([poison, { v: 1, type: "what" }]);
    await eventually(() => {
      expect(forCustomer(sink.received, c.user_identities.customerid)).toHaveLength(1);
      expect(forCustomer(sink.received, d.user_identities.customerid)).toHaveLength(1);
    });

    // Every part failed: nothing was applied, the message itself is retried (then dead-lettered by the queue).
    const allBad = { v: 1, type: "ingest_group", parts: [poison, { v: 1, type: "what" }] };
    const mb3 = createMessageBatch<unknown>("ingest", [{ id: "group-4", timestamp: new Date(), attempts: 1, body: JSON.stringify(allBad) }]);
    const ctx3 = createExecutionContext();
    await worker.queue(mb3 as MessageBatch<never>, env, ctx3);
    const r3 = await getQueueResult(mb3, ctx3);
    expect(r3.explicitAcks).toEqual([]);
    expect(r3.retryMessages.map((m) => m.msgId)).toEqual(["group-4"]);
  });

  it("the DLQ writes a large group in batches of statements, and a whole group stored as one row replays part by part", async () => {
    const parts = Array.from({ length: 150 }, () => ingestMessage(batch({}, 1)));
    const id = `dlq-big-${crypto.randomUUID()}`;
    const mb = createMessageBatch<unknown>("forward-dlq", [{ id, timestamp: new Date(), attempts: 101, body: JSON.stringify({ v: 1, type: "ingest_group", parts }) }]);
    const ctx = createExecutionContext();
    await worker.queue(mb as MessageBatch<never>, env, ctx);
    expect((await getQueueResult(mb, ctx)).ackAll).toBe(true);
    const n = await env.DB.prepare("SELECT COUNT(*) AS n FROM dead_letters WHERE id LIKE ?").bind(`${id}:%`).first<{ n: number }>();
    expect(n!.n).toBe(150);

    // A row holding a whole group (as a consumer that did not know groups would have stored it).
    const sent: unknown[] = [];
    const fake = { send: async (b: string) => void sent.push(JSON.parse(b)), sendBatch: async (bs: { body: string }[]) => void sent.push(...bs.map((x) => JSON.parse(x.body))) } as unknown as Queue;
    const two = parts.slice(0, 2);
    const ids = await replayDeadLetters({ FORWARD: fake, INGEST: fake } as never, [{ id: "row-1", payload: JSON.stringify({ v: 1, type: "ingest_group", parts: two }) }]);
    expect(ids).toEqual(["row-1"]);
    expect(sent).toEqual(two);
  });

  it("a group that reached the DLQ is kept as one replayable dead letter per part", async () => {
    const parts = [ingestMessage(batch({}, 1)), ingestMessage(batch({}, 1))];
    const body = { v: 1, type: "ingest_group", parts };
    const id = `dlq-group-${crypto.randomUUID()}`;
    const mb = createMessageBatch<unknown>("forward-dlq", [{ id, timestamp: new Date(), attempts: 101, body: JSON.stringify(body) }]);
    const ctx = createExecutionContext();
    await worker.queue(mb as MessageBatch<never>, env, ctx);
    expect((await getQueueResult(mb, ctx)).ackAll).toBe(true);
    const rows = await env.DB.prepare("SELECT id, reason, batch_id, payload FROM dead_letters WHERE id LIKE ? ORDER BY id").bind(`${id}:%`).all<{ id: string; reason: string; batch_id: string; payload: string }>();
    expect(rows.results.map((r) => r.id)).toEqual([`${id}:0`, `${id}:1`]);
    expect(rows.results.map((r) => r.reason)).toEqual(["ingest", "ingest"]);
    expect(rows.results.map((r) => r.batch_id)).toEqual(parts.map((p) => p.items[0]!.batchId));
    expect(await Promise.all(rows.results.map(async (r) => ((await deadLetterPayload(r.id)) as { type: string }).type))).toEqual(["ingest", "ingest"]);
  });
});
