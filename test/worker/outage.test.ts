import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { batch, post } from "./helpers/requests";
import { installSink } from "./helpers/sink";
import { eventually } from "./helpers/wait";

let sink: ReturnType<typeof installSink>;
afterEach(() => sink?.restore());

describe("webhook outage", () => {
  it("delivers every accepted event at least once when the sink answers 503 for a while, then recovers", async () => {
    // The outage starts with the first delivery attempt, whatever the queue latency of the machine.
    const outageMs = 2_500;
    const start = Date.now();
    let outageStart: number | undefined;
    let refused = 0;
    sink = installSink(() => {
      outageStart ??= Date.now();
      if (Date.now() - outageStart < outageMs) {
        refused++;
        return new Response("maintenance", { status: 503, headers: { "Retry-After": "2" } });
      }
      return new Response("ok");
    });
    const singles = Array.from({ length: 10 }, () => batch({}, 5));
    const bulk = Array.from({ length: 20 }, () => batch({}, 5));
    for (const b of singles) expect((await post("/v2/events", b)).status).toBe(202);
    expect((await post("/v2/bulkevents", bulk)).status).toBe(202);
    const sent = new Set([...singles, ...bulk].flatMap((b) => b.events.map((e: any) => e.data.source_message_id as string)));
    expect(sent.size).toBe(150);

    const delivered = () => new Set(sink.accepted().flatMap((r) => r.json().events.map((e: any) => e.data.source_message_id as string)));
    await eventually(() => {
      const got = delivered();
      for (const id of sent) expect(got.has(id)).toBe(true);
    }, 40_000);
    expect(refused).toBeGreaterThan(0);
    console.log(JSON.stringify({ outage_test: { events_sent: sent.size, refused_requests: refused, accepted_requests: sink.accepted().length, events_delivered: delivered().size, ms: Date.now() - start } }));
    const dead = await env.DB.prepare("SELECT COUNT(*) AS n FROM dead_letters").first<{ n: number }>();
    expect(dead!.n).toBe(0);
  });
});
