import { env } from "cloudflare:workers";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { eventPoint, userAttributesPoint, v2 } from "./helpers/plans";
import { token } from "./helpers/platform";
import { batch, post } from "./helpers/requests";
import { installSink } from "./helpers/sink";
import { eventually, forCustomer } from "./helpers/wait";

let sink: ReturnType<typeof installSink>;
afterEach(() => sink?.restore());
let api: ReturnType<typeof v2>;
const run = crypto.randomUUID().slice(0, 6);

beforeAll(async () => {
  api = v2(await token());
});

describe("data catalog", () => {
  it("lists events, event attributes, user attributes and identity types seen, per environment, with plan coverage", async () => {
    sink = installSink();
    const ev = `Catalogued ${run}`;
    expect((await api.post("/workspaces/1/plans", { data_plan_name: `Catalog plan ${run}`, data_plan_versions: [{ version: 1, version_document: { data_points: [eventPoint(ev, { size: { type: "string" } }), userAttributesPoint({ [`tier_${run}`]: { type: "string" } })] } }] })).status).toBe(200);
    const mk = (environment: string) =>
      batch({
        environment,
        user_attributes: { [`tier_${run}`]: "gold", [`other_${run}`]: 1 },
        events: [{ event_type: "custom_event", data: { event_name: ev, custom_event_type: "navigation", custom_attributes: { size: "L", [`color_${run}`]: "red" } } }],
      });
    for (const b of [mk("production"), mk("production"), mk("development")]) expect((await post("/v2/events", b)).status).toBe(202);
    const key = `custom_event:navigation:${ev}`;
    const entries = await eventually(async () => {
      const res = await api.get("/workspaces/1/catalog");
      expect(res.status).toBe(200);
      const e = res.body.entries.find((x: any) => x.kind === "event" && x.name === key);
      expect(e?.environments.production?.count).toBe(2);
      expect(e?.environments.development?.count).toBe(1);
      return res.body.entries as any[];
    });
    const find = (kind: string, name: string) => entries.find((x) => x.kind === kind && x.name === name);
    expect(find("event", key)).toMatchObject({ planned: true, planned_by: [{ data_plan_id: `catalog_plan_${run}`, version: 1 }], first_seen: expect.any(Number), last_seen: expect.any(Number) });
    expect(find("event_attribute", `${key}/size`).planned).toBe(true);
    expect(find("event_attribute", `${key}/color_${run}`).planned).toBe(false);
    expect(find("user_attribute", `tier_${run}`).planned).toBe(true);
    expect(find("user_attribute", `other_${run}`)).toMatchObject({ planned: false, environments: { production: { count: 2 }, development: { count: 1 } } });
    expect(find("identity", "customer_id").planned).toBe(false);
    const dev = await api.get("/workspaces/1/catalog?kind=user_attribute&environment=development");
    expect(dev.body.entries.every((e: any) => e.kind === "user_attribute" && Object.keys(e.environments).join() === "development")).toBe(true);
    expect((await api.get("/workspaces/1/catalog?kind=nope")).status).toBe(400);
  });

  it("writes the catalog once per consumer invocation, not per batch: three batches in one invocation add one count of three", async () => {
    sink = installSink();
    const { handleIngest } = await import("../../src/pipeline/ingest-consumer");
    const { createMessageBatch, getQueueResult, createExecutionContext } = await import("cloudflare:test");
    const name = `Once ${run}`;
    const item = (i: number) => ({ batchId: crypto.randomUUID(), eventOffset: 0, batch: batch({ events: [{ event_type: "custom_event", data: { event_name: name, custom_event_type: "other" } }] }) });
    const msg = (i: number) => ({ id: `m${i}`, timestamp: new Date(), attempts: 1, body: { v: 1, type: "ingest", inputId: 1, workspaceId: 1, organizationId: 1, accountId: 1, receivedAt: Date.now(), channel: "server_to_server", historical: false, limitCorrections: 0, items: [item(i)] } });
    const msgs = [msg(1), msg(2), msg(3)];
    const mb = createMessageBatch("ingest", msgs as any);
    const writes: string[] = [];
    const db = env.DB;
    const spy = new Proxy(db, {
      get(t, p) {
        if (p === "prepare") return (q: string) => (writes.push(q), t.prepare(q));
        const v = (t as any)[p];
        return typeof v === "function" ? v.bind(t) : v;
      },
    });
    const ctx = createExecutionContext();
    await handleIngest(mb as any, { ...env, DB: spy } as any);
    await getQueueResult(mb, ctx);
    // One upsert per distinct entry (the event, user attribute "plan", identities customer_id and email), not per batch.
    expect(writes.filter((q) => q.includes("INSERT INTO data_catalog")).length).toBe(4);
    const row = await env.DB.prepare(`SELECT count FROM data_catalog WHERE workspace_id = 1 AND kind = 'event' AND name = ?`).bind(`custom_event:other:${name}`).first<{ count: number }>();
    expect(row!.count).toBe(3);
    // The forward jobs it queued are delivered before the sink goes.
    const custs = msgs.map((m) => m.body.items[0]!.batch.user_identities.customerid as string);
    await eventually(() => expect(custs.every((c) => forCustomer(sink.received, c).length === 1)).toBe(true));
  });
});
