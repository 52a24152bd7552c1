import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { createDb } from "../../src/db";
import { createApiClient } from "../../src/db/queries/api-clients";
import { accounts, organizations } from "../../src/db/schema";
import { basic, batch, post } from "./helpers/requests";
import { installSink } from "./helpers/sink";
import { eventually } from "./helpers/wait";
import { platform, token } from "./helpers/platform";

let sink: ReturnType<typeof installSink> | undefined;
afterEach(() => sink?.restore());

const ids = (bs: any[]) => bs.flatMap((b) => b.events.map((e: any) => e.data.source_message_id as string));

describe("Platform API end to end", () => {
  it("configures a new account over the API, delivers, dead-letters during an outage, and replays every event", async () => {
    // Bootstrap (the only rows written directly): an organization, its account and an API client.
    const db = createDb(env.DB);
    const [org] = await db.insert(organizations).values({ name: "E2E org" }).returning();
    const [acct] = await db.insert(accounts).values({ organizationId: org!.id, name: "E2E account" }).returning();
    const client = await createApiClient(db, org!.id, "e2e");

    const p = platform(await token(client.clientId, client.clientSecret), acct!.id);
    expect((await p.get("/workspaces")).body.data).toEqual([]);
    const ws = (await p.post("/workspaces", { name: "E2E" })).body.data[0];
    const app = (await p.post("/apps", { name: "E2E app", workspace_id: ws.id, platforms: [{ platform: "server" }] })).body.data[0];
    const key = app.platforms[0].access_keys[0];
    const svc = await p.put(`/apps/${app.id}/platforms/server/services`, { name: "webhook", settings: { url: "https://hooks.example.com/e2e" } });
    expect(svc.status).toBe(200);
    const connectionId = svc.body.data[0].connection_id;

    let broken = false;
    sink = installSink((r) => (r.url.endsWith("/e2e") && broken ? new Response("sink down", { status: 500 }) : new Response("ok")));
    const mine = () => sink!.accepted().filter((r) => r.url.endsWith("/e2e"));
    const delivered = () => new Set(ids(mine().map((r) => r.json())));
    const send = async (bs: any[]) => {
      for (const b of bs) expect((await post("/v2/events", b, { Authorization: basic(key.key, key.secret) })).status).toBe(202);
    };

    const before = Array.from({ length: 3 }, () => batch({}, 2));
    await send(before);
    await eventually(() => expect(delivered().size).toBe(6));

    broken = true;
    const during = Array.from({ length: 4 }, () => batch({}, 3));
    await send(during);
    const dead = await eventually(async () => {
      const res = await p.get(`/deadletters?connection_id=${connectionId}&status=pending`);
      expect(res.body.data).toHaveLength(4);
      return res.body.data;
    }, 40_000);
    expect(dead[0]).toMatchObject({ reason: "exhausted", status_code: 500, connection_id: connectionId });
    const inspected = (await p.get(`/deadletters/${dead[0].id}`)).body.data[0];
    expect(inspected.response).toContain("sink down");
    expect(inspected.payload.batch.events.length).toBe(3);

    broken = false;
    const replay = await p.post(`/connections/${connectionId}/deadletters/replay`);
    expect(replay.status).toBe(202);
    expect(replay.body.data[0]).toMatchObject({ replayed: 4, remaining: false });

    const all = new Set(ids([...before, ...during]));
    await eventually(() => {
      const got = delivered();
      for (const id of all) expect(got.has(id)).toBe(true);
    }, 30_000);
    expect((await p.get(`/deadletters?connection_id=${connectionId}&status=pending`)).body.data).toHaveLength(0);

    const counters = (await p.get(`/connections/${connectionId}/counters`)).body.data;
    const sum = (k: string) => counters.reduce((n: number, r: any) => n + (r[k] ?? 0), 0);
    expect(sum("dead_lettered")).toBe(4);
    expect(sum("inbound_events")).toBe(18);
    const alerts = (await p.get(`/connections/${connectionId}/alerts`)).body.data;
    expect(alerts.length).toBeGreaterThan(0);
    expect(alerts[0].response).toContain("sink down");
    console.log(JSON.stringify({ platform_e2e: { events_sent: all.size, events_delivered: delivered().size, dead_letters: dead.length, replayed: replay.body.data[0].replayed } }));
  });
});
