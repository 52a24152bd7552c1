import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { CONFIG_TTL_MS } from "../../src/db/config-cache";
import { hashSecret } from "../../src/lib/crypto";
import { batch, basic, post } from "./helpers/requests";
import { idsync, req, signed } from "./helpers/identity";
import { platform, token } from "./helpers/platform";

describe("apps and app platforms", () => {
  it("creates an app whose platforms show their secret once; later reads show only the key", async () => {
    const p = platform(await token());
    const res = await p.post("/apps", { name: "Travel", platforms: [{ platform: "iOS" }, { platform: "web" }] });
    expect(res.status).toBe(201);
    const app = res.body.data[0];
    expect(app.platforms.map((x: any) => x.platform)).toEqual(["ios", "web"]);
    for (const pl of app.platforms) expect(pl.access_keys[0]).toEqual({ key: expect.any(String), secret: expect.any(String) });
    const again = (await p.get(`/apps/${app.id}`)).body.data[0];
    for (const pl of again.platforms) expect(pl.access_keys[0]).toEqual({ key: expect.any(String) });
    expect(JSON.stringify((await p.get("/apps")).body)).not.toContain(app.platforms[0].access_keys[0].secret);

    const web = app.platforms[1].access_keys[0];
    expect((await post("/v2/events", batch(), { Authorization: basic(web.key, web.secret) })).status).toBe(202);
  });

  it("gives API-created platforms HMAC-signed Identity API access, also after a secret rotation, never showing the sealed secret", async () => {
    const p = platform(await token());
    const app = (await p.post("/apps", { name: "Signed", platforms: [{ platform: "iOS" }] })).body.data[0];
    const { key, secret } = app.platforms[0].access_keys[0];
    expect(JSON.stringify(app)).not.toContain("secretSealed");
    const body = JSON.stringify(req({ ios_idfv: crypto.randomUUID() }));
    expect((await idsync("/identify", body, await signed("/identify", body, { key, secret }))).status).toBe(200);
    const rotated = (await p.post(`/apps/${app.id}/platforms/ios/rotate`, {})).body.data[0].access_keys[0];
    expect((await idsync("/identify", body, await signed("/identify", body, { key, secret }))).status).toBe(401);
    expect((await idsync("/identify", body, await signed("/identify", body, { key: rotated.key, secret: rotated.secret }))).status).toBe(200);
  });

  it("lists the demo inputs as apps", async () => {
    const apps = (await platform(await token()).get("/apps")).body.data;
    const keys = apps.flatMap((a: any) => a.platforms.map((x: any) => x.access_keys[0].key));
    expect(keys).toEqual(expect.arrayContaining(["demo-server-key", "demo-web-key"]));
  });

  it("adds, reads, updates and deletes a platform", async () => {
    const p = platform(await token());
    const app = (await p.post("/apps", { name: "Multi" })).body.data[0];
    const created = await p.post(`/apps/${app.id}/platforms`, { platform: "Android" });
    expect(created.status).toBe(201);
    const key = created.body.data[0].access_keys[0];
    expect(key.secret).toBeTruthy();
    expect((await p.post(`/apps/${app.id}/platforms`, { platform: "android" })).status).toBe(409);
    expect((await p.post(`/apps/${app.id}/platforms`, { platform: "commodore64" })).status).toBe(400);
    expect((await p.get(`/apps/${app.id}/platforms`)).body.data).toHaveLength(1);
    expect((await p.get(`/apps/${app.id}/platforms/android`)).body.data[0].access_keys[0]).toEqual({ key: key.key });

    const disabled = await p.put(`/apps/${app.id}/platforms/android`, { status: "disabled" });
    expect(disabled.body.data[0].status).toBe("disabled");
    expect((await post("/v2/events", batch(), { Authorization: basic(key.key, key.secret) })).status).toBe(403);

    expect((await p.put(`/apps/${app.id}`, { name: "Renamed" })).body.data[0].name).toBe("Renamed");
    expect((await p.del(`/apps/${app.id}/platforms/android`)).status).toBe(204);
    expect((await p.get(`/apps/${app.id}/platforms/android`)).status).toBe(404);
    expect((await p.del(`/apps/${app.id}`)).status).toBe(204);
    expect((await p.get(`/apps/${app.id}`)).status).toBe(404);
  });

  it("rotates a platform secret and the Events API takes it at once (in-isolate cache invalidated)", async () => {
    const p = platform(await token());
    const app = (await p.post("/apps", { name: "Rotate", platforms: [{ platform: "server" }] })).body.data[0];
    const old = app.platforms[0].access_keys[0];
    expect((await post("/v2/events", batch(), { Authorization: basic(old.key, old.secret) })).status).toBe(202);
    const rotated = await p.post(`/apps/${app.id}/platforms/server/rotate`, {});
    expect(rotated.status).toBe(200);
    const fresh = rotated.body.data[0].access_keys[0];
    expect(fresh.key).toBe(old.key);
    expect(fresh.secret).not.toBe(old.secret);
    expect((await post("/v2/events", batch(), { Authorization: basic(old.key, old.secret) })).status).toBe(403);
    expect((await post("/v2/events", batch(), { Authorization: basic(fresh.key, fresh.secret) })).status).toBe(202);

    const newKey = (await p.post(`/apps/${app.id}/platforms/server/rotate`, { new_key: true })).body.data[0].access_keys[0];
    expect(newKey.key).not.toBe(old.key);
    expect((await post("/v2/events", batch(), { Authorization: basic(old.key, fresh.secret) })).status).toBe(403);
    expect((await post("/v2/events", batch(), { Authorization: basic(newKey.key, newKey.secret) })).status).toBe(202);
  });

  it("a rotation written by another isolate takes effect here within the config cache TTL", async () => {
    const p = platform(await token());
    const app = (await p.post("/apps", { name: "TTL", platforms: [{ platform: "server" }] })).body.data[0];
    const k = app.platforms[0].access_keys[0];
    expect((await post("/v2/events", batch(), { Authorization: basic(k.key, k.secret) })).status).toBe(202); // cached now
    // Another isolate rotates: D1 changes, this isolate's cache is not invalidated.
    await env.DB.prepare("UPDATE inputs SET secret_hash = ? WHERE id = ?").bind(await hashSecret("rotated-elsewhere"), app.platforms[0].id).run();
    expect((await post("/v2/events", batch(), { Authorization: basic(k.key, k.secret) })).status).toBe(202);
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      vi.setSystemTime(Date.now() + CONFIG_TTL_MS + 1);
      expect((await post("/v2/events", batch(), { Authorization: basic(k.key, k.secret) })).status).toBe(403);
      expect((await post("/v2/events", batch(), { Authorization: basic(k.key, "rotated-elsewhere") })).status).toBe(202);
    } finally {
      vi.useRealTimers();
    }
  });

  it("scopes apps to the account (404 across accounts)", async () => {
    const p = platform(await token());
    const acct = (await p.post("/accounts", { name: "Other apps" })).body.data[0].id;
    const other = platform(await token(), acct);
    await other.post("/workspaces", { name: "W" });
    const app = (await other.post("/apps", { name: "Theirs", platforms: [{ platform: "web" }] })).body.data[0];
    expect((await p.get(`/apps/${app.id}`)).status).toBe(404);
    expect((await p.get(`/apps/${app.id}/platforms/web`)).status).toBe(404);
    expect((await p.post(`/apps/${app.id}/platforms/web/rotate`, {})).status).toBe(404);
    expect((await p.del(`/apps/${app.id}`)).status).toBe(404);
    expect((await p.post("/apps", { name: "x", workspace_id: app.workspace_id })).status).toBe(404);
  });
});
