import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { audiencePartners } from "../../src/integrations/audience/registry";
import { integrations } from "../../src/integrations/registry";
import { basic, batch, post } from "./helpers/requests";
import { installSink } from "./helpers/sink";
import { eventually } from "./helpers/wait";
import { platform, token } from "./helpers/platform";

let sink: ReturnType<typeof installSink> | undefined;
afterEach(() => sink?.restore());

describe("services catalog", () => {
  it("lists every integration with its settings as JSON Schema and secret settings marked", async () => {
    const p = platform(await token());
    const all = await p.get("/services");
    expect(all.status).toBe(200);
    const webhook = all.body.data.find((s: any) => s.name === "webhook");
    expect(webhook.settings.properties.url).toBeTruthy();
    expect(webhook.settings.properties.sharedSecret).toMatchObject({ writeOnly: true, "x-secret": true });
    expect(webhook.secret_settings).toEqual(["sharedSecret"]);
    expect(webhook.connection_settings.type).toBe("object");
    // Event outputs, then the audience-only partners (Snapchat, X, Pinterest), each once.
    expect(all.body.data.map((s: any) => s.name).sort()).toEqual([...new Set([...Object.keys(integrations), ...Object.keys(audiencePartners)])].sort());
    for (const s of all.body.data) {
      expect(s.settings.type, s.name).toBe("object");
      for (const k of s.secret_settings) if (s.settings.properties?.[k]) expect(s.settings.properties[k]["x-secret"], `${s.name}.${k}`).toBe(true);
    }
    const one = await p.get("/services/Webhook");
    expect(one.body.data[0].name).toBe("webhook");
    expect((await p.get("/services/nope")).status).toBe(404);
  });
});

describe("PUT /v1/apps/{id}/platforms/{platform}/services", () => {
  it("configures an output and a connection that forwards, keeps secrets write-only, and removes it", async () => {
    sink = installSink();
    const p = platform(await token());
    const app = (await p.post("/apps", { name: "Svc", platforms: [{ platform: "server" }] })).body.data[0];
    const key = app.platforms[0].access_keys[0];
    const put = await p.put(`/apps/${app.id}/platforms/server/services`, {
      name: "webhook",
      settings: [
        { name: "url", value: "https://hooks.example.com/svc" },
        { name: "sharedSecret", value: "s3cret" },
      ],
    });
    expect(put.status).toBe(200);
    const svc = put.body.data[0];
    expect(svc).toMatchObject({ name: "webhook", account: "Default Account", isVisible: true, has_secret_settings: true, status: { development: "active", production: "active" } });
    expect(JSON.stringify(put.body)).not.toContain("s3cret");

    const b = batch();
    expect((await post("/v2/events", b, { Authorization: basic(key.key, key.secret) })).status).toBe(202);
    await eventually(() => expect(sink!.received.some((r) => r.url.endsWith("/svc") && r.body.includes(b.user_identities.customerid))).toBe(true));
    const got = sink.received.find((r) => r.url.endsWith("/svc"))!;
    expect(got.headers["x-edge-cdp-signature"]).toMatch(/^sha256=/);

    // A second PUT without the secret keeps it; a second account is a second output.
    await p.put(`/apps/${app.id}/platforms/server/services`, { name: "webhook", settings: { url: "https://hooks.example.com/svc2" } });
    await p.put(`/apps/${app.id}/platforms/server/services`, { name: "webhook", account: "Shadow", isVisible: false, settings: { url: "https://hooks.example.com/shadow" } });
    const list = (await p.get(`/apps/${app.id}/platforms/server/services`)).body.data;
    expect(list.map((s: any) => [s.account, s.isVisible, s.settings.url])).toEqual([
      ["Default Account", true, "https://hooks.example.com/svc2"],
      ["Shadow", false, "https://hooks.example.com/shadow"],
    ]);
    expect(list[0].has_secret_settings).toBe(true);

    const configs = await p.get(`/workspace/${app.workspace_id}/webhook/serviceconfigurations`);
    expect(configs.body.data.map((o: any) => o.account)).toEqual(expect.arrayContaining(["Default Account", "Shadow"]));

    const shadow = configs.body.data.find((o: any) => o.account === "Shadow");
    expect((await p.del(`/workspace/${app.workspace_id}/webhook/serviceconfigurations/${shadow.id}`)).status).toBe(409);
    expect((await p.del(`/apps/${app.id}/platforms/server/services/webhook?account=Shadow`)).status).toBe(204);
    expect((await p.del(`/workspace/${app.workspace_id}/webhook/serviceconfigurations/${shadow.id}`)).status).toBe(204);
    expect((await p.get(`/workspace/${app.workspace_id}/webhook/serviceconfigurations`)).body.data.map((o: any) => o.account)).not.toContain("Shadow");
    expect((await p.get(`/apps/${app.id}/platforms/server/services`)).body.data).toHaveLength(1);
    const conns = await env.DB.prepare("SELECT COUNT(*) AS n FROM connections WHERE input_id = ?").bind(app.platforms[0].id).first<{ n: number }>();
    expect(conns!.n).toBe(1);
  });

  it("refuses invalid settings with 400 naming the field, and unknown services with 404", async () => {
    const p = platform(await token());
    const app = (await p.post("/apps", { name: "Bad", platforms: [{ platform: "web" }] })).body.data[0];
    const bad = await p.put(`/apps/${app.id}/platforms/web/services`, { name: "webhook", settings: { url: "not a url" } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].message).toContain("settings.url");
    expect((await p.put(`/apps/${app.id}/platforms/web/services`, { name: "nope", settings: {} })).status).toBe(404);
    expect((await p.put(`/apps/${app.id}/platforms/ios/services`, { name: "webhook", settings: { url: "https://x.example" } })).status).toBe(404);
  });
});

describe("partner feeds", () => {
  it("creates a feed input with a one-time secret, protection level and act-as platform; updates and deletes it", async () => {
    const p = platform(await token());
    const created = await p.post("/workspace/1/partnerfeeds", { name: "Branch", module: "branch", act_as_platform: "iOS", protection_level: "update_only" });
    expect(created.status).toBe(201);
    const feed = created.body.data[0];
    expect(feed).toMatchObject({ module: "branch", act_as_platform: "ios", protection_level: "update_only", status: "active" });
    const key = feed.access_keys[0];
    expect(key.secret).toBeTruthy();
    expect((await post("/v2/events", batch(), { Authorization: basic(key.key, key.secret) })).status).toBe(202);

    expect((await p.get(`/partnerfeeds/${feed.id}`)).body.data[0].access_keys[0]).toEqual({ key: key.key });
    expect((await p.get("/workspace/1/partnerfeeds")).body.data.map((f: any) => f.id)).toContain(feed.id);
    const upd = await p.put(`/workspace/1/partnerfeeds/${feed.id}`, { name: "Branch 2", module: null, protection_level: "read_only" });
    expect(upd.body.data[0]).toMatchObject({ name: "Branch 2", module: null, act_as_platform: null, protection_level: "read_only" });
    expect((await p.del(`/workspace/1/partnerfeeds/${feed.id}`)).status).toBe(204);
    expect((await p.get(`/partnerfeeds/${feed.id}`)).status).toBe(404);
    expect((await post("/v2/events", batch(), { Authorization: basic(key.key, key.secret) })).status).toBe(403);
  });

  it("keeps feeds of another account out of reach (404)", async () => {
    const p = platform(await token());
    const acct = (await p.post("/accounts", { name: "Feeds other" })).body.data[0].id;
    const other = platform(await token(), acct);
    const ws = (await other.post("/workspaces", { name: "W" })).body.data[0].id;
    const feed = (await other.post(`/workspace/${ws}/partnerfeeds`, { name: "Theirs" })).body.data[0];
    expect((await p.get(`/partnerfeeds/${feed.id}`)).status).toBe(404);
    expect((await p.get(`/workspace/${ws}/partnerfeeds`)).status).toBe(404);
    expect((await p.put(`/workspace/1/partnerfeeds/${feed.id}`, { name: "x" })).status).toBe(404);
  });
});
