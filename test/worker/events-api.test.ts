import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../../src/index";
import { basic, batch, post } from "./helpers/requests";

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
      send: async (b: unknown) => void sent.push(b),
      sendBatch: async (bs: { body: unknown }[]) => void sent.push(...bs.map((x) => x.body)),
    } as unknown as Queue;
    const res = await fetchWith({ INGEST: recording }, batch());
    expect(res.status).toBe(202);
    expect(sent).toHaveLength(1);
    expect((sent[0] as { items: unknown[] }).items).toHaveLength(1);
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
