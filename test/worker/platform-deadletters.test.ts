import { afterEach, describe, expect, it } from "vitest";
import { basic, batch, post } from "./helpers/requests";
import { installSink } from "./helpers/sink";
import { eventually } from "./helpers/wait";
import { platform, token } from "./helpers/platform";

let sink: ReturnType<typeof installSink> | undefined;
afterEach(() => sink?.restore());

/** An app platform with a webhook output at `path`; returns its key and connection id. */
async function connected(p: ReturnType<typeof platform>, path: string) {
  const app = (await p.post("/apps", { name: path, platforms: [{ platform: "server" }] })).body.data[0];
  const svc = (await p.put(`/apps/${app.id}/platforms/server/services`, { name: "webhook", settings: { url: `https://hooks.example.com${path}` } })).body.data[0];
  return { key: app.platforms[0].access_keys[0], connectionId: svc.connection_id as number, workspaceId: app.workspace_id as number };
}

describe("dead letters", () => {
  it("lists by connection and time, inspects, replays one (a failing replay comes back), and discards", async () => {
    let refuse = true;
    sink = installSink((r) => (r.url.endsWith("/dl") && refuse ? new Response('{"error":"bad field"}', { status: 400 }) : new Response("ok")));
    const p = platform(await token());
    const { key, connectionId, workspaceId } = await connected(p, "/dl");
    const start = Date.now();
    for (let i = 0; i < 2; i++) expect((await post("/v2/events", batch(), { Authorization: basic(key.key, key.secret) })).status).toBe(202);

    const list = await eventually(async () => {
      const res = await p.get(`/deadletters?connection_id=${connectionId}`);
      expect(res.body.data).toHaveLength(2);
      return res.body.data;
    });
    expect(list[0]).toMatchObject({ reason: "permanent", status_code: 400, events: 1, replayed_at: null });
    expect((await p.get(`/deadletters?connection_id=${connectionId}&from=${Date.now() + 60_000}`)).body.data).toHaveLength(0);
    expect((await p.get(`/deadletters?connection_id=${connectionId}&from=${new Date(start - 1000).toISOString()}`)).body.data).toHaveLength(2);
    expect((await p.get(`/deadletters?workspace_id=${workspaceId}&limit=1`)).body.data).toHaveLength(1);
    expect((await p.get("/deadletters?limit=0")).status).toBe(400);

    const one = (await p.get(`/deadletters/${list[0].id}`)).body.data[0];
    expect(one.response).toContain("bad field");
    expect(one.payload).toMatchObject({ connectionId, type: "forward" });

    // Still refused: the replayed job becomes a new dead letter that points at the first.
    const r1 = await p.post(`/deadletters/${list[0].id}/replay`);
    expect(r1.status).toBe(202);
    const again = await eventually(async () => {
      const rows = (await p.get(`/deadletters?connection_id=${connectionId}&status=pending`)).body.data;
      const back = rows.find((d: any) => d.replay_of === list[0].id);
      expect(back).toBeTruthy();
      return back;
    });
    expect((await p.get(`/deadletters?connection_id=${connectionId}&status=replayed`)).body.data.map((d: any) => d.id)).toEqual([list[0].id]);

    refuse = false;
    expect((await p.post(`/deadletters/${again.id}/replay`)).status).toBe(202);
    await eventually(() => expect(sink!.accepted().filter((r) => r.url.endsWith("/dl"))).toHaveLength(1));

    expect((await p.del(`/deadletters/${list[1].id}`)).status).toBe(204);
    expect((await p.get(`/deadletters/${list[1].id}`)).status).toBe(404);
    expect((await p.get(`/deadletters?connection_id=${connectionId}&status=pending`)).body.data).toHaveLength(0);

    const alerts = (await p.get(`/workspaces/${workspaceId}/alerts`)).body.data;
    expect(alerts.some((a: any) => a.connection_id === connectionId && a.status_code === 400)).toBe(true);
    const counters = (await p.get(`/connections/${connectionId}/counters`)).body.data;
    expect(counters[0]).toMatchObject({ errors: { permanent: expect.any(Number) } });
    expect(counters.reduce((n: number, r: any) => n + r.errors.permanent, 0)).toBeGreaterThanOrEqual(3);
  });

  it("hides another account's dead letters, connections and alerts (404)", async () => {
    sink = installSink((r) => (r.url.endsWith("/dl2") ? new Response("no", { status: 400 }) : new Response("ok")));
    const p = platform(await token());
    const { key, connectionId } = await connected(p, "/dl2");
    await post("/v2/events", batch(), { Authorization: basic(key.key, key.secret) });
    const dl = await eventually(async () => {
      const rows = (await p.get(`/deadletters?connection_id=${connectionId}`)).body.data;
      expect(rows).toHaveLength(1);
      return rows[0];
    });
    const acct = (await p.post("/accounts", { name: "Nosy" })).body.data[0].id;
    const other = platform(await token(), acct);
    expect((await other.get(`/deadletters/${dl.id}`)).status).toBe(404);
    expect((await other.post(`/deadletters/${dl.id}/replay`)).status).toBe(404);
    expect((await other.del(`/deadletters/${dl.id}`)).status).toBe(404);
    expect((await other.get(`/deadletters?connection_id=${connectionId}`)).body.data).toEqual([]);
    expect((await other.get(`/connections/${connectionId}/counters`)).status).toBe(404);
    expect((await other.get(`/connections/${connectionId}/alerts`)).status).toBe(404);
    expect((await other.post(`/connections/${connectionId}/deadletters/replay`)).status).toBe(404);
  });
});
