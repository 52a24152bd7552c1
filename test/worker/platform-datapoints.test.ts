import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { connectionsForInput } from "../../src/db/config-cache";
import { applyConnectionFilters } from "../../src/lib/filters";
import type { OutboundBatch } from "../../src/pipeline/outbound";
import { basic, batch, post } from "./helpers/requests";
import { installSink } from "./helpers/sink";
import { eventually, settle } from "./helpers/wait";
import { platform, token } from "./helpers/platform";

/** Flip once the fan-out (src/pipeline/ingest-consumer.ts) calls applyConnectionFilters. */

let sink: ReturnType<typeof installSink> | undefined;
afterEach(() => sink?.restore());

async function appWithWebhook(p: ReturnType<typeof platform>, path: string) {
  const app = (await p.post("/apps", { name: path, platforms: [{ platform: "server" }] })).body.data[0];
  await p.put(`/apps/${app.id}/platforms/server/services`, { name: "webhook", settings: { url: `https://hooks.example.com${path}` } });
  return { app, input: app.platforms[0], key: app.platforms[0].access_keys[0] };
}

const outbound = (events: { name: string; type: string }[]): OutboundBatch =>
  ({
    batch_id: "b",
    mpid: "1",
    environment: "production",
    schema_version: 2,
    timestamp_unixtime_ms: 1,
    user_identities: [],
    user_attributes: { plan: "x" },
    device_identities: [],
    source_info: { channel: "server_to_server" },
    events: events.map((e) => ({ event_type: "custom_event", data: { event_name: e.name, custom_event_type: e.type, message_id: "1", event_id: "1", timestamp_unixtime_ms: 1 } })),
  }) as unknown as OutboundBatch;

describe("data points and service filters", () => {
  it("registers data points, sets the service filter and data point filters, and validates them", async () => {
    const p = platform(await token());
    const { app } = await appWithWebhook(p, "/dp1");
    const put = await p.put(`/apps/${app.id}/datapoints`, [
      { type: "Event", name: "Signup", event_type: "Navigation" },
      { type: "UserAttribute", name: "plan" },
    ]);
    expect(put.status).toBe(200);
    expect((await p.get(`/apps/${app.id}/datapoints`)).body.data).toEqual([
      { type: "Event", name: "Signup", event_type: "Navigation", attribute_name: null },
      { type: "UserAttribute", name: "plan", event_type: null, attribute_name: null },
    ]);
    expect((await p.put(`/apps/${app.id}/datapoints`, [{ type: "Event", name: "NoType" }])).status).toBe(400);

    expect((await p.get(`/apps/${app.id}/webhook`)).body.data[0]).toEqual({ service: "webhook", sendNewDataPointsByDefault: true });
    expect((await p.put(`/apps/${app.id}/webhook`, { sendNewDataPointsByDefault: false })).body.data[0].sendNewDataPointsByDefault).toBe(false);
    expect((await p.get(`/apps/${app.id}/Webhook`)).body.data[0].sendNewDataPointsByDefault).toBe(false);
    expect((await p.get(`/apps/${app.id}/nope`)).status).toBe(404);

    const f = await p.put(`/apps/${app.id}/webhook/datapoints`, [
      { type: "Event", name: "Signup", event_type: "Navigation", enabled: false },
      { type: "EventAttribute", name: "Search", event_type: "Search", attribute_name: "q", enabled: false },
    ]);
    expect(f.status).toBe(200);
    expect(f.body.data).toHaveLength(2);
    const list = (await p.get(`/apps/${app.id}/webhook/datapoints`)).body.data;
    expect(list.find((d: any) => d.name === "Signup").enabled).toBe(false);
    expect(list.find((d: any) => d.name === "plan").enabled).toBe(true);
    expect(list.find((d: any) => d.attribute_name === "q").enabled).toBe(false);
  });

  it("gives the fan-out the connection's filters (config cache invalidated on write)", async () => {
    const p = platform(await token());
    const { app, input } = await appWithWebhook(p, "/dp2");
    expect((await connectionsForInput(env, input.id))[0]!.filters).toBeUndefined();
    await p.put(`/apps/${app.id}/webhook/datapoints`, [{ type: "EventType", name: "Navigation", enabled: false }]);
    const [conn] = await connectionsForInput(env, input.id);
    const r = applyConnectionFilters(outbound([{ name: "A", type: "navigation" }, { name: "B", type: "search" }]), conn!.filters);
    expect(r.filteredEvents).toBe(1);
    expect(r.batch.events.map((e) => e.data.event_name)).toEqual(["B"]);
  });

  it("scopes an app's filters to the account (404)", async () => {
    const p = platform(await token());
    const { app } = await appWithWebhook(p, "/dp3");
    const acct = (await p.post("/accounts", { name: "dp other" })).body.data[0].id;
    const other = platform(await token(), acct);
    expect((await other.get(`/apps/${app.id}/datapoints`)).status).toBe(404);
    expect((await other.put(`/apps/${app.id}/webhook`, { sendNewDataPointsByDefault: false })).status).toBe(404);
    expect((await other.put(`/apps/${app.id}/webhook/datapoints`, [])).status).toBe(404);
  });

  it("filters change what reaches the output", async () => {
    sink = installSink();
    const p = platform(await token());
    const { app, key } = await appWithWebhook(p, "/dp4");
    await p.put(`/apps/${app.id}/webhook/datapoints`, [{ type: "Event", name: "Event 0", event_type: "navigation", enabled: false }]);
    const blocked = batch({}, 1);
    const passed = batch({}, 2);
    for (const b of [blocked, passed]) expect((await post("/v2/events", b, { Authorization: basic(key.key, key.secret) })).status).toBe(202);
    await eventually(() => expect(sink!.received.some((r) => r.url.endsWith("/dp4") && r.body.includes(passed.user_identities.customerid))).toBe(true));
    await settle(1_500);
    const mine = sink.received.filter((r) => r.url.endsWith("/dp4")).map((r) => r.json());
    expect(mine.flatMap((b) => b.events.map((e: any) => e.data.event_name))).not.toContain("Event 0");
    expect(mine.flatMap((b) => b.events.map((e: any) => e.data.event_name))).toContain("Event 1");
  });
});
