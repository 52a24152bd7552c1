/**
 * Queue message format (src/lib/queue.ts): bodies go out as JSON text, at most 100 messages / 240 KB per
 * `sendBatch`, oversized bodies split through the caller's hook; consumers decode text and still read the
 * object bodies of messages queued before (`json`/`v8`).
 */
import { describe, expect, it } from "vitest";
import { decodeBatch, decodeBody, QUEUE_MESSAGE_MAX_BYTES, SEND_BATCH_MAX_BYTES, sendAll } from "../../src/lib/queue";

type Call = { kind: "send" | "sendBatch"; bodies: { body: unknown; contentType?: string }[]; delaySeconds?: number };

function recorder() {
  const calls: Call[] = [];
  const queue = {
    send: async (body: unknown, o?: { contentType?: string; delaySeconds?: number }) => void calls.push({ kind: "send", bodies: [{ body, contentType: o?.contentType }], delaySeconds: o?.delaySeconds }),
    sendBatch: async (bs: { body: unknown; contentType?: string }[], o?: { delaySeconds?: number }) => void calls.push({ kind: "sendBatch", bodies: bs, delaySeconds: o?.delaySeconds }),
  } as unknown as Queue;
  return { calls, queue };
}

describe("sendAll", () => {
  it("sends one body as one JSON text message", async () => {
    const { calls, queue } = recorder();
    await sendAll(queue, [{ a: 1, s: "é✓" }], { delaySeconds: 3 });
    expect(calls).toEqual([{ kind: "send", bodies: [{ body: '{"a":1,"s":"é✓"}', contentType: "text" }], delaySeconds: 3 }]);
  });

  it("groups bodies into sendBatch calls of at most 100 messages and 240 KB (UTF-8)", async () => {
    const { calls, queue } = recorder();
    await sendAll(queue, Array.from({ length: 250 }, (_, i) => ({ i })));
    expect(calls.map((c) => c.bodies.length)).toEqual([100, 100, 50]);
    expect(calls.every((c) => c.kind === "sendBatch" && c.bodies.every((b) => b.contentType === "text"))).toBe(true);
    expect(calls.flatMap((c) => c.bodies.map((b) => JSON.parse(b.body as string).i))).toEqual([...Array(250).keys()]);

    // 3-byte characters: 30,000 of them are 90 KB of UTF-8 but only 30,000 UTF-16 units.
    const big = { s: "✓".repeat(30_000) };
    const bytes = new TextEncoder().encode(JSON.stringify(big)).byteLength;
    const sized = recorder();
    await sendAll(sized.queue, [big, big, big, big]);
    const perCall = Math.floor(SEND_BATCH_MAX_BYTES / bytes);
    expect(perCall).toBe(2);
    expect(sized.calls.map((c) => c.bodies.length)).toEqual([2, 2]);
  });

  it("splits a body over the message limit with the caller's hook, and sends an unsplittable one as it is", async () => {
    const { calls, queue } = recorder();
    const item = (n: number) => ({ events: Array.from({ length: n }, (_, i) => ({ i, pad: "x".repeat(1_000) })) });
    const split = (b: { events: unknown[] }) => (b.events.length < 2 ? [b] : [{ events: b.events.slice(0, b.events.length / 2) }, { events: b.events.slice(b.events.length / 2) }]);
    await sendAll(queue, [item(400), item(3)], { split });
    const sent = calls.flatMap((c) => c.bodies.map((b) => b.body as string));
    // 400 events of ~1 KB: 4 parts of 100 events, then the small body untouched.
    expect(sent.map((t) => JSON.parse(t).events.length)).toEqual([100, 100, 100, 100, 3]);
    expect(sent.every((t) => new TextEncoder().encode(t).byteLength <= QUEUE_MESSAGE_MAX_BYTES)).toBe(true);
    expect(sent.flatMap((t) => JSON.parse(t).events.map((e: { i: number }) => e.i))).toEqual([...[...Array(400).keys()], 0, 1, 2]);

    const one = recorder();
    await sendAll(one.queue, [{ events: [{ pad: "x".repeat(130_000) }] }], { split });
    expect(one.calls).toHaveLength(1); // the queue refuses it: the caller's error, nothing dropped here
  });
});

describe("decodeBody / decodeBatch", () => {
  it("parses JSON text, passes objects through, keeps unparsable text as a string", () => {
    expect(decodeBody('{"type":"ingest","v":1}')).toEqual({ type: "ingest", v: 1 });
    const obj = { type: "forward" };
    expect(decodeBody(obj)).toBe(obj);
    expect(decodeBody("not json {")).toBe("not json {");
  });

  it("parses JSON sent as UTF-8 bytes (an ArrayBuffer or a view), keeps unparsable bytes as they came", () => {
    const bytes = new TextEncoder().encode('{"type":"ingest","city":"Zürich 😀"}');
    expect(decodeBody(bytes.buffer)).toEqual({ type: "ingest", city: "Zürich 😀" });
    expect(decodeBody(bytes)).toEqual({ type: "ingest", city: "Zürich 😀" });
    const bad = new Uint8Array([0xff, 0x7b]);
    expect(decodeBody(bad)).toBe(bad);
  });

  it("gives a batch of decoded messages whose ack and retry reach the original messages", () => {
    const log: string[] = [];
    const msg = (id: string, body: unknown): Message<unknown> => ({ id, timestamp: new Date(0), attempts: 2, body, ack: () => void log.push(`ack ${id}`), retry: (o) => void log.push(`retry ${id} ${o?.delaySeconds}`) });
    const raw: MessageBatch<unknown> = {
      queue: "ingest",
      metadata: { metrics: { backlogCount: 0, backlogBytes: 0 } },
      messages: [msg("a", '{"n":1}'), msg("b", { n: 2 })],
      ackAll: () => void log.push("ackAll"),
      retryAll: (o) => void log.push(`retryAll ${o?.delaySeconds}`),
    };
    const batch = decodeBatch<{ n: number }>(raw);
    expect(batch.queue).toBe("ingest");
    expect(batch.messages.map((m) => [m.id, m.body.n, m.attempts])).toEqual([
      ["a", 1, 2],
      ["b", 2, 2],
    ]);
    batch.messages[0]!.ack();
    batch.messages[1]!.retry({ delaySeconds: 5 });
    batch.retryAll({ delaySeconds: 7 });
    batch.ackAll();
    expect(log).toEqual(["ack a", "retry b 5", "retryAll 7", "ackAll"]);
  });
});
