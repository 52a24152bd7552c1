import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { invalidateConfig } from "../../src/db/config-cache";
import { createDb } from "../../src/db";
import { createOutput } from "../../src/integrations/outputs";
import { DEFAULT_WEB_FLAGS } from "../../src/routes/web/config";
import { platform, token } from "./helpers/platform";
import { ORIGIN, WEB_KEY, web, webInput } from "./helpers/web";

async function connect(inputId: number, integration: string, settings: Record<string, unknown>, status: { production: boolean; development: boolean }) {
  const outputId = await createOutput(createDb(env.DB), env.CONFIG_ENCRYPTION_KEY, { workspaceId: 1, integration, name: `${integration} ${inputId}`, settings });
  await env.DB.prepare(`INSERT INTO connections (input_id, output_id, status_production, status_development) VALUES (?, ?, ?, ?)`)
    .bind(inputId, outputId, status.production ? "active" : "inactive", status.development ? "active" : "inactive")
    .run();
  invalidateConfig();
}

describe("Web SDK config", () => {
  it("answers the config the SDK merges over its init options, at both layouts, with CORS", async () => {
    const res = await web(`/JS/v2/${WEB_KEY}/config?env=1`, { headers: { Origin: ORIGIN, Accept: "text/plain;charset=UTF-8" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(res.headers.get("cache-control")).toBe("public, max-age=300");
    const body = (await res.json()) as Record<string, any>;
    expect(body).toEqual({
      appName: "Demo web",
      workspaceToken: expect.stringMatching(/^[0-9A-F]{8}$/),
      kitConfigs: [],
      pixelConfigs: [],
      flags: {
        eventBatchingIntervalMillis: "5000",
        offlineStorage: "0",
        directURLRouting: "False",
        cacheIdentity: "False",
        audienceAPI: "True",
        captureIntegrationSpecificIds: "False",
        astBackgroundEvents: "False",
        reportBatching: false,
      },
    });
    // The page named no plan: no dataPlanResult (toEqual above), and the SDK blocks nothing.
    const cname = await web(`/tags/JS/v2/${WEB_KEY}/config?env=0`);
    expect(cname.status).toBe(200);
    expect(((await cname.json()) as Record<string, unknown>).workspaceToken).toBe(body.workspaceToken);
  });

  it("uses the app's name, a workspace-stable token and the input's flag overrides", async () => {
    await env.DB.prepare(`INSERT INTO apps (id, workspace_id, name) VALUES (9501, 1, 'Acme Shop')`).run();
    const key = await webInput(9501, { webSdkFlags: { eventBatchingIntervalMillis: 1000, reportBatching: "True", cacheIdentity: true, offlineStorage: "100" } });
    await env.DB.prepare(`UPDATE inputs SET app_id = 9501 WHERE id = 9501`).run();
    invalidateConfig();
    const body = (await (await web(`/JS/v2/${key}/config?env=0`)).json()) as Record<string, any>;
    const demo = (await (await web(`/JS/v2/${WEB_KEY}/config`)).json()) as Record<string, any>;
    expect(body.appName).toBe("Acme Shop");
    expect(body.workspaceToken).toBe(demo.workspaceToken);
    // cacheIdentity stays "False" whatever is stored: the Identity API sends no x-mp-max-age.
    expect(body.flags).toMatchObject({ eventBatchingIntervalMillis: "1000", reportBatching: true, cacheIdentity: "False", offlineStorage: "100", directURLRouting: "False" });
  });

  it("skips stored flag overrides the Platform API would refuse, never serves cacheIdentity on, and serves audienceAPI off when the input turns it off", async () => {
    const key = await webInput(9503, { webSdkFlags: { cacheIdentity: "True", audienceAPI: false, eventBatchingIntervalMillis: "soon", offlineStorage: 50, noSuchFlag: "x", astBackgroundEvents: true } });
    const flags = ((await (await web(`/JS/v2/${key}/config`)).json()) as Record<string, any>).flags;
    expect(flags).toEqual({ ...DEFAULT_WEB_FLAGS, audienceAPI: "False", offlineStorage: "50", astBackgroundEvents: "True" });
    const notAnObject = await webInput(9504, { webSdkFlags: "eventBatchingIntervalMillis=1000" });
    expect(((await (await web(`/JS/v2/${notAnObject}/config`)).json()) as Record<string, any>).flags).toEqual(DEFAULT_WEB_FLAGS);
  });

  it("validates webSdkFlags written through the Platform API: cacheIdentity on, unknown flags and bad values are 400", async () => {
    const p = platform(await token());
    const app = (await p.post("/apps", { name: "Flags shop", platforms: [{ platform: "web" }] })).body.data[0];
    const put = (webSdkFlags: unknown) => p.put(`/apps/${app.id}/platforms/web`, { settings: { webSdkFlags } });
    for (const [flags, message] of [
      [{ cacheIdentity: "True" }, /webSdkFlags\.cacheIdentity: cacheIdentity cannot be switched on: the Identity API sends no x-mp-max-age/],
      [{ cacheIdentity: true }, /cacheIdentity cannot be switched on/],
      [{ audienceAPI: "maybe" }, /webSdkFlags\.audienceAPI/],
      [{ eventBatchingIntervalMilis: "1000" }, /Unknown Web SDK flag\(s\): eventBatchingIntervalMilis/],
      [{ eventBatchingIntervalMillis: "soon" }, /webSdkFlags\.eventBatchingIntervalMillis/],
      [{ offlineStorage: 101 }, /webSdkFlags\.offlineStorage/],
      [{ reportBatching: "yes" }, /webSdkFlags\.reportBatching/],
      ["fast", /webSdkFlags: Field "webSdkFlags" must be an object/],
    ] as const) {
      const res = await put(flags);
      expect(res.status, JSON.stringify(flags)).toBe(400);
      expect(res.body.errors.map((e: { message: string }) => e.message).join("\n")).toMatch(message);
    }
    const ok = await put({ eventBatchingIntervalMillis: 2000, reportBatching: true, cacheIdentity: false, "captureIntegrationSpecificIds.V2": "roktonly" });
    expect(ok.status).toBe(200);
    const key = ok.body.data[0].access_keys[0].key;
    expect(((await (await web(`/JS/v2/${key}/config`)).json()) as Record<string, any>).flags).toMatchObject({
      eventBatchingIntervalMillis: "2000",
      reportBatching: true,
      cacheIdentity: "False",
      "captureIntegrationSpecificIds.V2": "roktonly",
    });
  });

  it("serves kitConfigs for the kit outputs active in the requested environment, and skips invalid ones", async () => {
    const id = 9502;
    const key = await webInput(id);
    await connect(id, "rokt-kit", { accountId: "3000001", placementAttributesMapping: [{ map: "$firstname", value: "firstname" }] }, { production: false, development: true });
    // Settings the schema no longer accepts (the Platform API validates writes; this row bypasses it).
    const bad = await env.DB.prepare(`INSERT INTO outputs (workspace_id, integration, name, settings) VALUES (1, 'rokt-kit', 'stale kit', '{"accountId":"not digits"}') RETURNING id`).first<{ id: number }>();
    await env.DB.prepare(`INSERT INTO connections (input_id, output_id, status_production, status_development) VALUES (?, ?, 'active', 'active')`).bind(id, bad!.id).run();
    await connect(id, "webhook", { url: "https://hooks.example.com/x" }, { production: true, development: true });
    const dev = (await (await web(`/JS/v2/${key}/config?env=1`)).json()) as Record<string, any>;
    expect(dev.kitConfigs).toHaveLength(1);
    expect(dev.kitConfigs[0]).toMatchObject({
      name: "Rokt",
      moduleId: 181,
      isVisible: true,
      settings: { accountId: "3000001", placementAttributesMapping: JSON.stringify([{ jsmap: null, map: "$firstname", maptype: "UserAttributeClass.Name", value: "firstname" }]) },
    });
    const prod = (await (await web(`/JS/v2/${key}/config?env=0`)).json()) as Record<string, any>;
    expect(prod.kitConfigs).toEqual([]);
  });

  it("refuses a bad env with 400 JSON", async () => {
    const res = await web(`/JS/v2/${WEB_KEY}/config?env=2`);
    expect(res.status).toBe(400);
    expect(((await res.json()) as any).errors[0]).toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/^env:/) });
  });
});

describe("data plans in the Web SDK config", () => {
  const point = (name: string) => ({
    description: `${name} event`,
    match: { type: "custom_event", criteria: { event_name: name, custom_event_type: "navigation" } },
    validator: { type: "json_schema", definition: { properties: { data: { properties: { custom_attributes: { additionalProperties: false, properties: { sku: { type: "string" } } } } } } } },
  });
  const plans = {
    shop_plan: {
      data_plan_name: "Shop plan",
      versions: {
        "1": { activated_environment: "production", blocking: { ev: true, ua: true }, version_document: { data_points: [point("Checkout")] } },
        "2": { activated_environment: "development", version_description: "adds Search", version_document: { data_points: [point("Checkout"), point("Search")] } },
        "3": { version_document: { data_points: [] } },
      },
    },
  };
  let p: ReturnType<typeof platform>;
  let wsId: number;
  let key: string;

  beforeAll(async () => {
    p = platform(await token());
    const created = await p.post("/workspaces", { name: "Planned", settings: { dataPlans: plans } });
    expect(created.status).toBe(201);
    wsId = created.body.data[0].id;
    // Stored normalized: defaults filled in.
    expect(created.body.data[0].settings.dataPlans.shop_plan.versions["3"]).toEqual({ activated_environment: "none", blocking: { ev: false, ea: false, ua: false, id: false }, version_document: { data_points: [] } });
    key = `planned-web-${wsId}`;
    await env.DB.prepare(`INSERT INTO inputs (workspace_id, kind, platform, name, api_key, secret_hash, settings) VALUES (?, 'platform', 'web', 'Planned web', ?, 'x', '{}')`).bind(wsId, key).run();
    invalidateConfig();
  });

  const config = async (query: string) => {
    const res = await web(`/JS/v2/${key}/config?${query}`);
    expect(res.status).toBe(200);
    return ((await res.json()) as Record<string, any>).dataPlanResult;
  };

  it("serves the latest version active for the environment, or the pinned one, as dtpn {vers, blok}", async () => {
    expect(await config("env=0&plan_id=shop_plan")).toEqual({
      dtpn: {
        vers: { version: 1, data_plan_id: "shop_plan", activated_environment: "production", version_document: { data_points: [point("Checkout")] } },
        blok: { ev: true, ea: false, ua: true, id: false },
      },
    });
    // Development data: "development" and "production" activations both count; the latest wins.
    const dev = await config("env=1&plan_id=shop_plan");
    expect(dev.dtpn.vers).toMatchObject({ version: 2, version_description: "adds Search", activated_environment: "development" });
    expect(dev.dtpn.vers.version_document.data_points.map((d: any) => d.match.criteria.event_name)).toEqual(["Checkout", "Search"]);
    expect(dev.dtpn.blok).toEqual({ ev: false, ea: false, ua: false, id: false });
    // A pinned version is served whatever its activation.
    expect((await config("env=0&plan_id=shop_plan&plan_version=3")).dtpn.vers).toMatchObject({ version: 3, activated_environment: "none" });
    // No plan named: no dataPlanResult at all.
    expect(await config("env=0")).toBeUndefined();
  });

  it("answers error_message for an unknown plan, an unknown version, or no active version", async () => {
    expect(await config("env=0&plan_id=capture_plan")).toEqual({ error_message: 'Data plan "capture_plan" not found.' });
    expect(await config("env=1&plan_id=shop_plan&plan_version=9")).toEqual({ error_message: 'Version 9 of data plan "shop_plan" not found.' });
    // The demo workspace has no plans.
    const demo = (await (await web(`/JS/v2/${WEB_KEY}/config?plan_id=shop_plan`)).json()) as Record<string, any>;
    expect(demo.dataPlanResult).toEqual({ error_message: 'Data plan "shop_plan" not found.' });
    const only = { ...plans.shop_plan, versions: { "3": plans.shop_plan.versions["3"] } };
    expect((await p.put(`/workspaces/${wsId}`, { settings: { dataPlans: { shop_plan: only } } })).status).toBe(200);
    expect(await config("env=1&plan_id=shop_plan")).toEqual({ error_message: 'No version of data plan "shop_plan" is active in development.' });
    // The update is served at once (the workspace write invalidates the config cache).
    expect((await p.put(`/workspaces/${wsId}`, { settings: { dataPlans: plans } })).status).toBe(200);
    expect((await config("env=1&plan_id=shop_plan")).dtpn.vers.version).toBe(2);
  });

  it("refuses invalid data plans with 400 naming the field, and keeps the stored ones", async () => {
    const v = (over: Record<string, unknown>) => ({ shop_plan: { versions: { "1": { version_document: { data_points: [] }, ...over } } } });
    for (const [dataPlans, message] of [
      [{ "shop plan": { versions: {} } }, /dataPlans\.shop plan: Data plan ids are URL-safe slugs/],
      [{ shop_plan: { versions: { v1: { version_document: {} } } } }, /dataPlans\.shop_plan\.versions\.v1: Version keys are positive integers/],
      [v({ activated_environment: "all" }), /dataPlans\.shop_plan\.versions\.1\.activated_environment/],
      [v({ blocking: { events: true } }), /dataPlans\.shop_plan\.versions\.1\.blocking/],
      [v({ version_document: undefined }), /dataPlans\.shop_plan\.versions\.1\.version_document/],
      [v({ version_document: { data_points: [{ match: { type: "page_view" } }] } }), /data_points\.0\.match\.type/],
      [v({ version_document: { data_points: [{ match: { type: "custom_event", criteria: { event_name: "Checkout" } } }] } }), /criteria\.custom_event_type: A custom_event data point needs the string criterion "custom_event_type"/],
      [v({ version_document: { data_points: Array.from({ length: 1001 }, () => point("x")) } }), /data_points/],
      [[], /dataPlans/],
    ] as const) {
      const res = await p.put(`/workspaces/${wsId}`, { settings: { dataPlans } });
      expect(res.status, JSON.stringify(dataPlans).slice(0, 200)).toBe(400);
      expect(res.body.errors.map((e: { message: string }) => e.message).join("\n")).toMatch(message);
    }
    const huge = { big: { versions: { "1": { version_document: { data_points: [], padding: "x".repeat(1_000_001) } } } } };
    const tooBig = await p.put(`/workspaces/${wsId}`, { settings: { dataPlans: huge } });
    expect(tooBig.status).toBe(400);
    expect(tooBig.body.errors[0].message).toMatch(/at most 1000000 per workspace/);
    expect((await config("env=1&plan_id=shop_plan")).dtpn.vers.version).toBe(2);
  });
});
