import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { call, platform, token } from "./helpers/platform";
import { eventually } from "./helpers/wait";

let api: ReturnType<typeof platform>;
beforeAll(async () => {
  api = platform(await token());
});

const gold = { user_attribute: { type: "string", operator: "equals", attribute_name: "tier", value: "gold" } };
const body = (over: Record<string, unknown> = {}) => ({ name: `A ${crypto.randomUUID().slice(0, 8)}`, workspace_ids: [1], criteria: gold, ...over });

describe("audiences API", () => {
  it("creates, lists, reads, updates and deletes an audience, answering bare audience objects as the seed shows", async () => {
    const created = await api.post("/audiences", body({ external_name: "Gold users", criteria: { and: [gold, { exclude: { consent: { regulation: "ccpa", consented: true } } }] } }));
    expect(created.status).toBe(201);
    const a = created.body;
    expect(a).toMatchObject({ external_name: "Gold users", size: 0, is_calculated: true, added_last_24_hours: 0, dropped_last_24_hours: 0, data_type: "audience", connected_outputs: [], workspace_ids: [1] });
    expect(a.workspaces).toEqual([{ name: "Demo Workspace", id: 1, data_type: "workspace", created_on: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}$/) }]);
    expect(["calculating", "active"]).toContain(a.status);
    expect(Number.isSafeInteger(a.id)).toBe(true);
    // The sweep of workspace 1's profiles ends (every directory shard reports): the audience is active.
    await eventually(async () => expect((await api.get(`/audiences/${a.id}`)).body.status).toBe("active"));

    const list = await api.get("/audiences");
    expect(list.status).toBe(200);
    expect(Array.isArray(list.body)).toBe(true);
    expect(list.body.find((x: any) => x.id === a.id)).toMatchObject({ name: a.name, status: "active" });
    const ws = await api.get("/workspace/1/audiences");
    expect(ws.body.map((x: any) => x.id)).toContain(a.id);

    const put = await api.put(`/audiences/${a.id}`, body({ name: "Renamed", criteria: gold }));
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ id: a.id, name: "Renamed", external_name: "Renamed", is_calculated: false, criteria: gold });

    const del = await api.del(`/audiences/${a.id}`);
    expect(del.status).toBe(202);
    expect((await api.get(`/audiences/${a.id}`)).status).toBe(404);
    expect((await api.get("/audiences")).body.map((x: any) => x.id)).not.toContain(a.id);
  });

  it("lists only single-workspace audiences under /workspace/{id}/audiences", async () => {
    await env.DB.prepare(`INSERT OR IGNORE INTO workspaces (id, account_id, name) VALUES (41, 1, 'Second')`).run();
    const multi = (await api.post("/audiences", body({ workspace_ids: [1, 41] }))).body;
    expect(multi.workspaces.map((w: any) => w.id)).toEqual([1, 41]);
    expect((await api.get("/workspace/1/audiences")).body.map((x: any) => x.id)).not.toContain(multi.id);
    expect((await api.get("/audiences")).body.map((x: any) => x.id)).toContain(multi.id);
    expect((await api.get("/workspace/999/audiences")).status).toBe(404);
  });

  it("answers 400 naming the field for unknown calculated attributes, unknown audiences, depth, leaf count and workspaces", async () => {
    const msg = async (b: unknown) => {
      const r = await api.post("/audiences", b);
      expect(r.status).toBe(400);
      return r.body.errors.map((e: any) => e.message).join(" | ");
    };
    expect(await msg(body({ criteria: { and: [gold, { calculated_attribute: { type: "number", operator: "greater_than", attribute_name: "ltv", value: "10" } }] } }))).toMatch(/^criteria\.and\[1\]\.calculated_attribute\.attribute_name: Unknown calculated attribute "ltv"/);
    expect(await msg(body({ criteria: { audience: { audience_id: 987654, member: true } } }))).toBe("criteria.audience.audience_id: Unknown audience 987654");
    let deep: unknown = gold;
    for (let i = 0; i < 9; i++) deep = { and: [deep] };
    expect(await msg(body({ criteria: deep }))).toMatch(/at most 8 levels/);
    expect(await msg(body({ criteria: { or: Array(101).fill(gold) } }))).toBe("criteria.or[100]: criteria may have at most 100 leaves");
    expect(await msg(body({ criteria: { event: { event_type: "custom_event" }, within: { within: 2, within_unit: "years" } } }))).toMatch(/^criteria\.within\.within_unit/);
    expect(await msg(body({ workspace_ids: [424242] }))).toMatch(/^workspace_ids: workspace 424242 not found/);
    expect(await msg({ workspace_ids: [1], criteria: gold })).toMatch(/^name/);
    expect(await msg("{not json")).toBeTruthy();
  });

  it("refuses a reference cycle and the deletion of an audience another one uses", async () => {
    const a = (await api.post("/audiences", body())).body;
    const b = (await api.post("/audiences", body({ criteria: { audience: { audience_id: a.id, member: true } } }))).body;
    expect(b.id).toBeGreaterThan(a.id);
    const cyc = await api.put(`/audiences/${a.id}`, body({ criteria: { audience: { audience_id: b.id, member: false } } }));
    expect(cyc.status).toBe(400);
    expect(cyc.body.errors[0].message).toBe(`criteria.audience.audience_id: Audience ${b.id} references audience ${a.id}: the references would form a cycle`);
    const del = await api.del(`/audiences/${a.id}`);
    expect(del.status).toBe(409);
    expect(del.body.errors[0].message).toBe(`Audience ${a.id} is used by the criteria of audience ${b.id}.`);
  });

  it("answers 413 for a body over 64 KB and 401 without a token, storing nothing", async () => {
    const before = (await api.get("/audiences")).body.length;
    const big = await api.post("/audiences", body({ name: "x".repeat(70_000) }));
    expect(big.status).toBe(413);
    const anon = await call("POST", "/v1/audiences?accountId=1", body());
    expect(anon.status).toBe(401);
    expect((await api.get("/audiences")).body.length).toBe(before);
  });

  it("appears in /openapi.json with its body limit", async () => {
    const doc = (await (await call("GET", "/openapi.json")).json()) as any;
    expect(doc.paths["/v1/audiences"].post["x-max-body-bytes"]).toBe(65536);
    expect(Object.keys(doc.paths["/v1/audiences/{id}"]).sort()).toEqual(["delete", "get", "put"]);
    expect(doc.paths["/v1/workspace/{wid}/audiences"].get).toBeTruthy();
  });
});
