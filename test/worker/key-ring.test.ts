import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { invalidateConfig } from "../../src/db/config-cache";
import worker from "../../src/index";
import { encryptJson } from "../../src/lib/crypto";
import { installSink } from "./helpers/sink";
import type { ForwardJob } from "../../src/pipeline/messages";
import { forwardJob } from "./helpers/forward-job";
import { CLIENT_ID, CLIENT_SECRET } from "./helpers/platform";

let sink: ReturnType<typeof installSink> | undefined;
afterEach(() => sink?.restore());

const key = (seed: number) => btoa(String.fromCharCode(...Array.from({ length: 32 }, (_, i) => (seed + i * 7) % 256)));
const OLD = env.CONFIG_ENCRYPTION_KEY;
const NEW = key(99);
const LOST = key(13);

/** The worker with another key configuration (what a redeploy with new secrets does). */
function workerWith(vars: Record<string, string>) {
  const e = { ...env, ...vars } as Env;
  const fetch = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await worker.fetch!(
      new Request(`http://edge-cdp.test${path}`, { method, headers: body === undefined ? headers : { "Content-Type": "application/json", ...headers }, body: body === undefined ? undefined : JSON.stringify(body) }) as Request<unknown, IncomingRequestCfProperties>,
      e,
      createExecutionContext(),
    );
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as any };
  };
  const platform = async () => {
    const tok = (await fetch("POST", "/oauth/token", { client_id: CLIENT_ID, client_secret: CLIENT_SECRET, audience: "https://api.mparticle.com", grant_type: "client_credentials" })).body.access_token;
    const auth = { Authorization: `Bearer ${tok}` };
    const q = (p: string) => `/v1${p}${p.includes("?") ? "&" : "?"}accountId=1`;
    return {
      get: (p: string) => fetch("GET", q(p), undefined, auth),
      post: (p: string, b: unknown = {}) => fetch("POST", q(p), b, auth),
      put: (p: string, b: unknown) => fetch("PUT", q(p), b, auth),
    };
  };
  return { fetch, platform };
}

const sealedOf = async (outputId: number) => (await env.DB.prepare("SELECT secret_settings FROM outputs WHERE id = ?").bind(outputId).first<{ secret_settings: string }>())!.secret_settings;

describe("key ring and re-seal", () => {
  it("reads old values while sealing under the first key of CONFIG_ENCRYPTION_KEYS, re-seals everything, then works without the old key", async () => {
    const before = workerWith({});
    const p0 = await before.platform();
    const app = (await p0.post("/apps", { name: `Ring ${crypto.randomUUID()}`, platforms: [{ platform: "server" }] })).body.data[0];
    const access = app.platforms[0].access_keys[0];
    const hook = (await p0.put(`/apps/${app.id}/platforms/server/services`, { name: "webhook", settings: { url: "https://hooks.example.com/ring", sharedSecret: "ring-secret" } })).body.data[0];
    // A value sealed before key ids existed (v1, no kid) and one sealed with a key nobody has any more.
    const legacy = (await p0.put(`/apps/${app.id}/platforms/server/services`, { name: "webhook", account: "Legacy", settings: { url: "https://hooks.example.com/legacy" } })).body.data[0];
    await env.DB.prepare("UPDATE outputs SET secret_settings = ? WHERE id = ?").bind(await encryptJson(OLD, { sharedSecret: "legacy-secret" }), legacy.output_id).run();
    const lost = (await p0.put(`/apps/${app.id}/platforms/server/services`, { name: "braze", settings: { apiKey: "x", instance: "US-03" } })).body.data[0];
    await env.DB.prepare("UPDATE outputs SET secret_settings = ? WHERE id = ?").bind(await encryptJson(LOST, { apiKey: "x" }), lost.output_id).run();
    invalidateConfig();

    // Rotation step 1: the new key first, the old one still readable.
    const ring = workerWith({ CONFIG_ENCRYPTION_KEYS: `k2026:${NEW}` });
    const p1 = await ring.platform();
    const listed = (await p1.get(`/apps/${app.id}/platforms/server/services`)).body.data;
    expect(listed.map((s: any) => s.secret_settings_status)).toEqual(["ok", "ok", "undecryptable"]);
    const created = (await p1.put(`/apps/${app.id}/platforms/server/services`, { name: "webhook", account: "New", settings: { url: "https://hooks.example.com/n", sharedSecret: "n" } })).body.data[0];
    expect(await sealedOf(created.output_id)).toMatch(/^v2\.k2026\./);

    // Step 2: re-seal.
    const report = await p1.post("/security/reseal");
    expect(report.status).toBe(200);
    expect(report.body.data[0]).toMatchObject({ key_id: "k2026", undecryptable: [{ kind: "output", id: lost.output_id }] });
    expect(report.body.data[0].resealed).toBeGreaterThanOrEqual(3); // two outputs + this app's input (+ the demo's)
    for (const id of [hook.output_id, legacy.output_id]) expect(await sealedOf(id)).toMatch(/^v2\.k2026\./);
    expect(await sealedOf(lost.output_id)).toMatch(/^v1\./);
    const input = JSON.parse((await env.DB.prepare("SELECT settings FROM inputs WHERE id = ?").bind(app.platforms[0].id).first<{ settings: string }>())!.settings);
    expect(input.secretSealed).toMatch(/^v2\.k2026\./);
    expect((await p1.post("/security/reseal")).body.data[0]).toMatchObject({ resealed: 0 });

    // Step 3: the old key removed — everything re-sealed still works, forwarding included.
    invalidateConfig();
    const after = workerWith({ CONFIG_ENCRYPTION_KEY: NEW });
    const p2 = await after.platform();
    const again = (await p2.get(`/apps/${app.id}/platforms/server/services`)).body.data;
    expect(again.map((s: any) => s.secret_settings_status)).toEqual(["ok", "ok", "undecryptable", "ok"]);
    sink = installSink();
    // A forward job on the ring webhook is delivered signed with its secret, opened with the new key alone.
    invalidateConfig();
    const conn = (await env.DB.prepare("SELECT * FROM connections WHERE id = ?").bind(hook.connection_id).first<Record<string, number>>())!;
    const job = forwardJob(conn.id!, { outputId: conn.output_id!, inputId: conn.input_id!, workspaceId: app.workspace_id, connectionCreatedAt: conn.created_at! });
    const mb = createMessageBatch<ForwardJob>("forward", [{ id: "ring-1", timestamp: new Date(), attempts: 1, body: job }]);
    const ctx = createExecutionContext();
    await worker.queue!(mb as MessageBatch<unknown>, { ...env, CONFIG_ENCRYPTION_KEY: NEW } as Env, ctx);
    expect((await getQueueResult(mb, ctx)).explicitAcks).toEqual(["ring-1"]);
    expect(sink.received.map((r) => [r.url, r.headers["x-edge-cdp-signature"]?.startsWith("sha256=")])).toEqual([["http://partner.test/ring", true]]);
    invalidateConfig();
  });
});
