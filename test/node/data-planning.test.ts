/**
 * The official Data Planning client (`@mparticle/data-planning-node` 1.0.3, its `DataPlanService`) against the
 * worker under Miniflare, unchanged: only its hard-coded hosts are routed to the worker (mparticle-hosts.ts).
 */
import { DataPlanService } from "@mparticle/data-planning-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startHarness } from "./harness";
import { routeMparticleHostsTo } from "./mparticle-hosts";

let h: Harness;
let route: ReturnType<typeof routeMparticleHostsTo>;
let service: DataPlanService;

beforeAll(async () => {
  h = await startHarness();
  route = routeMparticleHostsTo(h.url);
  service = new DataPlanService({ workspaceId: 1, clientId: "demo-client-id", clientSecret: "demo-client-secret" });
});

afterAll(async () => {
  route?.restore();
  await h?.stop();
});

const checkout = {
  description: "Checkout",
  match: { type: "custom_event", criteria: { event_name: "Checkout", custom_event_type: "transaction" } },
  validator: {
    type: "json_schema",
    definition: { properties: { data: { properties: { custom_attributes: { additionalProperties: false, properties: { sku: { type: "string" }, price: { type: "number", minimum: 0 } }, required: ["sku"] } }, required: ["custom_attributes"] } } },
  },
};

/** Errors compared as sets: ajv and @cfworker/json-schema visit keywords in different orders. */
const sortKey = (e: any) => [e.error_pointer, e.validation_error_type, e.key, e.schema_keyword].join("|");

describe("DataPlanService against edge-cdp", () => {
  it("creates, reads, updates and deletes plans and versions", async () => {
    const created = await service.createDataPlan({
      data_plan_name: "Official Client Plan",
      data_plan_description: "made by data-planning-node",
      data_plan_versions: [{ version: 1, activated_environment: "development" as any, version_document: { data_points: [checkout as any] } }],
    });
    expect(created.data_plan_id).toBe("official_client_plan");
    expect(created.data_plan_versions?.[0]?.version).toBe(1);
    expect(route.calls).toEqual(expect.arrayContaining(["POST sso.auth.mparticle.com/oauth/token", "POST api.mparticle.com/platform/v2/workspaces/1/plans"]));

    const read = await service.getDataPlan("official_client_plan");
    expect(read.data_plan_description).toBe("made by data-planning-node");
    expect((await service.getDataPlans()).map((p) => p.data_plan_id)).toContain("official_client_plan");

    const updated = await service.updateDataPlan("official_client_plan", { data_plan_name: "Renamed by client" });
    expect(updated).toMatchObject({ data_plan_id: "official_client_plan", data_plan_name: "Renamed by client" });

    const v2 = await service.createDataPlanVersion("official_client_plan", { version: 2, version_document: { data_points: [] } });
    expect(v2.version).toBe(2);
    const got = await service.getDataPlanVersion("official_client_plan", 2);
    expect(got.version_document).toEqual({ data_points: [] });
    const v2b = await service.updateDataPlanVersion("official_client_plan", 2, { version_description: "empty", activated_environment: "production" as any });
    expect(v2b).toMatchObject({ version: 2, version_description: "empty", activated_environment: "production" as any });
    expect(await service.deleteDataPlanVersion("official_client_plan", 2)).toBe(true);
    await expect(service.getDataPlanVersion("official_client_plan", 2)).rejects.toMatchObject({ errors: [{ code: "NOT_FOUND" }] });

    expect(await service.deleteDataPlan("official_client_plan")).toBe(true);
    await expect(service.getDataPlan("official_client_plan")).rejects.toMatchObject({ errors: [expect.objectContaining({ message: 'Data plan "official_client_plan" not found.' })] });
  });

  it("surfaces our 400 body for an unsupported keyword", async () => {
    const bad = { ...checkout, validator: { type: "json_schema", definition: { anyOf: [] } } };
    await expect(service.createDataPlan({ data_plan_name: "Bad plan", data_plan_versions: [{ version_document: { data_points: [bad as any] } }] })).rejects.toMatchObject({
      errors: [expect.objectContaining({ keyword: "anyOf" })],
    });
  });

  it("validateBatch with serverMode answers what the client's own validator answers", async () => {
    const version = { version_document: { data_points: [checkout as any] } };
    const batch: any = {
      environment: "development",
      mpid: "1",
      user_attributes: { tier: "gold" },
      events: [
        { event_type: "custom_event", data: { event_name: "Checkout", custom_event_type: "transaction", custom_attributes: { price: -1, coupon: "x" } } },
        { event_type: "custom_event", data: { event_name: "Browse", custom_event_type: "navigation" } },
        { event_type: "custom_event", data: { event_name: "Checkout", custom_event_type: "transaction", custom_attributes: { sku: "a", price: 3 } } },
        { event_type: "screen_view", data: { screen_name: "Home" } },
      ],
    };
    const server = await service.validateBatch(batch, version, { serverMode: true });
    const local = await service.validateBatch(batch, version);
    expect(route.calls).toContain("POST api.mparticle.com/platform/v2/workspaces/1/plans/validate");
    expect(server.batch).toEqual(batch);
    expect(server.results).toHaveLength(local.results!.length);
    const norm = (r: any) => ({ ...r, data: { ...r.data, validation_errors: [...(r.data?.validation_errors ?? [])].sort((a: any, b: any) => sortKey(a).localeCompare(sortKey(b))) } });
    expect(server.results!.map(norm)).toEqual(JSON.parse(JSON.stringify(local.results)).map(norm));
  });
});
