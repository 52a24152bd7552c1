import { afterEach, describe, expect, it } from "vitest";
import { batch, post } from "./helpers/requests";
import { installSink } from "./helpers/sink";
import { connectOutput, deadLetters } from "./helpers/connect-output";
import { eventually } from "./helpers/wait";

let sink: ReturnType<typeof installSink>;
afterEach(() => sink?.restore());

const braze = (key: string) => (r: { url: string; headers: Record<string, string> }) => new URL(r.url).pathname === "/users/track" && r.headers.authorization === `Bearer ${key}`;

describe("Braze output end to end (Events API → queues → partner)", () => {
  it("sends attributes, events and purchases to /users/track with the external id", async () => {
    sink = installSink(() => new Response('{"message":"success"}', { status: 201 }));
    await connectOutput("braze", { apiKey: "braze-e2e", instance: "EU-01" });
    const b = batch({
      user_attributes: { $FirstName: "Ann", plan: "gold" },
      events: [
        { event_type: "custom_event", data: { event_name: "Signup", custom_event_type: "other", custom_attributes: { source: "ad" } } },
        { event_type: "commerce_event", data: { currency_code: "EUR", product_action: { action: "purchase", products: [{ id: "a", price: 3, quantity: 2 }, { id: "b", price: 4 }] } } },
      ],
    });
    expect((await post("/v2/events", b)).status).toBe(202);
    const req = await eventually(() => {
      const r = sink.received.find((x) => braze("braze-e2e")(x) && x.body.includes(b.user_identities.customerid));
      expect(r).toBeTruthy();
      return r!;
    });
    expect(req.url).toBe("http://partner.test/users/track");
    const body = req.json();
    const ext = { external_id: b.user_identities.customerid };
    expect(body.attributes).toEqual([{ ...ext, first_name: "Ann", plan: "gold", email: b.user_identities.email }]);
    expect(body.events).toEqual([expect.objectContaining({ ...ext, name: "Signup", properties: { source: "ad" }, time: expect.stringMatching(/Z$/) })]);
    expect(body.purchases).toEqual([
      expect.objectContaining({ ...ext, product_id: "a", currency: "EUR", price: 3, quantity: 2 }),
      expect.objectContaining({ ...ext, product_id: "b", currency: "EUR", price: 4, quantity: 1 }),
    ]);
  });

  it("a 2xx answer with errors: delivered once, the refused event becomes a dead letter", async () => {
    sink = installSink((r) =>
      braze("braze-partial")(r)
        ? new Response(JSON.stringify({ message: "success", errors: [{ type: "'name' is required", input_array: "events", index: 1 }] }), { status: 201 })
        : new Response("ok"),
    );
    const { connectionId } = await connectOutput("braze", { apiKey: "braze-partial" });
    const b = batch({ events: ["First", "Second"].map((event_name) => ({ event_type: "custom_event", data: { event_name, custom_event_type: "other" } })) });
    expect((await post("/v2/events", b)).status).toBe(202);
    const rows = await eventually(async () => {
      const r = await deadLetters(connectionId);
      expect(r).toHaveLength(1);
      return r;
    });
    expect(JSON.parse(rows[0]!.payload).batch.events.map((e: any) => e.data.event_name)).toEqual(["Second"]);
    expect(rows[0]!.response).toContain("'name' is required");
    expect(rows[0]!.status_code).toBe(201);
    await new Promise((r) => setTimeout(r, 1000));
    expect(sink.received.filter(braze("braze-partial"))).toHaveLength(1);
  });
});
