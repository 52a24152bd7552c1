import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { verifySignature } from "../../src/rules/signing";
import { platform, token } from "./helpers/platform";
import { batch, post } from "./helpers/requests";
import { attachToInput, customerOf, FIXTURE, forwardedOnce, newRule, ruleLogs, ruleMetrics, wiredInput, type Api } from "./helpers/rules";
import { installSink } from "./helpers/sink";
import { eventually, forCustomer, settle } from "./helpers/wait";

let api: Api;
let sink: ReturnType<typeof installSink>;
afterEach(() => sink?.restore());
beforeAll(async () => {
  api = platform(await token());
});

const fixture = FIXTURE;
const cust = customerOf;
const forwarded = (b: Record<string, any>) => forwardedOnce(sink.received, b);
const metrics = (id: number) => ruleMetrics(api, id);
const logs = (id: number) => ruleLogs(api, id);

describe("connection rules in the forward path", () => {
  it("run on the outbound batch just before the transform: they see batch_id and event ids; null sends nothing; a changed event id is invalid", async () => {
    sink = installSink();
    const { connectionId, auth } = await wiredInput();
    const r = await newRule(api, { locator: fixture, failure_action: "proceed" });
    expect((await api.put(`/connections/${connectionId}/rules`, { rule_ids: [r.id] })).status).toBe(200);

    const seen = batch({ environment: "development", user_attributes: { fixture: "headers" } });
    const dropped = batch({ environment: "development", user_attributes: { fixture: "drop" } });
    const badId = batch({ environment: "development", user_attributes: { fixture: "event_id" } });
    for (const b of [seen, dropped, badId]) expect((await post("/v2/events", b, auth)).status).toBe(202);
    expect((await forwarded(seen)).user_attributes).toMatchObject({ seen_stage: "connection", saw_batch_id: true });
    const unchanged = await forwarded(badId);
    expect(unchanged.events[0].data.event_id).not.toBe("999");
    await settle(1000);
    expect(forCustomer(sink.received, cust(dropped))).toHaveLength(0);
    await eventually(async () => expect(await metrics(r.id)).toMatchObject({ invocations: 3, errors: 1, dropped_batches: 1 }));
    expect((await logs(r.id)).some((l) => l.includes("event_id cannot be changed"))).toBe(true);
  });
});

describe("HTTPS rules", () => {
  it("sign every call with an HMAC of timestamp and body under the rule's secret; 429 answers count as throttles", async () => {
    let secret = "";
    const calls: { ok: boolean; body: any }[] = [];
    sink = installSink(async (req) => {
      if (!req.url.endsWith("/rule")) return new Response("ok");
      const ok = await verifySignature(secret, req.body, new Headers(req.headers));
      const body = JSON.parse(req.body);
      calls.push({ ok, body });
      if (body.user_attributes?.fixture === "throttle") return new Response("slow down", { status: 429 });
      return Response.json({ ...body, user_attributes: { ...body.user_attributes, via: "https" } });
    });
    const { inputId, auth } = await wiredInput();
    const r = await newRule(api, { locator: { type: "https", url: "https://partner.test/rule" }, failure_action: "proceed" });
    secret = r.signing_secret;
    await attachToInput(inputId, [r.id]);
    const b = batch({ environment: "development" });
    const t = batch({ environment: "development", user_attributes: { fixture: "throttle" } });
    for (const x of [b, t]) expect((await post("/v2/events", x, auth)).status).toBe(202);
    expect((await forwarded(b)).user_attributes.via).toBe("https");
    expect((await forwarded(t)).user_attributes).toEqual({ fixture: "throttle" });
    expect(calls).toHaveLength(2);
    expect(calls.every((c) => c.ok)).toBe(true);
    // A wrong secret does not verify.
    const req = sink.received.find((x) => x.url.endsWith("/rule"))!;
    expect(await verifySignature("rsec_wrong", req.body, new Headers(req.headers))).toBe(false);
    await eventually(async () => expect(await metrics(r.id)).toMatchObject({ invocations: 2, throttles: 1, errors: 0 }));
    expect((await logs(r.id))[0]).toContain("HTTP 429: slow down");
  });
});
