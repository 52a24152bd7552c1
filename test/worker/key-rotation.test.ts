import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { invalidateConfig } from "../../src/db/config-cache";
import worker from "../../src/index";
import { encryptJson } from "../../src/lib/crypto";
import type { ForwardJob } from "../../src/pipeline/messages";
import { forwardJob } from "./helpers/forward-job";
import { signed, req as identifyBody } from "./helpers/identity";
import { platform, token } from "./helpers/platform";
import { basic, batch, post } from "./helpers/requests";
import { installSink } from "./helpers/sink";
import { eventually } from "./helpers/wait";

let sink: ReturnType<typeof installSink> | undefined;
afterEach(() => sink?.restore());

/** A key the worker does not have: what was stored before CONFIG_ENCRYPTION_KEY changed. */
const LOST_KEY = btoa(String.fromCharCode(...Array.from({ length: 32 }, (_, i) => 200 - i)));

async function sealWithLostKey(outputId: number, secrets: Record<string, unknown>) {
  await env.DB.prepare("UPDATE outputs SET secret_settings = ? WHERE id = ?").bind(await encryptJson(LOST_KEY, secrets), outputId).run();
  invalidateConfig();
}

async function appWith(service: string, settings: Record<string, unknown>) {
  const p = platform(await token());
  const app = (await p.post("/apps", { name: `Keys ${crypto.randomUUID()}`, platforms: [{ platform: "server" }] })).body.data[0];
  const put = await p.put(`/apps/${app.id}/platforms/server/services`, { name: service, settings });
  expect(put.status).toBe(200);
  return { p, app, svc: put.body.data[0] as { connection_id: number; output_id: number } };
}

describe("a changed CONFIG_ENCRYPTION_KEY", () => {
  it("a PUT that carries the secrets again replaces them without decrypting the old ones (Braze, Amplitude)", async () => {
    for (const [service, first, again] of [
      ["braze", { apiKey: "old-braze", instance: "US-03" }, { apiKey: "new-braze", instance: "US-03" }],
      ["amplitude", { apiKey: "old-amp", secretKey: "old-amp-secret" }, { apiKey: "new-amp", secretKey: "new-amp-secret" }],
    ] as const) {
      const { p, app, svc } = await appWith(service, first);
      await sealWithLostKey(svc.output_id, first);
      const put = await p.put(`/apps/${app.id}/platforms/server/services`, { name: service, settings: again });
      expect(put.status, service).toBe(200);
      const list = (await p.get(`/apps/${app.id}/platforms/server/services`)).body.data;
      expect(list[0], service).toMatchObject({ has_secret_settings: true, secret_settings_status: "ok" });
    }
  });

  it("a PUT without the secret answers 400 saying the secret must be entered again (never 5xx)", async () => {
    const { p, app, svc } = await appWith("braze", { apiKey: "old-braze", instance: "US-03" });
    await sealWithLostKey(svc.output_id, { apiKey: "old-braze" });
    const put = await p.put(`/apps/${app.id}/platforms/server/services`, { name: "braze", settings: { instance: "US-02" } });
    expect(put.status).toBe(400);
    expect(put.body.errors[0].message).toMatch(/apiKey/);
    expect(put.body.errors[0].message).toMatch(/enter.*again/i);
  });

  it("reading the output says the secret must be entered again", async () => {
    const { p, app, svc } = await appWith("braze", { apiKey: "old-braze", instance: "US-03" });
    await sealWithLostKey(svc.output_id, { apiKey: "old-braze" });
    const list = await p.get(`/apps/${app.id}/platforms/server/services`);
    expect(list.status).toBe(200);
    expect(list.body.data[0]).toMatchObject({ has_secret_settings: true, secret_settings_status: "undecryptable" });
    expect(list.body.data[0].secret_settings_message).toMatch(/enter.*again/i);
    const configs = await p.get(`/workspace/${app.workspace_id}/braze/serviceconfigurations`);
    expect(configs.status).toBe(200);
    expect(configs.body.data.find((o: any) => o.id === svc.output_id)).toMatchObject({ secret_settings_status: "undecryptable" });
  });

  it("its connection fails visibly: events are accepted, jobs dead-lettered as secret_undecryptable, a system alert", async () => {
    sink = installSink();
    const { app, svc } = await appWith("braze", { apiKey: "old-braze", instance: "US-03" });
    await sealWithLostKey(svc.output_id, { apiKey: "old-braze" });
    const key = app.platforms[0].access_keys[0];
    const b = batch();
    expect((await post("/v2/events", b, { Authorization: basic(key.key, key.secret) })).status).toBe(202);
    const dl = await eventually(async () => {
      const row = await env.DB.prepare("SELECT * FROM dead_letters WHERE connection_id = ?").bind(svc.connection_id).first<Record<string, any>>();
      expect(row).toBeTruthy();
      return row!;
    });
    expect(dl.reason).toBe("secret_undecryptable");
    expect(dl.response).toMatch(/enter.*again/i);
    expect(sink.received).toEqual([]);
    const alert = await env.DB.prepare("SELECT * FROM system_alerts WHERE connection_id = ? ORDER BY id DESC").bind(svc.connection_id).first<Record<string, any>>();
    expect(alert).toMatchObject({ kind: "secret_undecryptable" });

    // A queued retry for it goes the same way (acked, never retried in a loop).
    const j: ForwardJob = forwardJob(svc.connection_id, { outputId: svc.output_id, workspaceId: app.workspace_id, inputId: app.platforms[0].id });
    const mb = createMessageBatch<ForwardJob>("forward", [{ id: "undecryptable-1", timestamp: new Date(), attempts: 1, body: j }]);
    const ctx = createExecutionContext();
    await worker.queue(mb, env, ctx);
    expect((await getQueueResult(mb, ctx)).explicitAcks).toEqual(["undecryptable-1"]);
  });

  it("a signed Identity API request on an input whose sealed secret cannot be read answers 401 with a clear error", async () => {
    const p = platform(await token());
    const app = (await p.post("/apps", { name: `Keys signed ${crypto.randomUUID()}`, platforms: [{ platform: "server" }] })).body.data[0];
    const key = app.platforms[0].access_keys[0];
    const body = JSON.stringify(identifyBody({ customerid: "signed-user" }));
    const ok = await exports.default.fetch("http://edge-cdp.test/v1/identify", { method: "POST", body, headers: { "Content-Type": "application/json", ...(await signed("/identify", body, { key: key.key, secret: key.secret })) } });
    expect(ok.status).toBe(200);

    const settings = JSON.parse((await env.DB.prepare("SELECT settings FROM inputs WHERE id = ?").bind(app.platforms[0].id).first<{ settings: string }>())!.settings);
    settings.secretSealed = await encryptJson(LOST_KEY, key.secret);
    await env.DB.prepare("UPDATE inputs SET settings = ? WHERE id = ?").bind(JSON.stringify(settings), app.platforms[0].id).run();
    invalidateConfig();
    const res = await exports.default.fetch("http://edge-cdp.test/v1/identify", { method: "POST", body, headers: { "Content-Type": "application/json", ...(await signed("/identify", body, { key: key.key, secret: key.secret })) } });
    expect(res.status).toBe(401);
    expect(JSON.stringify(await res.json())).toMatch(/cannot be decrypted/);
  });
});
