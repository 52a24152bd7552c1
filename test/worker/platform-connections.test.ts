import { describe, expect, it } from "vitest";
import { call, platform, token } from "./helpers/platform";

/** An app with a server platform connected to a webhook output; returns the ids the list should show. */
async function connectedApp(p: ReturnType<typeof platform>, name: string, status = { development: "active", production: "inactive" }) {
  const app = (await p.post("/apps", { name, platforms: [{ platform: "server" }] })).body.data[0];
  const put = await p.put(`/apps/${app.id}/platforms/server/services`, { name: "webhook", account: name, settings: { url: `https://hooks.example.com/${name}` }, status });
  expect(put.status).toBe(200);
  return { workspaceId: app.workspace_id as number, inputId: app.platforms[0].id as number, outputId: put.body.data[0].output_id as number, connectionId: put.body.data[0].connection_id as number };
}

describe("GET /v1/connections", () => {
  it("lists the account's connections in the Platform API envelope, in id order, with their input, output and status", async () => {
    const p = platform(await token());
    const a = await connectedApp(p, "list-a");
    const res = await p.get("/connections");
    expect(res.status).toBe(200);
    expect(res.body.errors).toEqual([]);
    const ids = res.body.data.map((c: any) => c.id);
    expect(ids).toEqual([...ids].sort((x: number, y: number) => x - y));
    // The demo seed's connections 1 and 2 (demo inputs → webhook output 1) are listed too.
    expect(ids).toEqual(expect.arrayContaining([1, 2, a.connectionId]));
    expect(res.body.data.find((c: any) => c.id === a.connectionId)).toMatchObject({
      workspace_id: a.workspaceId,
      input_id: a.inputId,
      output_id: a.outputId,
      output_name: "list-a",
      integration: "webhook",
      status: { development: "active", production: "inactive" },
      is_visible: true,
      consent_rules: [],
    });
    expect(JSON.stringify(res.body)).not.toContain("secret_settings");
  });

  it("filters by workspace, input, output and status, and pages with after_id and limit", async () => {
    const p = platform(await token());
    const on = await connectedApp(p, "filter-on", { development: "active", production: "active" });
    const off = await connectedApp(p, "filter-off", { development: "inactive", production: "inactive" });
    const ids = async (q: string) => ((await p.get(`/connections?${q}`)).body.data as { id: number }[]).map((c) => c.id);

    expect(await ids(`input_id=${on.inputId}`)).toEqual([on.connectionId]);
    expect(await ids(`output_id=${off.outputId}`)).toEqual([off.connectionId]);
    expect(await ids(`workspace_id=${on.workspaceId}`)).toEqual(expect.arrayContaining([on.connectionId, off.connectionId]));
    const active = await ids("status=active");
    expect(active).toContain(on.connectionId);
    expect(active).not.toContain(off.connectionId);
    const inactive = await ids("status=inactive");
    expect(inactive).toContain(off.connectionId);
    expect(inactive).not.toContain(on.connectionId);
    expect(await ids(`input_id=${on.inputId}&status=inactive`)).toEqual([]);

    const first = await ids("limit=1");
    expect(first).toHaveLength(1);
    const next = await ids(`limit=1&after_id=${first[0]}`);
    expect(next).toHaveLength(1);
    expect(next[0]).toBeGreaterThan(first[0]!);
  });

  it("never lists another account's connections, even when its ids are named in the filters", async () => {
    const p = platform(await token());
    const acct = (await p.post("/accounts", { name: "Connections elsewhere" })).body.data[0];
    const other = platform(await token(), acct.id);
    await other.post("/workspaces", { name: "Elsewhere" });
    const theirs = await connectedApp(other, "theirs");
    expect((await other.get("/connections")).body.data.map((c: any) => c.id)).toEqual([theirs.connectionId]);
    const mine = await p.get(`/connections?input_id=${theirs.inputId}`);
    expect(mine.status).toBe(200);
    expect(mine.body.data).toEqual([]);
    expect((await p.get("/connections")).body.data.map((c: any) => c.id)).not.toContain(theirs.connectionId);
  });

  it("refuses bad filters with 400 in the envelope, a missing accountId with 401, and a body over 1 KB with 413", async () => {
    const p = platform(await token());
    for (const q of ["status=paused", "workspace_id=abc", "limit=0", "limit=1001", "output_id=-1"]) {
      const res = await p.get(`/connections?${q}`);
      expect(res.status, q).toBe(400);
      expect(res.body.data).toEqual([]);
      expect(res.body.errors[0].code).toBe("BAD_REQUEST");
    }
    const tok = await token();
    expect((await call("GET", "/v1/connections", undefined, { Authorization: `Bearer ${tok}` })).status).toBe(401);
    const big = await call("GET", "/v1/connections?accountId=1", undefined, { Authorization: `Bearer ${tok}`, "Content-Length": String(4096) });
    // A GET body cannot be sent through fetch; the declared length alone is over the limit.
    expect(big.status).toBe(413);
  });

  it("is described in /openapi.json with its filters", async () => {
    const doc = (await (await call("GET", "/openapi.json")).json()) as any;
    const get = doc.paths["/v1/connections"].get;
    expect(get.parameters.map((x: any) => x.name)).toEqual(expect.arrayContaining(["accountId", "workspace_id", "input_id", "output_id", "status", "after_id", "limit"]));
    expect(get.description).toContain("Body limit");
  });
});
