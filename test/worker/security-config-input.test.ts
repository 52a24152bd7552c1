import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { platform, token } from "./helpers/platform";

let p: ReturnType<typeof platform>;
beforeAll(async () => {
  p = platform(await token());
});

const count = async (table: string) => (await env.DB.prepare(`SELECT COUNT(*) AS n FROM ${table}`).first<{ n: number }>())!.n;
const messages = (res: { body: any }) => (res.body.errors as { message: string }[]).map((e) => e.message).join(" | ");

describe("strict configuration bodies (issue 17, finding 6)", () => {
  it("refuses unknown workspace settings, top-level and nested, naming the key, and stores nothing", async () => {
    const before = await count("workspaces");
    const top = await p.post("/workspaces", { name: "Strict", settings: { region: "eu" } });
    expect(top.status).toBe(400);
    expect(messages(top)).toMatch(/settings.*region/);
    const nested = await p.post("/workspaces", { name: "Strict", settings: { identity: { strategy: "profile_conversion", colour: "blue" } } });
    expect(nested.status).toBe(400);
    expect(messages(nested)).toMatch(/settings\.identity.*colour/);
    const privacy = await p.post("/workspaces", { name: "Strict", settings: { privacy: { regulations: { gdpr: true, hipaa: true } } } });
    expect(privacy.status).toBe(400);
    expect(messages(privacy)).toMatch(/hipaa/);
    expect(await count("workspaces")).toBe(before);
    // The keys that exist are accepted.
    const ok = await p.post("/workspaces", { name: "Typed", settings: { identity: { scope: "workspace" }, privacy: { regulations: { ccpa: true } }, dataPlans: {} } });
    expect(ok.status).toBe(201);
    expect(ok.body.data[0].settings.identity).toEqual({ scope: "workspace" });
  });

  it("refuses unknown keys of configuration bodies naming the key", async () => {
    const cases: [string, string, unknown, RegExp][] = [
      ["post", "/apps", { name: "A", platforms: [], owner: "x" }, /owner/],
      ["post", "/apps", { name: "A", platforms: [{ platform: "web", colour: "red" }] }, /platforms\.0.*colour/],
      ["post", "/accounts", { name: "A", plan: "gold" }, /plan/],
      ["post", "/apiclients", { name: "A", scopes: ["all"] }, /scopes/],
      ["post", "/workspace/1/partnerfeeds", { name: "F", secret: "x" }, /secret/],
    ];
    for (const [method, path, body, re] of cases) {
      const res = method === "post" ? await p.post(path, body) : await p.put(path, body);
      expect(res.status, `${method} ${path}`).toBe(400);
      expect(messages(res), `${method} ${path}`).toMatch(re);
    }
    const app = (await p.post("/apps", { name: "Strict app", platforms: [{ platform: "server" }, { platform: "web" }] })).body.data[0];
    const svc = await p.put(`/apps/${app.id}/platforms/server/services`, { name: "webhook", settings: { url: "https://hooks.example.com/x", urll: "typo" } });
    expect(svc.status).toBe(400);
    expect(messages(svc)).toMatch(/settings.*urll/);
    const inputSettings = await p.put(`/apps/${app.id}/platforms/web`, { settings: { allowedOrigins: ["https://shop.example"], secretSealed: "forged" } });
    expect(inputSettings.status).toBe(400);
    expect(messages(inputSettings)).toMatch(/secretSealed/);
  });

  it("accepts the fields mParticle's clients send back (ids and read-only fields of the GET answer are ignored)", async () => {
    const app = (await p.post("/apps", { name: "Round trip", platforms: [{ platform: "ios" }] })).body.data[0];
    const res = await p.put(`/apps/${app.id}`, { id: app.id, name: "Round trip 2" });
    expect(res.status).toBe(200);
    expect(res.body.data[0].name).toBe("Round trip 2");
  });

  it("refuses names with control or bidirectional-override characters", async () => {
    for (const name of ["evil\u0000name", "invoice\u202Etxt.exe", "tab\tname", "line\nbreak", "iso\u2066late"]) {
      for (const [path, body] of [
        ["/apps", { name }],
        ["/accounts", { name }],
        ["/workspaces", { name }],
        ["/apiclients", { name }],
        ["/workspace/1/partnerfeeds", { name }],
      ] as const) {
        const res = await p.post(path, body);
        expect(res.status, `${path} ${JSON.stringify(name)}`).toBe(400);
        expect(messages(res)).toMatch(/name: .*control/);
      }
    }
    const plan = await p.post("/workspaces", { name: "Plans", settings: { dataPlans: { shop: { data_plan_name: "shop\u202Eplan", versions: {} } } } });
    expect(plan.status).toBe(400);
    expect(messages(plan)).toMatch(/data_plan_name.*control/);
  });

  it("refuses configuration nested deeper than 32 levels, naming where", async () => {
    let deep: unknown = 1;
    for (let i = 0; i < 40; i++) deep = { d: deep };
    const before = await count("workspaces");
    const res = await p.post("/workspaces", { name: "Deep", settings: { dataPlans: { plan: { versions: { "1": { version_document: { data_points: [{ match: { type: "unknown" }, validator: { type: "json_schema", definition: deep } }] } } } } } } });
    expect(res.status).toBe(400);
    expect(messages(res)).toMatch(/nested deeper than 32/i);
    expect(await count("workspaces")).toBe(before);
  });
});
