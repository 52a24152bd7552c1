import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { batch, post } from "./helpers/requests";
import { installSink } from "./helpers/sink";
import { connectOutput, deadLetters } from "./helpers/connect-output";
import { eventually } from "./helpers/wait";

let sink: ReturnType<typeof installSink>;
afterEach(() => sink?.restore());

const path = (url: string) => new URL(url).pathname;

describe("Mixpanel output end to end (Events API → queues → partner)", () => {
  it("tracks a custom event and a purchase with $insert_id, and appends the $transaction", async () => {
    sink = installSink((r) => new Response(path(r.url) === "/edge-cdp-demo" ? "ok" : '{"status":1,"error":null}'));
    await connectOutput("mixpanel", { token: "tok-e2e", includeUserAttributes: true });
    const b = batch({
      user_attributes: { plan: "premium", beta: "false" },
      events: [
        { event_type: "custom_event", data: { event_name: "Signup", custom_event_type: "other", custom_attributes: { vip: "TRUE" } } },
        { event_type: "commerce_event", data: { currency_code: "USD", product_action: { action: "purchase", transaction_id: "T1", total_amount: 30, products: [{ id: "a", price: 10, quantity: 1 }, { id: "b", price: 20, quantity: 1 }] } } },
      ],
    });
    expect((await post("/v2/events", b)).status).toBe(202);
    const track = await eventually(() => {
      const r = sink.received.find((x) => path(x.url) === "/track" && x.body.includes("Signup"));
      expect(r).toBeTruthy();
      return r!;
    });
    expect(track.url).toBe("http://partner.test/track?verbose=1");
    const events = track.json();
    expect(events.map((e: any) => e.event)).toEqual(["Signup", "eCommerce - purchase - Item", "eCommerce - purchase - Item", "eCommerce - purchase - Total"]);
    const mpid = events[0].properties.distinct_id;
    expect(mpid).toMatch(/^-?\d+$/);
    expect(events[0].properties).toMatchObject({ token: "tok-e2e", vip: true, $insert_id: expect.stringMatching(/^\d+$/) });
    expect(events[3].properties).toMatchObject({ "Total Amount": 30, "Transaction Id": "T1", $insert_id: `${events[1].properties.$insert_id.split("-")[0]}-2` });
    const engage = await eventually(() => {
      const r = sink.received.filter((x) => path(x.url) === "/engage" && x.body.includes(mpid));
      expect(r.length).toBeGreaterThan(0);
      return r.flatMap((x) => x.json());
    });
    expect(engage).toContainEqual(expect.objectContaining({ $distinct_id: mpid, $append: { $transactions: expect.objectContaining({ $amount: 30 }) } }));
    expect(engage).toContainEqual(expect.objectContaining({ $set: expect.objectContaining({ plan: "premium", beta: false, $email: b.user_identities.email }) }));
  });

  it("delivers the accepted events of an /import partial failure once and dead-letters only the refused event", async () => {
    const old = Date.now() - 7 * 86_400_000;
    sink = installSink((r) => {
      if (path(r.url) !== "/import") return new Response("ok");
      return new Response(
        JSON.stringify({ code: 400, error: "some data points in the request failed validation", num_records_imported: 1, failed_records: [{ index: 1, insert_id: "x", field: "properties.time", message: "bad time" }] }),
        { status: 400 },
      );
    });
    const { connectionId } = await connectOutput("mixpanel", { token: "tok-import", apiSecret: "sec" });
    const b = batch({
      events: [
        { event_type: "custom_event", data: { event_name: "Old good", custom_event_type: "other", timestamp_unixtime_ms: old } },
        { event_type: "custom_event", data: { event_name: "Old bad", custom_event_type: "other", timestamp_unixtime_ms: old + 1 } },
      ],
    });
    expect((await post("/v2/events", b)).status).toBe(202);
    const rows = await eventually(async () => {
      const r = await deadLetters(connectionId);
      expect(r).toHaveLength(1);
      return r;
    });
    const payload = JSON.parse(rows[0]!.payload);
    expect(payload.batch.events.map((e: any) => e.data.event_name)).toEqual(["Old bad"]);
    expect(rows[0]!.reason).toBe("permanent");
    expect(rows[0]!.status_code).toBe(400);
    expect(rows[0]!.response).toContain("bad time");
    const imports = sink.received.filter((x) => path(x.url) === "/import");
    expect(imports).toHaveLength(1); // not retried
    expect(imports[0]!.headers.authorization).toBe(`Basic ${btoa("sec:")}`);
  });

  it("drops (and counts) a batch whose events are too old for /track when there is no API secret", async () => {
    sink = installSink();
    const { connectionId } = await connectOutput("mixpanel", { token: "tok-drop" });
    const b = batch({ events: [{ event_type: "custom_event", data: { event_name: "Ancient", custom_event_type: "other", timestamp_unixtime_ms: Date.now() - 30 * 86_400_000 } }] });
    expect((await post("/v2/events", b)).status).toBe(202);
    await eventually(async () => {
      const a = await env.DB.prepare("SELECT * FROM system_alerts WHERE connection_id = ? AND kind = 'dropped'").bind(connectionId).first<Record<string, any>>();
      expect(a!.message).toContain("older than 5 days");
    });
    const c = await env.DB.prepare("SELECT SUM(errors_permanent) AS n, SUM(dead_lettered) AS d FROM connection_counters WHERE connection_id = ?").bind(connectionId).first<Record<string, number>>();
    expect(c).toEqual({ n: 1, d: 0 });
    // Earlier tests' Mixpanel connections stay active in this file: look only at this output's token.
    expect(sink.received.filter((x) => x.body.includes("tok-drop"))).toHaveLength(0);
  });
});
