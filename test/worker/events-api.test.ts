import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../../src/index";
import { ValidationError } from "../../src/lib/errors";
import { decodeBody } from "../../src/lib/queue";
import { queueBatches } from "../../src/routes/events";
import { MAX_NESTING_DEPTH } from "../../src/schema/depth";
import type { Batch } from "../../src/schema/batch";
import { basic, batch, post } from "./helpers/requests";

/** JSON text of a value nested `levels` arrays deep (what a hostile or broken client can send). */
const nestedJson = (levels: number) => `${"[".repeat(levels)}1${"]".repeat(levels)}`;
/** A batch whose first event's `custom_flags.deep` is nested `levels` arrays deep, as request text. */
const deepBatchText = (levels: number) => JSON.stringify(batch()).replace('"data":{', `"data":{"custom_flags":{"deep":${nestedJson(levels)}},`);

async function errorBody(res: Response) {
  const body = (await res.json()) as { errors: { code: string; message: string }[] };
  expect(Array.isArray(body.errors)).toBe(true);
  return body.errors;
}

/** Calls the worker with a modified env (to fake a failing queue or an exhausted rate limit). */
async function fetchWith(overrides: Partial<Env>, body: unknown) {
  const ctx = createExecutionContext();
  const res = await worker.fetch(
    new Request("http://edge-cdp.test/v2/events", { method: "POST", headers: { Authorization: basic(), "Content-Type": "application/json" }, body: JSON.stringify(body) }),
    { ...env, ...overrides },
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return res;
}

describe("Events API answers", () => {
  it("answers 401 with a JSON error when the Authorization header is missing", async () => {
    const res = await post("/v2/events", batch(), {});
    expect(res.status).toBe(401);
    expect((await errorBody(res))[0]!.code).toBe("UNAUTHORIZED");
  });

  it("answers 401 when the Authorization header is not Basic key:secret", async () => {
    const res = await post("/v2/events", batch(), { Authorization: "Bearer abc" });
    expect(res.status).toBe(401);
  });

  it("answers 403 for a wrong secret and for an unknown key", async () => {
    expect((await post("/v2/events", batch(), { Authorization: basic("demo-server-key", "nope") })).status).toBe(403);
    const res = await post("/v2/events", batch(), { Authorization: basic("no-such-key", "demo-server-secret") });
    expect(res.status).toBe(403);
    expect((await errorBody(res))[0]!.code).toBe("FORBIDDEN");
  });

  it("answers 400 for malformed JSON", async () => {
    const res = await post("/v2/events", "{not json");
    expect(res.status).toBe(400);
    expect((await errorBody(res))[0]!.message).toMatch(/Malformed JSON/);
  });

  it("answers 400 naming the field when a required event field is missing", async () => {
    const b = batch();
    b.events.push({ event_type: "custom_event", data: { custom_event_type: "other" } });
    const res = await post("/v2/events", b);
    expect(res.status).toBe(400);
    const errors = await errorBody(res);
    expect(errors[0]!.code).toBe("BAD_REQUEST");
    expect(errors[0]!.message).toContain("events[1].data.event_name");
  });

  it("answers 400 naming the field for an unknown event_type", async () => {
    const res = await post("/v2/events", { environment: "production", events: [{ event_type: "nonsense", data: {} }] });
    expect(res.status).toBe(400);
    expect((await errorBody(res))[0]!.message).toContain("events[0].event_type");
  });

  it("rejects a body over 256 KB with 413 and keeps nothing", async () => {
    const big = batch({ user_attributes: { blob: "x".repeat(300 * 1024) } });
    const res = await post("/v2/events", big);
    expect(res.status).toBe(413);
    expect((await errorBody(res))[0]!.code).toBe("PAYLOAD_TOO_LARGE");
  });

  it("answers 429 with Retry-After and X-mp-rate-limit-exceeded when the input is over its rate limit", async () => {
    const res = await fetchWith({ INPUT_RATE_LIMITER: { limit: async () => ({ success: false }) } as RateLimit }, batch());
    expect(res.status).toBe(429);
    expect(Number(res.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect(res.headers.get("X-mp-rate-limit-exceeded")).toBe("app");
    await errorBody(res);
  });

  it("answers 503 with Retry-After when the ingest queue refuses the hand-off", async () => {
    const failing = {
      send: async () => {
        throw new Error("queue unavailable");
      },
      sendBatch: async () => {
        throw new Error("queue unavailable");
      },
    } as unknown as Queue;
    const res = await fetchWith({ INGEST: failing }, batch());
    expect(res.status).toBe(503);
    expect(res.headers.get("Retry-After")).toBeTruthy();
    expect((await errorBody(res))[0]!.code).toBe("SERVICE_UNAVAILABLE");
  });

  it("answers 202 only after the payload is in the ingest queue", async () => {
    const sent: unknown[] = [];
    const recording = {
      send: async (b: unknown) => void sent.push(decodeBody(b)),
      sendBatch: async (bs: { body: unknown }[]) => void sent.push(...bs.map((x) => decodeBody(x.body))),
    } as unknown as Queue;
    const res = await fetchWith({ INGEST: recording }, batch());
    expect(res.status).toBe(202);
    expect(sent).toHaveLength(1);
    expect((sent[0] as { items: unknown[] }).items).toHaveLength(1);
  });

  /** Posts request text with a queue that only records what it is given (the JSON text bodies, parsed back). */
  async function postRecorded(path: string, body: string, sent: unknown[]) {
    const recording = { send: async (b: unknown) => void sent.push(decodeBody(b)), sendBatch: async (bs: { body: unknown }[]) => void sent.push(...bs.map((x) => decodeBody(x.body))) } as unknown as Queue;
    const ctx = createExecutionContext();
    const res = await worker.fetch(new Request(`http://edge-cdp.test${path}`, { method: "POST", headers: { Authorization: basic(), "Content-Type": "application/json" }, body }), { ...env, INGEST: recording }, ctx);
    await waitOnExecutionContext(ctx);
    return res;
  }

  it("refuses a batch nested 20,000 levels deep with 400 naming the field, on /events and /bulkevents, and queues nothing", async () => {
    const sent: unknown[] = [];
    for (const [path, body] of [
      ["/v2/events", deepBatchText(20_000)],
      ["/v2/bulkevents", `[${JSON.stringify(batch())},${deepBatchText(20_000)}]`],
    ] as const) {
      const res = await postRecorded(path, body, sent);
      expect(res.status).toBe(400);
      const [err] = await errorBody(res);
      expect(err!.code).toBe("BAD_REQUEST");
      expect(err!.message).toMatch(new RegExp(`^${path === "/v2/bulkevents" ? "\\[1\\]\\." : ""}events\\[0\\]\\.data\\.custom_flags\\.deep(\\[0\\])+: Nested deeper than ${MAX_NESTING_DEPTH} levels`));
    }
    expect(sent).toEqual([]);
  });

  it("accepts values nested up to the depth limit", async () => {
    // batch (1) → events (2) → event (3) → data (4) → custom_flags (5) → deep (6): 27 more levels fit.
    const sent: unknown[] = [];
    expect((await postRecorded("/v2/events", deepBatchText(MAX_NESTING_DEPTH - 5), sent)).status).toBe(202);
    expect(sent).toHaveLength(1);
    expect((await postRecorded("/v2/events", deepBatchText(MAX_NESTING_DEPTH - 4), sent)).status).toBe(400);
    expect(sent).toHaveLength(1);
  });

  it("turns a batch that cannot be serialized into a 400, never a 503, whether packing or the queue hits it", async () => {
    const deep = JSON.parse(nestedJson(20_000)) as unknown;
    const b = { ...batch(), events: [{ event_type: "custom_event", data: { event_name: "x", custom_event_type: "other", custom_flags: { deep } } }] } as unknown as Batch;
    const input = { id: 1, workspaceId: 1, accountId: 1, organizationId: 1, kind: "platform", platform: "server", apiKey: "k", secretHash: "", status: "active", settings: {} } as const;
    const handOff = { channel: "server_to_server", historical: false } as const;
    // Packing measures a payload whose size it cannot bound from the body: JSON.stringify overflows there.
    await expect(queueBatches(env, input, [b], handOff)).rejects.toBeInstanceOf(ValidationError);
    // A small body skips measuring: the queue's own serialization overflows.
    await expect(queueBatches(env, input, [b], { ...handOff, bodyBytes: 1_000 })).rejects.toBeInstanceOf(ValidationError);
  });

  it("answers 404 with a JSON error for unknown routes", async () => {
    const res = await post("/v2/nothing-here", {});
    expect(res.status).toBe(404);
    await errorBody(res);
  });

  it("rejects bulk requests over 100 batches and non-array bodies with 400", async () => {
    const many = Array.from({ length: 101 }, () => batch());
    expect((await post("/v2/bulkevents", many)).status).toBe(400);
    const res = await post("/v2/bulkevents", batch());
    expect(res.status).toBe(400);
    await errorBody(res);
  });
});
