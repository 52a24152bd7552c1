import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { call, platform, token } from "./helpers/platform";
import { newRule, newWorkspace, wiredInput, type Api } from "./helpers/rules";

let api: Api;
let tok: string;
beforeAll(async () => {
  tok = await token();
  api = platform(tok);
});

const binding = { type: "service_binding", binding: "RULE_FIXTURE" };
const noServerErrors = (res: { status: number }) => expect(res.status).toBeLessThan(500);

describe("Rules API: create, read, update, delete", () => {
  it("creates a rule in the account's first workspace by default and reads it back; the list has it", async () => {
    const r = await newRule(api, { locator: binding, description: "drops test users" });
    expect(r).toMatchObject({ workspace_id: 1, failure_action: "proceed", status: "active", locator: binding, description: "drops test users", production_version: null });
    expect(r.signing_secret).toBeUndefined();
    const got = await api.get(`/rules/${r.id}`);
    expect(got.status).toBe(200);
    expect(got.body.data[0]).toMatchObject({ id: r.id, name: r.name, attachments: [] });
    expect((await api.get("/rules")).body.data.map((x: any) => x.id)).toContain(r.id);
  });

  it("returns an HTTPS rule's signing secret once, on create, and stores it sealed", async () => {
    const r = await newRule(api, { locator: { type: "https", url: "https://rules.example.com/hook" } });
    expect(r.signing_secret).toMatch(/^rsec_/);
    const again = await api.get(`/rules/${r.id}`);
    expect(JSON.stringify(again.body)).not.toContain(r.signing_secret);
    const row = await env.DB.prepare("SELECT secret_sealed FROM rules WHERE id = ?").bind(r.id).first<{ secret_sealed: string }>();
    expect(row!.secret_sealed.startsWith("v2.")).toBe(true);
    expect(row!.secret_sealed).not.toContain(r.signing_secret);
    // A new secret only when asked for.
    const rotated = await api.put(`/rules/${r.id}`, { rotate_secret: true });
    expect(rotated.body.data[0].signing_secret).toMatch(/^rsec_/);
    expect(rotated.body.data[0].signing_secret).not.toBe(r.signing_secret);
    expect((await api.put(`/rules/${r.id}`, { name: "renamed" })).body.data[0].signing_secret).toBeUndefined();
  });

  it("requires failure_action (no default) and refuses non-HTTPS URLs, foreign binding names and unknown fields with 400", async () => {
    const cases = [
      { name: "x", locator: binding },
      { name: "x", failure_action: "retry", locator: binding },
      { name: "x", failure_action: "discard", locator: { type: "https", url: "http://rules.example.com/" } },
      { name: "x", failure_action: "discard", locator: { type: "https", url: "https://user:pw@rules.example.com/" } },
      { name: "x", failure_action: "discard", locator: { type: "service_binding", binding: "DB" } },
      { name: "x", failure_action: "discard", locator: { type: "lambda", arn: "arn:aws:lambda:x" } },
      { name: "x", failure_action: "discard", locator: binding, code: "return batch" },
      { name: "", failure_action: "discard", locator: binding },
    ];
    for (const body of cases) {
      const res = await api.post("/rules", body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.errors[0]).toMatchObject({ code: "BAD_REQUEST", message: expect.any(String) });
    }
    const raw = await call("POST", "/v1/rules?accountId=1", "{not json", { Authorization: `Bearer ${tok}` });
    expect(raw.status).toBe(400);
    expect(((await raw.json()) as any).errors[0].code).toBe("BAD_REQUEST");
  });

  it("refuses a body over the Platform limit with 413 JSON and stores nothing", async () => {
    const before = await env.DB.prepare("SELECT COUNT(*) AS n FROM rules").first<{ n: number }>();
    const res = await call("POST", "/v1/rules?accountId=1", JSON.stringify({ name: "big", failure_action: "discard", locator: binding, description: "x".repeat(300_000) }), { Authorization: `Bearer ${tok}`, "Content-Type": "application/json" });
    expect(res.status).toBe(413);
    expect(((await res.json()) as any).errors[0].code).toBe("PAYLOAD_TOO_LARGE");
    expect((await env.DB.prepare("SELECT COUNT(*) AS n FROM rules").first<{ n: number }>())!.n).toBe(before!.n);
  });

  it("answers 404 JSON for unknown rules, other accounts' rules and unknown workspaces", async () => {
    for (const [method, path, body] of [
      ["GET", "/rules/999999"],
      ["PUT", "/rules/999999", { name: "x" }],
      ["DELETE", "/rules/999999"],
      ["GET", "/rules/999999/versions"],
      ["POST", "/rules/999999/promote"],
      ["POST", "/rules/999999/test", { events: [] }],
      ["GET", "/rules/999999/metrics"],
      ["GET", "/rules/999999/logs"],
    ] as const) {
      const res = method === "GET" ? await api.get(path) : method === "DELETE" ? await api.del(path) : method === "PUT" ? await api.put(path, body) : await api.post(path, body);
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.body.errors[0].code).toBe("NOT_FOUND");
    }
    expect((await api.post("/rules", { name: "x", failure_action: "discard", locator: binding, workspace_id: 999999 })).status).toBe(404);
    expect((await platform(tok, 999999).get("/rules")).status).toBe(404);
  });

  it("keeps a rule in its workspace, switches it inactive and active, and never reuses a deleted rule's id", async () => {
    const ws = await newWorkspace("rules ws move");
    const r = await newRule(api, { locator: binding });
    expect((await api.put(`/rules/${r.id}`, { workspace_id: ws })).status).toBe(400);
    expect((await api.put(`/rules/${r.id}`, { status: "inactive" })).body.data[0].status).toBe("inactive");
    expect((await api.put(`/rules/${r.id}`, { status: "active", failure_action: "discard" })).body.data[0]).toMatchObject({ status: "active", failure_action: "discard" });
    expect((await api.del(`/rules/${r.id}`)).status).toBe(204);
    expect((await api.get(`/rules/${r.id}`)).status).toBe(404);
    const next = await newRule(api, { locator: binding });
    expect(next.id).toBeGreaterThan(r.id);
  });
});

describe("Rules API: versions and promote", () => {
  it("promotes the current locator and failure action as production version N; versions are frozen", async () => {
    const r = await newRule(api, { locator: binding, failure_action: "discard" });
    const v1 = await api.post(`/rules/${r.id}/promote`);
    expect(v1.status).toBe(201);
    expect(v1.body.data[0]).toMatchObject({ version: 1, locator: binding, failure_action: "discard" });
    await api.put(`/rules/${r.id}`, { locator: { type: "service_binding", binding: "RULE_EXAMPLE" }, failure_action: "proceed" });
    expect((await api.post(`/rules/${r.id}/promote`)).body.data[0]).toMatchObject({ version: 2, locator: { binding: "RULE_EXAMPLE" }, failure_action: "proceed" });
    const versions = (await api.get(`/rules/${r.id}/versions`)).body.data;
    expect(versions.map((v: any) => v.version)).toEqual([2, 1]);
    expect(versions[1]).toMatchObject({ locator: binding, failure_action: "discard" });
    expect((await api.get(`/rules/${r.id}`)).body.data[0].production_version).toBe(2);
  });

  it("keeps at most 50 versions: the 51st promote is refused with 409", async () => {
    const r = await newRule(api, { locator: binding });
    for (let i = 0; i < 50; i++) expect((await api.post(`/rules/${r.id}/promote`)).status).toBe(201);
    const res = await api.post(`/rules/${r.id}/promote`);
    expect(res.status).toBe(409);
    expect(res.body.errors[0].message).toContain("50");
  });
});

describe("Rules API: attachment", () => {
  it("attaches ordered rules to an app platform's All-Outputs stage and to a connection; refuses rules of another workspace", async () => {
    const app = (await api.post("/apps", { name: `Rules app ${crypto.randomUUID().slice(0, 4)}`, platforms: [{ platform: "web" }] })).body.data[0];
    const a = await newRule(api, { locator: binding });
    const b = await newRule(api, { locator: binding });
    const put = await api.put(`/apps/${app.id}/platforms/web/rules`, { rule_ids: [b.id, a.id] });
    expect(put.status).toBe(200);
    expect((await api.get(`/apps/${app.id}/platforms/web/rules`)).body.data[0].rule_ids).toEqual([b.id, a.id]);

    const ws = await newWorkspace("rules other ws");
    const foreign = await newRule(api, { locator: binding, workspace_id: ws });
    const refused = await api.put(`/apps/${app.id}/platforms/web/rules`, { rule_ids: [a.id, foreign.id] });
    expect(refused.status).toBe(400);
    expect(refused.body.errors[0].message).toContain("another workspace");
    expect((await api.put(`/apps/${app.id}/platforms/web/rules`, { rule_ids: [a.id, a.id] })).status).toBe(400);
    expect((await api.put(`/apps/${app.id}/platforms/web/rules`, { rule_ids: [999999] })).status).toBe(400);
    expect((await api.put(`/apps/${app.id}/platforms/web/rules`, { rule_ids: "1" })).status).toBe(400);
    expect((await api.put(`/apps/${app.id}/platforms/ios/rules`, { rule_ids: [] })).status).toBe(404);
    expect((await api.get(`/apps/${app.id}/platforms/web/rules`)).body.data[0].rule_ids).toEqual([b.id, a.id]);

    const { connectionId } = await wiredInput();
    expect((await api.put(`/connections/${connectionId}/rules`, { rule_ids: [a.id] })).body.data[0]).toEqual({ connection_id: connectionId, rule_ids: [a.id] });
    expect((await api.put("/connections/999999/rules", { rule_ids: [] })).status).toBe(404);
    expect((await api.get(`/rules/${a.id}`)).body.data[0].attachments).toHaveLength(2);

    // Deleting a rule detaches it everywhere.
    expect((await api.del(`/rules/${a.id}`)).status).toBe(204);
    expect((await api.get(`/apps/${app.id}/platforms/web/rules`)).body.data[0].rule_ids).toEqual([b.id]);
    expect((await api.get(`/connections/${connectionId}/rules`)).body.data[0].rule_ids).toEqual([]);
  });

  it("refuses to delete a workspace that still has rules", async () => {
    const ws = await newWorkspace("rules ws delete");
    const r = await newRule(api, { locator: binding, workspace_id: ws });
    expect((await api.del(`/workspaces/${ws}`)).status).toBe(409);
    await api.del(`/rules/${r.id}`);
    expect((await api.del(`/workspaces/${ws}`)).status).toBe(204);
  });
});

describe("Rules API: test endpoint", () => {
  const sample = (fixture?: string) => ({ environment: "development", user_identities: { customerid: "c1" }, user_attributes: fixture ? { fixture } : {}, events: [{ event_type: "custom_event", data: { event_name: "Open", custom_event_type: "navigation" } }] });

  it("runs the rule on a sample batch and returns its output and duration, with no metrics, logs or queued data", async () => {
    const r = await newRule(api, { locator: { type: "service_binding", binding: "RULE_EXAMPLE" } });
    const res = await api.post(`/rules/${r.id}/test`, { ...sample(), events: [{ event_type: "custom_event", data: { event_name: "Buy", custom_event_type: "transaction", custom_attributes: { store_id: "S-002" } } }] });
    expect(res.status).toBe(200);
    const out = res.body.data[0];
    expect(out.error).toBeUndefined();
    expect(out.duration_ms).toEqual(expect.any(Number));
    expect(out.output.events[0].data.custom_attributes).toMatchObject({ store_id: "S-002", store_name: "Berlin Mitte", store_region: "EU-Central" });
    expect(out.logs).toEqual(["enriched 1 event(s) with store data"]);
    const dropped = await api.post(`/rules/${r.id}/test`, { ...sample(), user_identities: { email: "qa@internal.example" } });
    expect(dropped.body.data[0].output).toBeNull();
    const metrics = (await api.get(`/rules/${r.id}/metrics`)).body.data[0];
    expect(metrics.invocations).toBe(0);
    expect((await api.get(`/rules/${r.id}/logs`)).body.data).toEqual([]);
  });

  it("reports an error with the failure action's output: proceed returns the batch, discard returns null", async () => {
    const proceed = await newRule(api, { locator: binding, failure_action: "proceed" });
    const res = (await api.post(`/rules/${proceed.id}/test`, sample("error"))).body.data[0];
    expect(res.error).toContain("HTTP 500");
    expect(res.output.user_attributes.fixture).toBe("error");
    const discard = await newRule(api, { locator: binding, failure_action: "discard" });
    const bad = (await api.post(`/rules/${discard.id}/test`, sample("null_event"))).body.data[0];
    expect(bad).toMatchObject({ output: null, error: expect.stringContaining("events[1] is null") });
    const missing = await newRule(api, { locator: { type: "service_binding", binding: "RULE_NOT_DECLARED" }, failure_action: "discard" });
    expect((await api.post(`/rules/${missing.id}/test`, sample())).body.data[0].error).toContain("RULE_NOT_DECLARED is not declared");
  });

  it("refuses a sample that is not a valid batch with 400 and an unknown stage with 400", async () => {
    const r = await newRule(api, { locator: binding });
    for (const body of [[], "x", { events: [null] }, { events: [{ event_type: "nope" }] }]) {
      const res = await api.post(`/rules/${r.id}/test`, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      noServerErrors(res);
    }
    expect((await api.post(`/rules/${r.id}/test?stage=lambda`, sample())).status).toBe(400);
    expect((await api.post(`/rules/${r.id}/test?stage=connection`, sample())).status).toBe(400);
  });
});
