import { env } from "cloudflare:workers";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { CONFIG_TTL_MS } from "../../src/db/config-cache";
import { cachedPlan, loadedVersion } from "../../src/dataplans/plan-cache";
import { eventPoint, v2 } from "./helpers/plans";
import { token } from "./helpers/platform";

let api: ReturnType<typeof v2>;
const run = crypto.randomUUID().slice(0, 6);
beforeAll(async () => {
  api = v2(await token());
});
afterEach(() => vi.restoreAllMocks());

describe("compiled plan versions in the isolate", () => {
  it("compiles a version once, and a version changed elsewhere takes effect within the config cache TTL", async () => {
    const created = await api.post("/workspaces/1/plans", { data_plan_name: `Cached ${run}`, data_plan_versions: [{ version: 1, activated_environment: "production", version_document: { data_points: [eventPoint("A")] } }] });
    const planId = created.body.data_plan_id;
    const first = (await cachedPlan(env, 1, planId))!;
    const a = await loadedVersion(env, first.plan, first.versions[0]!);
    const again = await loadedVersion(env, first.plan, first.versions[0]!);
    expect(again).toBe(a); // the same compiled object: compiled once
    expect([...a!.compiled.points.keys()]).toEqual(["custom_event:navigation:A"]);

    // Another isolate changes the version (a write there does not clear this isolate's cache).
    const doc = JSON.stringify({ data_points: [eventPoint("B")] });
    await env.DB.prepare(`UPDATE data_plan_versions SET document = ?, updated_at = updated_at + 1 WHERE plan_row_id = ?`).bind(doc, first.plan.id).run();
    expect(await cachedPlan(env, 1, planId)).toBe(first); // still within the TTL

    const now = Date.now();
    vi.spyOn(Date, "now").mockReturnValue(now + CONFIG_TTL_MS + 1);
    const later = (await cachedPlan(env, 1, planId))!;
    expect(later).not.toBe(first);
    const b = await loadedVersion(env, later.plan, later.versions[0]!);
    expect([...b!.compiled.points.keys()]).toEqual(["custom_event:navigation:B"]);
  });

  it("never reuses a deleted plan's compiled versions for a plan created again under the same id", async () => {
    const name = `Reborn ${run}`;
    const body = (event: string) => ({ data_plan_name: name, data_plan_versions: [{ version: 1, activated_environment: "production", version_document: { data_points: [eventPoint(event)] } }] });
    const planId = (await api.post("/workspaces/1/plans", body("Old"))).body.data_plan_id;
    const old = (await cachedPlan(env, 1, planId))!;
    await loadedVersion(env, old.plan, old.versions[0]!);
    expect((await api.del(`/workspaces/1/plans/${planId}`)).status).toBe(204);
    expect((await api.post("/workspaces/1/plans", body("New"))).status).toBe(200);
    const fresh = (await cachedPlan(env, 1, planId))!;
    expect(fresh.plan.generation).not.toBe(old.plan.generation);
    expect(fresh.plan.id).toBeGreaterThan(old.plan.id);
    const loaded = await loadedVersion(env, fresh.plan, fresh.versions[0]!);
    expect([...loaded!.compiled.points.keys()]).toEqual(["custom_event:navigation:New"]);
  });
});

describe("migration of settings.dataPlans", () => {
  it("moves plans stored in workspace settings into the plan tables and removes them from the settings", async () => {
    const migration = (env as unknown as { TEST_MIGRATIONS: { name: string; queries: string[] }[] }).TEST_MIGRATIONS.find((m) => m.name.includes("data_plans"))!;
    const data = migration.queries.filter((q) => q.includes("json_each") || q.includes("json_remove"));
    expect(data).toHaveLength(3);
    const settings = { region: "eu", dataPlans: { legacy_plan: { data_plan_name: "Legacy", versions: { "2": { activated_environment: "production", blocking: { ev: true, ea: false, ua: false, id: true }, version_document: { data_points: [eventPoint("Old")] } } } } } };
    const ws = await env.DB.prepare(`INSERT INTO workspaces (account_id, name, settings) VALUES (1, 'Legacy', ?) RETURNING id`).bind(JSON.stringify(settings)).first<{ id: number }>();
    for (const q of data) await env.DB.prepare(q).run();
    const plan = await env.DB.prepare(`SELECT * FROM data_plans WHERE workspace_id = ?`).bind(ws!.id).first<Record<string, any>>();
    expect(plan).toMatchObject({ plan_id: "legacy_plan", name: "Legacy" });
    const v = await env.DB.prepare(`SELECT * FROM data_plan_versions WHERE plan_row_id = ?`).bind(plan!.id).first<Record<string, any>>();
    expect(v).toMatchObject({ version: 2, activated_environment: "production" });
    expect(JSON.parse(v!.blocking)).toEqual({ ev: true, ea: false, ua: false, id: true });
    expect(JSON.parse(v!.document).data_points[0].match.criteria.event_name).toBe("Old");
    const after = await env.DB.prepare(`SELECT settings FROM workspaces WHERE id = ?`).bind(ws!.id).first<{ settings: string }>();
    expect(JSON.parse(after!.settings)).toEqual({ region: "eu" });
    // Served to the Web SDK from the store.
    const res = await api.get(`/workspaces/${ws!.id}/plans/legacy_plan`);
    expect(res.body.data_plan_versions[0].blocking).toEqual({ ev: true, ea: false, ua: false, id: true });
  });
});
