import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { invalidateConfig } from "../../src/db/config-cache";
import { createDb } from "../../src/db";
import { createOutput } from "../../src/db/queries/outputs";
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
    const res = await web(`/JS/v2/${WEB_KEY}/config?env=1&plan_id=capture_plan&plan_version=2`, { headers: { Origin: ORIGIN, Accept: "text/plain;charset=UTF-8" } });
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
        audienceAPI: "False",
        captureIntegrationSpecificIds: "False",
        astBackgroundEvents: "False",
        reportBatching: false,
      },
    });
    // No data plan store exists: no dataPlanResult even when the page names a plan.
    expect(body.dataPlanResult).toBeUndefined();
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
    expect(body.flags).toMatchObject({ eventBatchingIntervalMillis: "1000", reportBatching: true, cacheIdentity: "True", offlineStorage: "100", directURLRouting: "False" });
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
