/** DSR status callbacks: signed bodies verified with the certificate's public key, ordering, retry with backoff, give-up, missing key. */
import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { app } from "../../src/app";
import { runDsrPass } from "../../src/privacy/dsr-cron";
import type { DsrStep, DsrWork } from "../../src/privacy/dsr-processing";
import { callbacksOf, ORIGIN, requestRow, submitOk, v2Body, v3Body, verifySignature, wsAuth } from "./dsr-helpers";
import { installSink, type Received } from "./helpers/sink";

const BASE_MS = 900_000; // DSR_CALLBACK_RETRY_BASE_SECONDS in wrangler.toml
const FLAKY = "http://partner.test/flaky";
const OK = "http://partner.test/ok";

const done = async (_env: Env, w: DsrWork): Promise<DsrStep> => ({ done: true, mpids: [], identities: w.identities, partnerStatus: [], results: {} });

function envWith(over: Record<string, unknown>): Env {
  return new Proxy(env, { get: (t, p) => (typeof p === "string" && p in over ? over[p] : Reflect.get(t, p)) }) as Env;
}

const skip = { "opendsr.mparticle.com": { skip_waiting_period: true } };

let sink: ReturnType<typeof installSink>;
let failFlaky: (r: Received, n: number) => Response;
beforeEach(() => {
  failFlaky = () => new Response("down", { status: 500 });
  sink = installSink((r, n) => (r.url === FLAKY ? failFlaky(r, n) : new Response(null, { status: 202 })));
});
afterEach(() => sink.restore());

const to = (url: string, srid: string) => sink.received.filter((r) => r.url === url && r.json().subject_request_id === srid);

describe("callbacks", () => {
  it("POSTs each status change signed over the exact body (X-OpenDSR-* for v2/v3, X-OpenGDPR-* for v1)", async () => {
    const v3 = v3Body({ subject_request_type: "access", status_callback_urls: [OK] });
    const v1 = v2Body({ status_callback_urls: [OK], extensions: skip }, "1.0");
    await submitOk("/v3/requests", v3);
    await submitOk("/v1/opengdpr_requests", v1);
    const row = (await requestRow(v3.subject_request_id))!;
    await runDsrPass(env, { now: Date.now(), processor: done });

    const sent = to(OK, v3.subject_request_id);
    expect(sent.map((r) => r.json().request_status)).toEqual(["pending", "in_progress", "completed"]);
    for (const r of sent) {
      expect(r.method).toBe("POST");
      expect(r.headers["content-type"]).toBe("application/json");
      expect(r.headers["x-opendsr-processor-domain"]).toBe("edge-cdp.test");
      expect(await verifySignature(r.headers["x-opendsr-signature"], r.body)).toBe(true);
      expect(await verifySignature(r.headers["x-opendsr-signature"], r.body.replace('"controller_id":"1"', '"controller_id":"9"'))).toBe(false);
    }
    expect(sent[2]!.json()).toEqual({
      controller_id: "1",
      expected_completion_time: new Date(row.expected_completion_at).toISOString(),
      status_callback_url: OK,
      subject_request_id: v3.subject_request_id,
      request_status: "completed",
      api_version: "3.0",
      results_url: `${ORIGIN}/dsr/results/${row.id}`,
      extensions: null,
    });

    const legacy = to(OK, v1.subject_request_id);
    expect(legacy.map((r) => r.json().request_status)).toEqual(["pending", "in_progress", "completed"]);
    for (const r of legacy) {
      expect(r.headers["x-opendsr-signature"]).toBeUndefined();
      expect(r.headers["x-opengdpr-processor-domain"]).toBe("edge-cdp.test");
      expect(await verifySignature(r.headers["x-opengdpr-signature"], r.body)).toBe(true);
      expect(r.json().api_version).toBe("1.0");
    }
    const cbs = await callbacksOf(row.id);
    expect(cbs.every((c) => c.status === "delivered" && c.attempts === 1 && c.delivered_at !== null)).toBe(true);
  });

  it("uses DSR_PROCESSOR_DOMAIN when set, for answers and callbacks", async () => {
    const configured = envWith({ DSR_PROCESSOR_DOMAIN: "opendsr.example.com" });
    const body = v3Body({ status_callback_urls: [OK], extensions: skip });
    const req = new Request(`${ORIGIN}/v3/requests`, { method: "POST", headers: { Authorization: wsAuth(), "Content-Type": "application/json" }, body: JSON.stringify(body) });
    const res = await app.fetch(req, configured, createExecutionContext());
    expect(res.status).toBe(201);
    expect(res.headers.get("X-OpenDSR-Processor-Domain")).toBe("opendsr.example.com");
    await runDsrPass(configured, { now: Date.now(), processor: done });
    expect(to(OK, body.subject_request_id)[0]!.headers["x-opendsr-processor-domain"]).toBe("opendsr.example.com");
  });

  it("retries a failing receiver with exponential backoff, keeps its callbacks in order, and does not hold up other URLs", async () => {
    const body = v3Body({ status_callback_urls: [FLAKY, OK], extensions: skip });
    await submitOk("/v3/requests", body);
    const row = (await requestRow(body.subject_request_id))!;
    const t0 = Date.now();
    failFlaky = () => {
      throw new TypeError("connection refused");
    };
    await runDsrPass(env, { now: t0, processor: done });
    expect(to(OK, body.subject_request_id).map((r) => r.json().request_status)).toEqual(["pending", "in_progress", "completed"]);
    expect(to(FLAKY, body.subject_request_id).map((r) => r.json().request_status)).toEqual(["pending"]);
    let flaky = (await callbacksOf(row.id)).filter((c) => c.url === FLAKY);
    expect(flaky.map((c) => [JSON.parse(c.body).request_status, c.status, c.attempts])).toEqual([
      ["pending", "pending", 1],
      ["in_progress", "pending", 0],
      ["completed", "pending", 0],
    ]);
    expect(flaky[0]!.last_error).toContain("connection refused");
    expect(flaky[0]!.next_attempt_at).toBe(t0 + BASE_MS);

    // Not before it is due; later callbacks wait for the earlier one.
    failFlaky = () => new Response("down", { status: 500 });
    await runDsrPass(env, { now: t0 + BASE_MS - 1, processor: done });
    expect(to(FLAKY, body.subject_request_id)).toHaveLength(1);
    await runDsrPass(env, { now: t0 + BASE_MS, processor: done });
    expect(to(FLAKY, body.subject_request_id)).toHaveLength(2);
    flaky = (await callbacksOf(row.id)).filter((c) => c.url === FLAKY);
    expect(flaky[0]).toMatchObject({ attempts: 2, last_error: "HTTP 500", next_attempt_at: t0 + BASE_MS + 2 * BASE_MS });

    // The receiver recovers: the three go out in order in one pass.
    failFlaky = () => new Response(null, { status: 202 });
    await runDsrPass(env, { now: t0 + 3 * BASE_MS, processor: done });
    expect(to(FLAKY, body.subject_request_id).map((r) => r.json().request_status)).toEqual(["pending", "pending", "pending", "in_progress", "completed"]);
    expect((await callbacksOf(row.id)).every((c) => c.status === "delivered")).toBe(true);
  });

  it("marks a callback failed after DSR_CALLBACK_MAX_ATTEMPTS, logs it, then moves on to the next one", async () => {
    const limited = envWith({ DSR_CALLBACK_MAX_ATTEMPTS: "2" });
    const errors = vi.spyOn(console, "error");
    const body = v3Body({ status_callback_urls: [FLAKY], extensions: skip });
    await submitOk("/v3/requests", body);
    const row = (await requestRow(body.subject_request_id))!;
    const t0 = Date.now();
    await runDsrPass(limited, { now: t0, processor: done });
    await runDsrPass(limited, { now: t0 + BASE_MS, processor: done });
    const [first, second] = await callbacksOf(row.id);
    expect(first).toMatchObject({ status: "failed", attempts: 2, last_error: "HTTP 500" });
    const logged = errors.mock.calls.map((c) => JSON.parse(String(c[0]))).find((l) => l.msg === "dsr callback failed for good" && l.dsr_request_id === row.id);
    expect(logged).toMatchObject({ url: FLAKY, attempts: 2, error: "HTTP 500" });
    errors.mockRestore();
    // The in_progress callback was held back until then; it is attempted in the same pass.
    expect(to(FLAKY, body.subject_request_id).map((r) => r.json().request_status)).toEqual(["pending", "pending", "in_progress"]);
    expect(second).toMatchObject({ status: "pending", attempts: 1 });
  });

  it("keeps callbacks queued (unsent, attempts untouched) while no signing key is configured", async () => {
    const body = v3Body({ status_callback_urls: [OK] });
    await submitOk("/v3/requests", body);
    const row = (await requestRow(body.subject_request_id))!;
    const report = await runDsrPass(envWith({ DSR_SIGNING_KEY: "" }), { now: Date.now(), processor: done });
    expect(report.callbacks.skipped).toBeGreaterThanOrEqual(1);
    expect(to(OK, body.subject_request_id)).toHaveLength(0);
    expect(await callbacksOf(row.id)).toMatchObject([{ status: "pending", attempts: 0 }]);
    await runDsrPass(env, { now: Date.now(), processor: done });
    expect(to(OK, body.subject_request_id)).toHaveLength(1);
  });
});
