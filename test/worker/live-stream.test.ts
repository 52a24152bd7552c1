import { afterEach, describe, expect, it, vi } from "vitest";
import { LIVE_MAX_PER_SECOND } from "../../src/durable/live-stream";
import { LIVE_CHECK_MS, LIVE_ISOLATE_INTERVAL_MS, LIVE_REQUEST_BODY_MAX, liveOffer, livePending, shownRequest } from "../../src/pipeline/live-sample";
import { eventPoint, v2 } from "./helpers/plans";
import { token } from "./helpers/platform";
import { get, ORIGIN, signIn } from "./helpers/console";
import { batch, post } from "./helpers/requests";
import { eventually } from "./helpers/wait";

const UPGRADE = { Upgrade: "websocket", Connection: "Upgrade", "Sec-WebSocket-Version": "13", "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==", Origin: ORIGIN };

async function viewer(): Promise<{ ws: WebSocket; messages: any[] }> {
  const s = await signIn();
  const res = await get("/console/live/socket?ws=1", s.cookie, UPGRADE);
  expect(res.status).toBe(101);
  const ws = res.webSocket!;
  const messages: any[] = [];
  ws.addEventListener("message", (e) => messages.push(JSON.parse(e.data as string)));
  ws.accept();
  await eventually(() => expect(messages[0]).toMatchObject({ type: "hello", maxPerSecond: LIVE_MAX_PER_SECOND }), 5000);
  return { ws, messages };
}

describe("Live Stream end to end", () => {
  it("shows a viewer the inbound batch and the outbound delivery of an event sent through the Events API", async () => {
    const { ws, messages } = await viewer();
    const name = `live-${crypto.randomUUID()}`;
    const b = batch({ environment: "development" });
    b.events[0].data.event_name = name;
    expect((await post("/v2/events", b)).status).toBe(202);
    const samples = () => messages.filter((m) => m.type === "sample" && m.sample.eventNames.includes(name)).map((m) => m.sample);
    await eventually(() => expect(samples().map((s) => s.kind)).toEqual(expect.arrayContaining(["inbound", "outbound"])), 10_000);
    const inbound = samples().find((s) => s.kind === "inbound");
    expect(inbound).toMatchObject({ workspaceId: 1, inputId: 1, environment: "development", eventTypes: ["custom_event"] });
    expect(inbound.detail.batch.events[0].data.event_name).toBe(name);
    const outbound = samples().find((s) => s.kind === "outbound");
    expect(outbound).toMatchObject({ connectionId: 1, outputId: 1 });
    // What the connection was sent, and the partner's answer (no partner listens in this test: a retryable failure).
    expect(outbound.detail.sent.events[0].data.event_name).toBe(name);
    expect(["ok", "retryable", "permanent"]).toContain(outbound.detail.outcome.kind);
    // The exact HTTP request the partner was sent: the demo webhook's POST with the batch as its body.
    expect(outbound.detail.request).toMatchObject({ method: "POST", url: expect.stringMatching(/^https?:\/\//), truncated: false });
    expect(outbound.detail.request.body).toContain(name);
    ws.close();
  });

  it("shows a batch's data plan validation results with its inbound sample", async () => {
    const api = v2(await token());
    const plan = await api.post("/workspaces/1/plans", { data_plan_name: `Live ${crypto.randomUUID().slice(0, 8)}`, data_plan_versions: [{ version: 1, activated_environment: "development", version_document: { data_points: [eventPoint("Planned", {})] } }] });
    expect(plan.status).toBe(200);
    const { ws, messages } = await viewer();
    const name = `unplanned-${crypto.randomUUID()}`;
    const b = batch({ environment: "development", context: { data_plan: { plan_id: plan.body.data_plan_id } } });
    b.events[0].data.event_name = name;
    const inbound = () => messages.find((m) => m.type === "sample" && m.sample.kind === "inbound" && m.sample.eventNames.includes(name))?.sample;
    // An isolate learns that a viewer attached within LIVE_CHECK_MS (the previous test's viewer left moments ago, and
    // its deliveries' retries may have just asked): the batch is sent again each second until a sample shows it.
    let sentAt = 0;
    await eventually(async () => {
      if (!inbound() && Date.now() - sentAt >= 1000) {
        sentAt = Date.now();
        expect((await post("/v2/events", b)).status).toBe(202);
      }
      expect(inbound()).toBeTruthy();
    }, LIVE_CHECK_MS + 10_000);
    expect(inbound().detail.validation_results).toEqual([expect.objectContaining({ event_type: "validation_result", data: expect.objectContaining({ validation_errors: [expect.objectContaining({ validation_error_type: "unplanned" })] }) })]);
    ws.close();
  });
});

describe("the partner request as the Live Stream shows it", () => {
  const request = { method: "POST" as const, url: "https://api.partner.test/v1/track?api_key=sk-live-123456", headers: { Authorization: "Bearer sk-live-123456", "X-Api-Key": "abc", "Content-Type": "application/json" }, body: JSON.stringify({ api_key: "sk-live-123456", events: [1] }), jobs: [0] };

  it("replaces the connection's secret values everywhere and redacts credential headers, keeping the scheme", () => {
    const shown = shownRequest({ request, secrets: ["sk-live-123456"] })!;
    expect(shown.url).toBe("https://api.partner.test/v1/track?api_key=[secret]");
    expect(shown.headers).toEqual({ Authorization: "Bearer [redacted]", "X-Api-Key": "[redacted]", "Content-Type": "application/json" });
    expect(shown.body).toBe('{"api_key":"[secret]","events":[1]}');
    expect(JSON.stringify(shown)).not.toContain("sk-live-123456");
  });

  it("cuts bodies at 64 KB and says so; no request (nothing sent) is null", () => {
    const shown = shownRequest({ request: { ...request, body: "x".repeat(LIVE_REQUEST_BODY_MAX + 10) }, secrets: [] })!;
    expect(shown.body).toHaveLength(LIVE_REQUEST_BODY_MAX);
    expect(shown.truncated).toBe(true);
    expect(shownRequest({ secrets: [] })).toBeNull();
    expect(shownRequest(undefined)).toBeNull();
  });
});

/** A fake LIVE_STREAM binding counting calls. */
function fakeBinding(viewers: { n: number }) {
  const calls = { watching: 0, publish: 0 };
  return {
    calls,
    env: { LIVE_STREAM: { getByName: () => ({ watching: async () => (calls.watching++, viewers.n), publish: async () => (calls.publish++, true) }) } } as unknown as Pick<Env, "LIVE_STREAM">,
  };
}

describe("pipeline sampling (src/pipeline/live-sample.ts)", () => {
  afterEach(() => vi.restoreAllMocks());

  it("with nobody watching never builds a sample and asks the object at most once per 5 s per workspace", async () => {
    let now = 1_000_000;
    vi.spyOn(Date, "now").mockImplementation(() => now);
    const viewers = { n: 0 };
    const { env, calls } = fakeBinding(viewers);
    const build = vi.fn(() => null);
    for (let i = 0; i < 1000; i++) {
      const invocation = {};
      liveOffer(env, invocation, 777, "inbound", build);
      await livePending(invocation);
      now += 4; // 1,000 invocations in 4 s
    }
    expect(calls.watching).toBe(1);
    expect(build).not.toHaveBeenCalled();
    expect(calls.publish).toBe(0);
    // A viewer attaches: seen on the first offer after the answer is LIVE_CHECK_MS old, at most 5 s later.
    viewers.n = 1;
    now += LIVE_CHECK_MS;
    const invocation = {};
    liveOffer(env, invocation, 777, "inbound", () => ({ kind: "inbound", at: now, workspaceId: 777, inputId: 1, environment: "development", mpid: null, eventTypes: [], eventNames: [], detail: {} }));
    liveOffer(env, invocation, 777, "inbound", build);
    await livePending(invocation);
    expect(calls.watching).toBe(2);
    expect(calls.publish).toBe(1);
    // One sample per consumer invocation, however many offers it makes.
    expect(build).not.toHaveBeenCalled();
    // And one per LIVE_ISOLATE_INTERVAL_MS per workspace, lane and isolate, however many invocations run.
    const sample = vi.fn(() => ({ kind: "inbound" as const, at: now, workspaceId: 777, inputId: 1, environment: "development", mpid: null, eventTypes: [], eventNames: [], detail: {} }));
    for (let i = 0; i < 10; i++) {
      const inv = {};
      liveOffer(env, inv, 777, "inbound", sample);
      await livePending(inv);
      now += 10;
    }
    expect(sample).not.toHaveBeenCalled();
    now += LIVE_ISOLATE_INTERVAL_MS;
    const later = {};
    liveOffer(env, later, 777, "inbound", sample);
    await livePending(later);
    expect(sample).toHaveBeenCalledTimes(1);
    expect(calls.publish).toBe(2);
  });
});
