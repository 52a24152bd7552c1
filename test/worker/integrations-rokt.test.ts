import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { connectionById } from "../../src/db/config-cache";
import { roktKitConfiguration, roktKit } from "../../src/integrations/rokt-kit";
import { batch, post } from "./helpers/requests";
import { installSink, type Received } from "./helpers/sink";
import { connectOutput, deadLetters } from "./helpers/connect-output";
import { eventually, settle } from "./helpers/wait";

let sink: ReturnType<typeof installSink>;
afterEach(() => sink?.restore());

const isRokt = (r: Received, account: string) => new URL(r.url).pathname === "/v2/events" && r.json().accountId === account;
const events = () => [
  { event_type: "custom_event", data: { event_name: "Signup", custom_event_type: "other", source_message_id: crypto.randomUUID() } },
  { event_type: "commerce_event", data: { currency_code: "USD", product_action: { action: "purchase", transaction_id: "R-1", total_amount: 42, products: [{ id: "a", price: 40 }, { id: "b", price: 2 }] } } },
];

describe("Rokt output end to end (Events API → queues → partner)", () => {
  it("Thanks & Pay+ kit output: stored settings become the SDK kit configuration; nothing is sent server-side", async () => {
    sink = installSink();
    const mapping = [{ map: "$firstname", value: "firstname" }];
    const { connectionId } = await connectOutput("rokt-kit", { accountId: "333", placementAttributesMapping: mapping });
    const conn = await connectionById(env, connectionId);
    const kit = roktKitConfiguration(roktKit.configSchema.parse(conn!.outputSettings));
    expect(kit.settings).toEqual({ accountId: "333", placementAttributesMapping: JSON.stringify([{ jsmap: null, map: "$firstname", maptype: "UserAttributeClass.Name", value: "firstname" }]) });
    const b = batch({ events: events() });
    expect((await post("/v2/events", b)).status).toBe(202);
    // First test of the file: only the demo webhook and the kit are connected; the webhook alone receives it.
    await eventually(() => expect(sink.received.some((r) => r.body.includes(b.user_identities.customerid))).toBe(true));
    await settle(1000);
    expect(sink.received.filter((r) => r.body.includes(b.user_identities.customerid)).map((r) => new URL(r.url).pathname)).toEqual(["/edge-cdp-demo"]);
    expect(await deadLetters(connectionId)).toHaveLength(0);
  });

  it("sends a batch's events in one request with the key pair, account id and an idempotency key", async () => {
    sink = installSink((r) => new Response(new URL(r.url).pathname === "/v2/events" ? '{"data":{"unprocessedRecords":[]}}' : "ok"));
    await connectOutput("rokt", { accountId: "111", publicKey: "rpub-e2e", secretKey: "rsec-e2e", emailEncoding: "sha256" });
    const b = batch({ events: events() });
    expect((await post("/v2/events", b)).status).toBe(202);
    const req = await eventually(() => {
      const r = sink.received.find((x) => isRokt(x, "111"));
      expect(r).toBeTruthy();
      return r!;
    });
    expect(req.headers.authorization).toBe(`Basic ${btoa("rpub-e2e:rsec-e2e")}`);
    expect(req.headers["rokt-version"]).toBe("2020-05-21");
    expect(req.headers["idempotency-key"]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const sent = req.json().events;
    expect(sent.map((e: any) => e.eventType)).toEqual(["Signup", "conversion"]);
    expect(sent[0].clientEventId).toBe(b.events[0].data.source_message_id);
    expect(sent[1].objectData).toEqual(expect.arrayContaining([{ name: "amount", value: "42" }, { name: "confirmationref", value: "R-1" }]));
    expect(sent[0].objectData.find((x: any) => x.name === "emailsha256").value).toMatch(/^[0-9a-f]{64}$/);
    expect(sent[0].objectData.find((x: any) => x.name === "email")).toBeUndefined();
  });

  it("delivers the accepted events once and dead-letters only the record Rokt left unprocessed", async () => {
    sink = installSink((r) => {
      if (!isRokt(r, "222")) return new Response("ok");
      const bad = r.json().events.find((e: any) => e.eventType === "conversion");
      return Response.json({ data: { unprocessedRecords: [{ error: { code: "ValidationError", message: "amount rejected" }, record: bad }] } });
    });
    const { connectionId } = await connectOutput("rokt", { accountId: "222", apiKey: "rsec-api" });
    expect((await post("/v2/events", batch({ events: events() }))).status).toBe(202);
    const rows = await eventually(async () => {
      const r = await deadLetters(connectionId);
      expect(r).toHaveLength(1);
      return r;
    });
    expect(rows[0]!.reason).toBe("permanent");
    expect(rows[0]!.response).toContain("amount rejected");
    expect(JSON.parse(rows[0]!.payload).batch.events.map((e: any) => e.event_type)).toEqual(["commerce_event"]);
    await settle(1000);
    expect(sink.received.filter((x) => isRokt(x, "222"))).toHaveLength(1);
  });

});
