import { afterEach, describe, expect, it } from "vitest";
import { sha256Hex } from "../../src/lib/crypto";
import { batch, post } from "./helpers/requests";
import { installSink } from "./helpers/sink";
import { connectOutput, deadLetters } from "./helpers/connect-output";
import { eventually } from "./helpers/wait";

let sink: ReturnType<typeof installSink>;
afterEach(() => sink?.restore());

const path = (url: string) => new URL(url).pathname;
const orders = (key: string) => sink.received.filter((r) => path(r.url).startsWith("/v1/order") && r.headers.authorization === `Basic ${btoa(`${key}:`)}`);
const purchase = (orderId: string) => ({
  event_type: "commerce_event",
  data: { currency_code: "USD", product_action: { action: "purchase", transaction_id: orderId, total_amount: 25.5, products: [{ id: "a", price: 5.5 }, { id: "b", name: "B", price: 10, quantity: 2 }] } },
});

describe("Button output end to end (Events API → queues → partner)", () => {
  it("reports a purchase as an order and a refund as a cancellation", async () => {
    sink = installSink((r) => new Response(path(r.url).startsWith("/v1/order") ? '{"meta":{"status":"ok"},"object":{}}' : "ok"));
    await connectOutput("button", { apiKey: "sk-e2e" });
    const b = batch({
      integration_attributes: { "1022": { btn_ref: "srctok-aaaaaaaaaaaaaaaa" } },
      events: [purchase("order-e2e"), { event_type: "commerce_event", data: { product_action: { action: "refund", transaction_id: "order-e2e" } } }],
    });
    expect((await post("/v2/events", b)).status).toBe(202);
    const reqs = await eventually(() => {
      const r = orders("sk-e2e");
      expect(r).toHaveLength(2);
      return r;
    });
    const create = reqs.find((r) => r.method === "POST")!;
    expect(create.url).toBe("http://partner.test/v1/order");
    expect(create.json()).toMatchObject({
      total: 2550,
      currency: "USD",
      order_id: "order-e2e",
      btn_ref: "srctok-aaaaaaaaaaaaaaaa",
      customer: { id: b.user_identities.customerid, email_sha256: await sha256Hex(b.user_identities.email) },
      line_items: [
        { identifier: "a", total: 550, amount: 550, quantity: 1 },
        { identifier: "b", total: 2000, amount: 1000, quantity: 2, description: "B" },
      ],
    });
    const cancel = reqs.find((r) => r.method === "DELETE")!;
    expect(cancel.url).toBe("http://partner.test/v1/order/order-e2e");
  });

  it("retries a 500 and delivers the order once Button recovers", async () => {
    sink = installSink((r) => (path(r.url) === "/v1/order" && orders("sk-retry").length === 1 ? new Response("oops", { status: 500 }) : new Response("{}")));
    const { connectionId } = await connectOutput("button", { apiKey: "sk-retry" });
    const b = batch({ integration_attributes: { "1022": { btn_ref: "srctok-bbbbbbbbbbbbbbbb" } }, events: [purchase("order-retry")] });
    expect((await post("/v2/events", b)).status).toBe(202);
    await eventually(() => {
      const r = orders("sk-retry");
      expect(r.map((x) => x.status)).toEqual([500, 200]);
    });
    expect(await deadLetters(connectionId)).toHaveLength(0);
  });
});
