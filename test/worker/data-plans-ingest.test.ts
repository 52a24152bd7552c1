import { env } from "cloudflare:workers";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { stableIdRange } from "../../src/lib/ids";
import { connectOutput } from "./helpers/connect-output";
import { eventPoint, identitiesPoint, userAttributesPoint, v2 } from "./helpers/plans";
import { token } from "./helpers/platform";
import { batch, post } from "./helpers/requests";
import { installSink } from "./helpers/sink";
import { eventually, forCustomer, settle } from "./helpers/wait";

let sink: ReturnType<typeof installSink>;
afterEach(() => sink?.restore());
let api: ReturnType<typeof v2>;
const run = crypto.randomUUID().slice(0, 6);

const document = {
  data_points: [
    eventPoint("Checkout", { sku: { type: "string" } }, ["sku"]),
    eventPoint("Open", {}),
    userAttributesPoint({ plan: { type: "string" } }),
    identitiesPoint(["customerid", "email"]),
  ],
};

async function plan(name: string, version: Record<string, unknown>) {
  const res = await api.post("/workspaces/1/plans", { data_plan_name: name, data_plan_versions: [{ version: 1, activated_environment: "production", version_document: document, ...version }] });
  expect(res.status).toBe(200);
  return res.body.data_plan_id as string;
}

const planned = (planId: string, over: Record<string, unknown> = {}) =>
  batch({
    context: { data_plan: { plan_id: planId } },
    user_attributes: { plan: "premium", shoe_size: 42 },
    events: [
      { event_type: "custom_event", data: { event_name: "Checkout", custom_event_type: "navigation", custom_attributes: { sku: "A1", color: "red" }, source_message_id: crypto.randomUUID() } },
      { event_type: "custom_event", data: { event_name: "Unplanned thing", custom_event_type: "other", source_message_id: crypto.randomUUID() } },
      { event_type: "custom_event", data: { event_name: "Checkout", custom_event_type: "navigation", custom_attributes: {}, source_message_id: crypto.randomUUID() } },
    ],
    ...over,
  });

beforeAll(async () => {
  api = v2(await token());
});

describe("data plan validation and blocking at ingest", () => {
  it("blocks unplanned events, event attributes, user attributes and identities before the profile and the outputs; the webhook gets the validation results", async () => {
    sink = installSink();
    const planId = await plan(`Block all ${run}`, { blocking: { ev: true, ea: true, ua: true, id: true } });
    const b = planned(planId);
    b.user_identities.other = "other-id-1";
    const cust = b.user_identities.customerid;
    expect((await post("/v2/events", b)).status).toBe(202);
    const [out] = await eventually(() => {
      const got = forCustomer(sink.received, cust);
      expect(got).toHaveLength(1);
      return got;
    });
    expect(out.events.map((e: any) => e.data.event_name)).toEqual(["Checkout", "Checkout"]);
    expect(out.events[0].data.custom_attributes).toEqual({ sku: "A1" });
    // The profile never stored the blocked attribute or identity.
    expect(out.user_attributes).toEqual({ plan: "premium" });
    expect(out.user_identities.map((i: any) => i.identity_type).sort()).toEqual(["customer_id", "email"]);
    // Kept events keep the message ids of their original positions.
    const id = stableIdRange(`${out.batch_id}:events`);
    expect(out.events.map((e: any) => e.data.message_id)).toEqual([id(0), id(2)]);
    const results = out.validation_results as any[];
    expect(results.map((r) => r.data.validation_errors.map((e: any) => `${e.validation_error_type}:${e.key}`))).toEqual([
      ["unplanned:color"],
      ["unplanned:Unplanned thing"],
      ["missing_required:custom_attributes"],
      ["unplanned:shoe_size"],
    ]);
    expect(results[1].data.validated_event_id).toBe(id(1));
    expect(results[1].data.validated_source_message_id).toBe(b.events[1].data.source_message_id);
  });

  it("only reports when the version blocks nothing: every event and attribute is stored and forwarded", async () => {
    sink = installSink();
    const planId = await plan(`Report only ${run}`, {});
    const b = planned(planId);
    const cust = b.user_identities.customerid;
    expect((await post("/v2/events", b)).status).toBe(202);
    const [out] = await eventually(() => {
      const got = forCustomer(sink.received, cust);
      expect(got).toHaveLength(1);
      return got;
    });
    expect(out.events).toHaveLength(3);
    expect(out.events[0].data.custom_attributes).toEqual({ sku: "A1", color: "red" });
    expect(out.user_attributes).toEqual({ plan: "premium", shoe_size: 42 });
    expect(out.validation_results).toHaveLength(4);
  });

  it("counts results per version, data point and error type, and keeps the latest examples", async () => {
    sink = installSink();
    const planId = await plan(`Counted ${run}`, {});
    for (let i = 0; i < 2; i++) expect((await post("/v2/events", planned(planId))).status).toBe(202);
    const summary = await eventually(async () => {
      const s = await api.get(`/workspaces/1/plans/${planId}/versions/1/summary`);
      expect(s.status).toBe(200);
      expect(s.body.totals["custom_event:other:Unplanned thing"]).toEqual({ unplanned: 2 });
      return s.body;
    });
    expect(summary.totals["custom_event:navigation:Checkout"]).toEqual({ unplanned: 2, missing_required: 2 });
    expect(summary.totals.user_attributes).toEqual({ unplanned: 2 });
    expect(summary.hours[0].hour).toMatch(/T\d\d:00:00Z$/);
    expect(summary.latest_examples[0]).toMatchObject({ input_id: 1, environment: "production", validation_errors: expect.any(Array) });
  });

  it("uses the pinned version, else the latest version active for the batch's environment", async () => {
    sink = installSink();
    const planId = await plan(`Pinned ${run}`, { blocking: { ev: true } });
    // Version 2 plans "Unplanned thing" and is active in development only.
    const v2doc = { data_points: [...document.data_points, eventPoint("Unplanned thing", {}, [], "other")] };
    expect((await api.post(`/workspaces/1/plans/${planId}/versions`, { version: 2, activated_environment: "development", blocking: { ev: true }, version_document: v2doc })).status).toBe(200);
    const dev = planned(planId, { environment: "development" });
    const pinned = planned(planId, { environment: "development", context: { data_plan: { plan_id: planId, plan_version: 1 } } });
    for (const b of [dev, pinned]) expect((await post("/v2/events", b)).status).toBe(202);
    const [devOut] = await eventually(() => {
      const got = forCustomer(sink.received, dev.user_identities.customerid);
      expect(got).toHaveLength(1);
      return got;
    });
    expect(devOut.events).toHaveLength(3);
    const [pinnedOut] = await eventually(() => {
      const got = forCustomer(sink.received, pinned.user_identities.customerid);
      expect(got).toHaveLength(1);
      return got;
    });
    expect(pinnedOut.events).toHaveLength(2);
  });

  it("stores and forwards a batch naming an unknown plan unvalidated, and counts a warning", async () => {
    sink = installSink();
    const b = planned(`no_such_plan_${run}`);
    const cust = b.user_identities.customerid;
    expect((await post("/v2/events", b)).status).toBe(202);
    const [out] = await eventually(() => {
      const got = forCustomer(sink.received, cust);
      expect(got).toHaveLength(1);
      return got;
    });
    expect(out.events).toHaveLength(3);
    expect(out.validation_results).toBeUndefined();
    const row = await eventually(async () => {
      const r = await env.DB.prepare(`SELECT sum(data_plan_not_found) AS n FROM input_counters WHERE input_id = 1`).first<{ n: number | null }>();
      expect(r!.n).toBeGreaterThanOrEqual(1);
      return r;
    });
    expect(row).toBeTruthy();
  });

  it("sends blocked data with the original batch to the version's quarantine connection", async () => {
    sink = installSink();
    const q = await connectOutput("webhook", { url: `https://quarantine.example.com/q-${run}` });
    await env.DB.prepare(`UPDATE connections SET status_production = 'inactive', status_development = 'inactive' WHERE id = ?`).bind(q.connectionId).run();
    const planId = await plan(`Quarantined ${run}`, { blocking: { ev: true, ua: true }, quarantine_connection_id: q.connectionId });
    const b = planned(planId);
    expect((await post("/v2/events", b)).status).toBe(202);
    const quarantined = await eventually(() => {
      const got = sink.received.filter((r) => r.url.endsWith(`/q-${run}`)).map((r) => r.json());
      expect(got).toHaveLength(1);
      return got[0];
    });
    expect(quarantined.original_batch.events).toEqual(b.events);
    expect(quarantined.original_batch.user_attributes).toEqual(b.user_attributes);
    expect(quarantined.data_plan_block).toMatchObject({ plan_id: planId, plan_version: 1, input_id: 1, blocked: { events: [{ index: 1, key: "custom_event:other:Unplanned thing", name: "Unplanned thing" }], user_attributes: ["shoe_size"], event_attributes: [], user_identities: [] } });
    await settle(500);
    // Normal traffic never reaches the (inactive) quarantine connection.
    expect(sink.received.filter((r) => r.url.endsWith(`/q-${run}`))).toHaveLength(1);

    // The plan is fixed (version 2 plans the event), then the quarantined batch is replayed through ingest.
    const fixed = { data_points: [...document.data_points, eventPoint("Unplanned thing", {}, [], "other")] };
    expect((await api.post(`/workspaces/1/plans/${planId}/versions`, { version: 2, activated_environment: "production", blocking: { ev: true, ua: true }, quarantine_connection_id: q.connectionId, version_document: fixed })).status).toBe(200);
    const replay = await api.post(`/workspaces/1/quarantine/replay`, quarantined);
    expect(replay.status).toBe(202);
    expect(replay.body.batch_id).toMatch(/^[0-9a-f-]{36}$/);
    const replayed = await eventually(() => {
      const got = forCustomer(sink.received, b.user_identities.customerid).filter((o) => o.batch_id === replay.body.batch_id);
      expect(got).toHaveLength(1);
      return got[0];
    });
    // Events stored the first time are recognised by source_message_id; the once-blocked event now goes through.
    expect(replayed.events.map((e: any) => e.data.event_name)).toEqual(["Unplanned thing"]);
    // Still unplanned user attributes are blocked again (and quarantined again).
    expect(replayed.user_attributes).toEqual({ plan: "premium" });
  });

  it("refuses a replay naming an input outside the workspace (400) or a malformed payload", async () => {
    const bad = await api.post(`/workspaces/1/quarantine/replay`, { data_plan_block: { input_id: 999999, plan_id: "x" }, original_batch: {} });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].message).toMatch(/input_id 999999/);
    expect((await api.post(`/workspaces/1/quarantine/replay`, { original_batch: {} })).status).toBe(400);
  });
});
