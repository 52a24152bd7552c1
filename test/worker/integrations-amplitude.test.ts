import { afterEach, describe, expect, it } from "vitest";
import { batch, post } from "./helpers/requests";
import { installSink } from "./helpers/sink";
import { connectOutput, deadLetters } from "./helpers/connect-output";
import { eventually } from "./helpers/wait";

let sink: ReturnType<typeof installSink>;
afterEach(() => sink?.restore());

const amp = (key: string) => (r: { url: string; body: string }) => new URL(r.url).pathname === "/2/httpapi" && r.body.includes(`"api_key":"${key}"`);

describe("Amplitude output end to end (Events API → queues → partner)", () => {
  it("sends events to the HTTP V2 API with user_id, insert_id and user properties", async () => {
    sink = installSink(() => new Response('{"code":200,"events_ingested":1}'));
    await connectOutput("amplitude", { apiKey: "amp-e2e" });
    const b = batch({ events: [{ event_type: "screen_view", data: { screen_name: "Cart", custom_attributes: { step: "2" } } }] });
    expect((await post("/v2/events", b)).status).toBe(202);
    const req = await eventually(() => {
      const r = sink.received.find((x) => amp("amp-e2e")(x) && x.body.includes(b.user_identities.customerid));
      expect(r).toBeTruthy();
      return r!;
    });
    expect(req.url).toBe("http://partner.test/2/httpapi");
    const { events } = req.json();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      event_type: "Viewed Cart",
      user_id: b.user_identities.customerid,
      insert_id: expect.stringMatching(/^\d+$/),
      event_properties: { step: "2" },
      user_properties: { plan: "premium", email: b.user_identities.email },
    });
  });

  it("on a 400 listing an invalid event: dead-letters that event and resends the others once, without it", async () => {
    sink = installSink((r) => {
      if (!amp("amp-partial")(r)) return new Response("ok");
      const { events } = JSON.parse(r.body);
      const bad = events.findIndex((e: any) => e.event_type === "Bad");
      if (bad < 0) return new Response('{"code":200}');
      return new Response(JSON.stringify({ code: 400, error: "Invalid field values on some events", events_with_invalid_fields: { time: [bad] } }), { status: 400 });
    });
    const { connectionId } = await connectOutput("amplitude", { apiKey: "amp-partial" });
    const b = batch({
      events: ["Good 1", "Bad", "Good 2"].map((event_name) => ({ event_type: "custom_event", data: { event_name, custom_event_type: "other" } })),
    });
    expect((await post("/v2/events", b)).status).toBe(202);
    const mine = () => sink.received.filter((x) => amp("amp-partial")(x) && x.body.includes(b.user_identities.customerid));
    await eventually(() => expect(mine()).toHaveLength(2));
    expect(mine()[1]!.json().events.map((e: any) => e.event_type)).toEqual(["Good 1", "Good 2"]);
    expect(mine()[1]!.status).toBe(200);
    const rows = await eventually(async () => {
      const r = await deadLetters(connectionId);
      expect(r).toHaveLength(1);
      return r;
    });
    expect(JSON.parse(rows[0]!.payload).batch.events.map((e: any) => e.data.event_name)).toEqual(["Bad"]);
    expect(rows[0]!.response).toContain("invalid time");
    await new Promise((r) => setTimeout(r, 1500));
    expect(mine()).toHaveLength(2); // nothing retried forever
  });
});
