import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { batch, post } from "./helpers/requests";
import { installSink } from "./helpers/sink";
import { connectOutput, deadLetters } from "./helpers/connect-output";
import { eventually, settle } from "./helpers/wait";

let sink: ReturnType<typeof installSink>;
afterEach(() => sink?.restore());

const AF_PATH = "/inappevent/id123456789";
const path = (url: string) => new URL(url).pathname;
const ios = (afId: string | undefined, events: unknown[]) =>
  batch({
    device_info: { platform: "iOS", ios_advertising_id: "IDFA-E2E", att_authorization_status: "denied" },
    application_info: { package: "com.example.e2e" },
    ...(afId ? { integration_attributes: { "92": { appsflyer_id: afId } } } : {}),
    events,
  });

describe("AppsFlyer output end to end (Events API → queues → partner)", () => {
  it("posts one in-app event per request: a custom event and an af_purchase, with att and the Dev Key", async () => {
    sink = installSink();
    await connectOutput("appsflyer", { devKey: "dev-e2e" }, { appleAppId: "123456789" });
    const afId = "1700000000000-0000000000000000001";
    const b = ios(afId, [
      { event_type: "custom_event", data: { event_name: "Signup", custom_event_type: "other", custom_attributes: { plan: "pro" } } },
      { event_type: "commerce_event", data: { currency_code: "EUR", product_action: { action: "purchase", transaction_id: "T-AF", total_amount: 30, products: [{ id: "a", price: 10 }, { id: "b", price: 20 }] } } },
    ]);
    expect((await post("/v2/events", b)).status).toBe(202);
    const reqs = await eventually(() => {
      const r = sink.received.filter((x) => path(x.url) === AF_PATH && x.body.includes(afId));
      expect(r).toHaveLength(2);
      return r;
    });
    expect(reqs.every((r) => r.headers.authentication === "dev-e2e" && r.url.startsWith("http://partner.test/"))).toBe(true);
    const all = reqs.map((r) => r.json());
    const bodies = [all.find((x) => x.eventName === "Signup"), all.find((x) => x.eventName === "af_purchase")];
    expect(bodies[0]).toMatchObject({ eventName: "Signup", eventValue: '{"plan":"pro"}', customer_user_id: b.user_identities.customerid, idfa: "IDFA-E2E", att: 2, af_events_api: "true" });
    expect(bodies[1]).toMatchObject({ eventName: "af_purchase", eventCurrency: "EUR" });
    expect(JSON.parse(bodies[1].eventValue)).toEqual({ af_currency: "EUR", af_content_id: ["a", "b"], af_quantity: 2, af_revenue: 30, af_order_id: "T-AF" });
    expect(bodies[0].eventTime).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}$/);
  });

  it("drops and counts a batch without an AppsFlyer ID: no request, no dead letter, an alert", async () => {
    sink = installSink();
    const { connectionId } = await connectOutput("appsflyer", { devKey: "dev-drop" }, { appleAppId: "123456789" });
    const b = ios(undefined, [{ event_type: "custom_event", data: { event_name: "NoId", custom_event_type: "other" } }]);
    expect((await post("/v2/events", b)).status).toBe(202);
    await eventually(async () => {
      const a = await env.DB.prepare("SELECT message FROM system_alerts WHERE connection_id = ? AND kind = 'dropped'").bind(connectionId).first<{ message: string }>();
      expect(a!.message).toContain("no AppsFlyer ID");
    });
    await settle(1000);
    expect(sink.received.filter((x) => x.headers.authentication === "dev-drop")).toHaveLength(0);
    expect(await deadLetters(connectionId)).toHaveLength(0);
  });

  it("dead-letters a 400 answer with AppsFlyer's reason and does not retry it", async () => {
    sink = installSink((r) => (r.headers.authentication === "dev-400" ? new Response("appsflyer_id is a mandatory field", { status: 400 }) : new Response("ok")));
    const { connectionId } = await connectOutput("appsflyer", { devKey: "dev-400" }, { appleAppId: "123456789" });
    const b = ios("1700000000000-0000000000000000400", [{ event_type: "custom_event", data: { event_name: "Bad", custom_event_type: "other" } }]);
    expect((await post("/v2/events", b)).status).toBe(202);
    const rows = await eventually(async () => {
      const r = await deadLetters(connectionId);
      expect(r).toHaveLength(1);
      return r;
    });
    expect(rows[0]).toMatchObject({ reason: "permanent", status_code: 400 });
    expect(rows[0]!.response).toContain("appsflyer_id is a mandatory field");
    expect(sink.received.filter((x) => x.headers.authentication === "dev-400")).toHaveLength(1);
  });
});
