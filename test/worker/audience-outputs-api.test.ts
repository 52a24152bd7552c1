import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AUDIENCE_HOOK, connectWebhook, newAudience } from "./helpers/audience-outputs";
import { call, platform, token } from "./helpers/platform";
import { installSink } from "./helpers/sink";

let api: ReturnType<typeof platform>;
let tok: string;
let sink: ReturnType<typeof installSink>;
beforeAll(async () => {
  sink = installSink();
  tok = await token();
  api = platform(tok);
});
afterAll(() => sink.restore());

describe("audience connections: Platform API", () => {
  it("connects an audience to the webhook output, lists it under the audience, in /v1/connections with kind audience and in connected_outputs; secrets are write-only", async () => {
    const aud = await newAudience(api);
    const r = await api.post(`/audiences/${aud}/connections`, {
      name: "webhook",
      account: "Audience hook",
      settings: [
        { name: "url", value: AUDIENCE_HOOK },
        { name: "sharedSecret", value: "s3cret" },
      ],
      connectionSettings: [{ name: "flush_interval_s", value: 5 }],
      status: { development: "inactive", production: "active" },
    });
    expect(r.status).toBe(201);
    const conn = r.body.data[0];
    expect(conn).toMatchObject({ kind: "audience", audience_id: aud, name: "webhook", account: "Audience hook", settings: { url: AUDIENCE_HOOK }, has_secret_settings: true, connection_settings: { flush_interval_s: 5 }, status: { development: "inactive", production: "active" }, faulted: false });
    expect(JSON.stringify(r.body)).not.toContain("s3cret");

    const listed = await api.get(`/audiences/${aud}/connections`);
    expect(listed.body.data.map((c: any) => c.id)).toEqual([conn.id]);
    expect(JSON.stringify(listed.body)).not.toContain("s3cret");

    const all = await api.get(`/connections?kind=audience&after_id=${conn.id - 1}`);
    expect(all.body.data[0]).toMatchObject({ id: conn.id, kind: "audience", audience_id: aud, input_id: null, integration: "webhook", faulted: false });
    const events = await api.get(`/connections?kind=event`);
    expect(events.body.data.every((c: any) => c.kind === "event")).toBe(true);

    const a = await api.get(`/audiences/${aud}`);
    expect(a.body.connected_outputs).toEqual([{ provider_name: "Webhook", configurations: [{ name: "Audience hook", connection_id: conn.id, status: { development: "inactive", production: "active" }, faulted: false }], data_type: "audience_output" }]);

    // Posting again updates the same connection (omitted secret kept).
    const again = await api.post(`/audiences/${aud}/connections`, { name: "webhook", account: "Audience hook", settings: { url: AUDIENCE_HOOK } });
    expect(again.status).toBe(200);
    expect(again.body.data[0]).toMatchObject({ id: conn.id, has_secret_settings: true, status: { development: "active", production: "active" } });
  });

  it("GET /v1/services marks the services that take audiences", async () => {
    const r = await api.get("/services");
    const hook = r.body.data.find((s: any) => s.name === "webhook");
    expect(hook).toMatchObject({ supports_audiences: true, audience_cadence: { max_wait_seconds: 60, max_pending: 1000, max_rows_per_upload: 1000 } });
    expect(r.body.data.find((s: any) => s.name === "mixpanel").supports_audiences).toBe(false);
    expect((await api.get("/services/webhook")).body.data[0].supports_audiences).toBe(true);
  });

  it("disconnecting removes the connection; a new connection never gets its id again; the counters route answers for it", async () => {
    const aud = await newAudience(api);
    const first = await connectWebhook(api, aud);
    expect((await api.get(`/connections/${first}/counters`)).status).toBe(200);
    expect((await api.del(`/audiences/${aud}/connections/${first}`)).status).toBe(204);
    expect((await api.get(`/audiences/${aud}/connections`)).body.data).toEqual([]);
    expect((await api.get(`/connections/${first}/counters`)).status).toBe(404);
    expect((await api.del(`/audiences/${aud}/connections/${first}`)).status).toBe(404);
    const second = await connectWebhook(api, aud);
    expect(second).toBeGreaterThan(first);
    expect((await api.get(`/audiences/${aud}`)).body.connected_outputs[0].configurations.map((c: any) => c.connection_id)).toEqual([second]);
  });

  it("deleting the audience disconnects its outputs", async () => {
    const aud = await newAudience(api);
    const conn = await connectWebhook(api, aud);
    expect((await api.del(`/audiences/${aud}`)).status).toBe(202);
    expect((await api.get(`/connections/${conn}/counters`)).status).toBe(404);
    expect((await api.get(`/connections?kind=audience`)).body.data.some((c: any) => c.id === conn)).toBe(false);
  });

  it("refuses bad input with 400/404/413 JSON and never a 5xx", async () => {
    const aud = await newAudience(api);
    const bad = async (body: unknown, status: number, text?: string) => {
      const r = await api.post(`/audiences/${aud}/connections`, body);
      expect(r.status, JSON.stringify(r.body)).toBe(status);
      expect(r.body.errors.length).toBeGreaterThan(0);
      if (text) expect(JSON.stringify(r.body.errors)).toContain(text);
    };
    await bad({ name: "mixpanel", settings: { token: "x" } }, 400, "takes no audiences");
    await bad({ name: "nope" }, 400, "takes no audiences");
    await bad({ name: "webhook", settings: {} }, 400, "settings.url");
    await bad({ name: "webhook", settings: { url: "ftp://x" } }, 400, "settings.url");
    await bad({ name: "webhook", settings: { url: AUDIENCE_HOOK }, connectionSettings: { flush_interval_s: -1 } }, 400, "flush_interval_s");
    await bad({ name: "webhook", settings: { url: AUDIENCE_HOOK }, connectionSettings: { flush_interval_s: "soon" } }, 400, "flush_interval_s");
    await bad({ name: "webhook", settings: { url: AUDIENCE_HOOK }, status: { production: "on" } }, 400, "status");
    await bad({ name: "webhook", settings: { url: AUDIENCE_HOOK }, extra: 1 }, 400);
    await bad({ name: "webhook", settings: { url: AUDIENCE_HOOK, colour: "blue" } }, 400, "settings.colour is not a setting of webhook");
    await bad([], 400);
    const notJson = await call("POST", `/v1/audiences/${aud}/connections?accountId=1`, "{not json", { Authorization: `Bearer ${tok}`, "Content-Type": "application/json" });
    expect(notJson.status).toBe(400);
    expect(((await notJson.json()) as any).errors.length).toBe(1);
    const huge = await call("POST", `/v1/audiences/${aud}/connections?accountId=1`, JSON.stringify({ name: "webhook", settings: { url: AUDIENCE_HOOK, pad: "x".repeat(70 * 1024) } }), { Authorization: `Bearer ${tok}`, "Content-Type": "application/json" });
    expect(huge.status).toBe(413);
    expect(((await huge.json()) as any).errors.length).toBe(1);
    expect((await api.post(`/audiences/999999/connections`, { name: "webhook", settings: { url: AUDIENCE_HOOK } })).status).toBe(404);
    expect((await api.get(`/audiences/999999/connections`)).status).toBe(404);
    expect((await api.del(`/audiences/${aud}/connections/999999`)).status).toBe(404);
    expect((await api.post(`/connections/999999/resume`)).status).toBe(404);
    // An event connection is not resumable.
    const ev = (await api.get(`/connections?kind=event`)).body.data[0];
    expect(ev, "the demo workspace has an event connection").toMatchObject({ id: expect.any(Number) });
    expect((await api.post(`/connections/${ev.id}/resume`)).status).toBe(400);
    expect((await api.get(`/audiences/${aud}/connections`)).body.data).toEqual([]);
  });
});
