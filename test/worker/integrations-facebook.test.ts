import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { sha256Hex } from "../../src/integrations/runtime/hash";
import { batch, post } from "./helpers/requests";
import { installSink } from "./helpers/sink";
import { connectOutput, deadLetters } from "./helpers/connect-output";
import { eventually } from "./helpers/wait";

let sink: ReturnType<typeof installSink>;
afterEach(() => sink?.restore());

const capi = (pixel: string) => (r: { url: string }) => new URL(r.url).pathname === `/v24.0/${pixel}/events`;

describe("Facebook Conversions API output end to end (Events API → queues → partner)", () => {
  it("sends a Purchase with hashed user data and event_id from source_message_id", async () => {
    sink = installSink(() => new Response('{"events_received":1,"messages":[]}'));
    await connectOutput("facebook", { pixelId: "111", accessToken: "tok-fb" });
    const b = batch({
      events: [
        {
          event_type: "commerce_event",
          data: { source_message_id: "dedupe-1", currency_code: "EUR", product_action: { action: "purchase", transaction_id: "O-1", total_amount: 12, products: [{ id: "x", price: 4, quantity: 3 }] } },
        },
      ],
    });
    expect((await post("/v2/events", b)).status).toBe(202);
    const req = await eventually(() => {
      const r = sink.received.find((x) => capi("111")(x) && x.body.includes("dedupe-1"));
      expect(r).toBeTruthy();
      return r!;
    });
    expect(req.url).toBe("http://partner.test/v24.0/111/events");
    const body = req.json();
    expect(body.access_token).toBe("tok-fb");
    expect(body.data).toHaveLength(1);
    expect(body.data[0]).toMatchObject({
      event_name: "Purchase",
      event_id: "dedupe-1",
      action_source: "system_generated",
      event_time: expect.any(Number),
      user_data: { em: [await sha256Hex(b.user_identities.email)], external_id: [await sha256Hex(b.user_identities.customerid)] },
      custom_data: { value: 12, currency: "EUR", order_id: "O-1", contents: [{ id: "x", quantity: 3, item_price: 4 }] },
    });
  });

  it("a whole-request rejection (Graph error 100) dead-letters the batch once, without retries", async () => {
    sink = installSink((r) => (capi("222")(r) ? new Response('{"error":{"message":"Invalid parameter","code":100,"error_subcode":2804016}}', { status: 400 }) : new Response("ok")));
    const { connectionId } = await connectOutput("facebook", { pixelId: "222", accessToken: "tok-bad" });
    const b = batch();
    expect((await post("/v2/events", b)).status).toBe(202);
    const rows = await eventually(async () => {
      const r = await deadLetters(connectionId);
      expect(r).toHaveLength(1);
      return r;
    });
    expect(rows[0]!.reason).toBe("permanent");
    expect(rows[0]!.response).toContain("2804016");
    const alert = await env.DB.prepare("SELECT message FROM system_alerts WHERE connection_id = ? AND kind = 'delivery_permanent'").bind(connectionId).first<{ message: string }>();
    expect(alert!.message).toContain("Graph error 100/2804016");
    expect(sink.received.filter(capi("222"))).toHaveLength(1);
  });
});
