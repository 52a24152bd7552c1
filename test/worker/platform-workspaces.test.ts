import { describe, expect, it } from "vitest";
import { platform, token } from "./helpers/platform";

describe("accounts and workspaces", () => {
  it("lists, creates, reads, updates and deletes workspaces in the account", async () => {
    const p = platform(await token());
    const list = await p.get("/workspace");
    expect(list.status).toBe(200);
    expect(list.body.errors).toEqual([]);
    expect(list.body.data.map((w: any) => w.id)).toContain(1);

    // Settings are strict (issue 17): a key the workspace does not have is refused by name.
    const unknown = await p.post("/workspaces", { name: "Staging", settings: { region: "eu" } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors[0].message).toMatch(/region/);
    const created = await p.post("/workspaces", { name: "Staging", settings: { identity: { scope: "workspace" } } });
    expect(created.status).toBe(201);
    const ws = created.body.data[0];
    expect(ws).toMatchObject({ name: "Staging", account_id: 1, settings: { identity: { scope: "workspace" } } });

    expect((await p.get(`/workspaces/${ws.id}`)).body.data[0].name).toBe("Staging");
    const upd = await p.put(`/workspaces/${ws.id}`, { name: "Staging 2" });
    expect(upd.body.data[0]).toMatchObject({ name: "Staging 2", settings: { identity: { scope: "workspace" } } });
    expect((await p.put(`/workspaces/${ws.id}`, { name: "" })).status).toBe(400);
    // DSR credentials issued for the workspace go with it.
    expect((await p.post(`/workspaces/${ws.id}/credentials`, {})).status).toBe(201);
    expect((await p.del(`/workspaces/${ws.id}`)).status).toBe(204);
    expect((await p.get(`/workspaces/${ws.id}`)).status).toBe(404);
  });

  it("refuses to delete a workspace that still has inputs (409)", async () => {
    const p = platform(await token());
    expect((await p.del("/workspaces/1")).status).toBe(409);
  });

  it("scopes workspaces to the account: another account's workspace is 404", async () => {
    const p = platform(await token());
    const acct = await p.post("/accounts", { name: "Second account" });
    expect(acct.status).toBe(201);
    const other = platform(await token(), acct.body.data[0].id);
    const ws = (await other.post("/workspaces", { name: "Other" })).body.data[0];
    expect((await other.get(`/workspaces/${ws.id}`)).status).toBe(200);
    expect((await p.get(`/workspaces/${ws.id}`)).status).toBe(404);
    expect((await p.put(`/workspaces/${ws.id}`, { name: "hijack" })).status).toBe(404);
    expect((await p.del(`/workspaces/${ws.id}`)).status).toBe(404);
    expect((await p.get("/workspaces")).body.data.map((w: any) => w.id)).not.toContain(ws.id);
  });

  it("reads, renames and deletes accounts of the organization", async () => {
    const p = platform(await token());
    const id = (await p.post("/accounts", { name: "Temp" })).body.data[0].id;
    expect((await p.get("/accounts")).body.data.map((a: any) => a.id)).toEqual(expect.arrayContaining([1, id]));
    expect((await p.put(`/accounts/${id}`, { name: "Temp 2" })).body.data[0].name).toBe("Temp 2");
    expect((await p.get(`/accounts/${id}`)).body.data[0].name).toBe("Temp 2");
    expect((await p.del(`/accounts/${id}`)).status).toBe(204);
    expect((await p.get(`/accounts/${id}`)).status).toBe(404);
    expect((await p.del("/accounts/1")).status).toBe(409);
  });
});
