import { env, exports } from "cloudflare:workers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { invalidateConfig } from "../../src/db/config-cache";
import { hashSecret } from "../../src/lib/crypto";
import { basic, batch, post } from "./helpers/requests";
import { installSink } from "./helpers/sink";
import { eventually, forCustomer } from "./helpers/wait";

let sink: ReturnType<typeof installSink>;
let token: string;
beforeAll(async () => {
  sink = installSink();
  const res = await exports.default.fetch("http://edge-cdp.test/oauth/token", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ client_id: "demo-client-id", client_secret: "demo-client-secret", audience: "https://api.mparticle.com", grant_type: "client_credentials" }),
  });
  token = ((await res.json()) as { access_token: string }).access_token;
  // A partner feed input (lower source priority) and two protected inputs of workspace 1, and a workspace 2 with immutable customer ids.
  const h = await hashSecret("feed-secret");
  await env.DB.batch([
    env.DB.prepare(`INSERT INTO inputs (id, workspace_id, kind, platform, name, api_key, secret_hash, settings) VALUES (101, 1, 'feed', 'server', 'partner feed', 'feed-key', ?, '{"partner":"acme"}')`).bind(h),
    env.DB.prepare(`INSERT INTO inputs (id, workspace_id, kind, platform, name, api_key, secret_hash, settings) VALUES (102, 1, 'feed', 'server', 'update only', 'upd-key', ?, '{"protectionLevel":"update_only"}')`).bind(h),
    env.DB.prepare(`INSERT INTO inputs (id, workspace_id, kind, platform, name, api_key, secret_hash, settings) VALUES (103, 1, 'feed', 'server', 'read only', 'ro-key', ?, '{"protectionLevel":"read_only"}')`).bind(h),
    env.DB.prepare(`INSERT INTO workspaces (id, account_id, name, settings) VALUES (2, 1, 'Immutable', '{"identity":{"immutableIds":["customerid"]}}')`),
    env.DB.prepare(`INSERT INTO inputs (id, workspace_id, kind, platform, name, api_key, secret_hash) VALUES (104, 2, 'platform', 'server', 'ws2', 'ws2-key', ?)`).bind(h),
    ...[102, 103].map((i) => env.DB.prepare(`INSERT INTO connections (input_id, output_id, status_development, status_production) VALUES (?, 1, 'active', 'active')`).bind(i)),
  ]);
  invalidateConfig();
});
afterAll(() => sink.restore());

const api = (path: string, init: RequestInit = {}, bearer: string | null = token) =>
  exports.default.fetch(`http://edge-cdp.test/userprofile/v1${path}`, { ...init, headers: { ...(bearer ? { Authorization: `Bearer ${bearer}` } : {}), "Content-Type": "application/json" } });

async function sendAndWait(b: Record<string, any>, key = "demo-server-key", secret = "demo-server-secret") {
  expect((await post("/v2/events", b, { Authorization: basic(key, secret) })).status).toBe(202);
}

const ev = (ts: number) => [{ event_type: "custom_event", data: { event_name: "e", custom_event_type: "other", timestamp_unixtime_ms: ts, source_message_id: crypto.randomUUID() } }];

describe("Profile API", () => {
  it("returns identities, devices and attributes after batches from two inputs, with last write wins and source priority", async () => {
    const cust = `p-${crypto.randomUUID()}`;
    const t = Date.now() - 60_000;
    const das = crypto.randomUUID();
    await sendAndWait(batch({ user_identities: { customerid: cust, email: `${cust}@x.com` }, mp_deviceid: das, device_info: { ios_advertising_id: "idfa-1" }, user_attributes: { tier: "gold", city: "Paris" }, events: ev(t) }));
    const [first] = await eventually(() => {
      const g = forCustomer(sink.received, cust);
      expect(g).toHaveLength(1);
      return g;
    });
    const mpid = first.mpid as string;
    // A partner feed, later in time: cannot overwrite `tier` (set by a platform input), but adds `hobby`.
    await sendAndWait(batch({ user_identities: { customerid: cust }, user_attributes: { tier: "silver", hobby: "chess" }, events: ev(t + 10_000) }), "feed-key", "feed-secret");
    // The platform input again, with older data: `city` keeps the newer value.
    await sendAndWait(batch({ user_identities: { customerid: cust }, user_attributes: { city: "Lyon" }, events: ev(t - 10_000) }));
    await eventually(async () => {
      const res = await api(`/1/1/1/${mpid}?fields=user_identities,device_identities,user_attributes,audience_memberships`);
      expect(res.status).toBe(200);
      const text = await res.text();
      expect(text).toContain(`"mpid":${mpid},`);
      const body = JSON.parse(text);
      expect(body.user_attributes).toEqual({ tier: "gold", city: "Paris", hobby: "chess" });
      expect(body.user_identities).toEqual(expect.arrayContaining([{ type: "customer_id", encoding: "none", value: cust }, { type: "email", encoding: "none", value: `${cust}@x.com` }]));
      expect(body.device_identities).toEqual(expect.arrayContaining([{ type: "ios_advertising_id", encoding: "none", value: "idfa-1" }, { type: "mp_device_application_stamp", encoding: "none", value: das }]));
      expect(body.audience_memberships).toEqual([]);
      expect(body.created_timestamp_ms).toBeGreaterThan(0);
    });
    // Only the requested sections.
    const only = (await (await api(`/1/1/1/${mpid}?fields=user_attributes`)).json()) as Record<string, unknown>;
    expect(only.user_identities).toBeUndefined();
    // Support search by any identity value.
    const found = (await (await api(`/search/1/1/1?value=${encodeURIComponent(`${cust}@x.com`)}`)).json()) as { users: { mpid: string }[] };
    expect(found.users.map((u) => u.mpid)).toEqual([mpid]);
    const typed = (await (await api(`/search/1/1/1?type=customer_id&value=${cust}`)).json()) as { users: { mpid: string }[] };
    expect(typed.users.map((u) => u.mpid)).toEqual([mpid]);
  });

  it("answers 404 for an unknown MPID, 400 without fields, 401 without a token, 403 for another organization's path", async () => {
    expect((await api("/1/1/1/123456789?fields=user_attributes")).status).toBe(404);
    expect((await api("/1/1/1/123456789")).status).toBe(400);
    expect((await api("/1/1/1/123456789?fields=user_attributes", {}, null)).status).toBe(401);
    expect((await api("/2/1/1/123456789?fields=user_attributes")).status).toBe(403);
    expect((await api("/1/1/999/123456789?fields=user_attributes")).status).toBe(404);
    // The workspace exists, but not in that account (the path is checked in one joined query).
    const wrongAccount = await api("/1/999/1/123456789?fields=user_attributes");
    expect(wrongAccount.status).toBe(404);
    expect(JSON.stringify(await wrongAccount.json())).toContain("Workspace 1 not found in account 999.");
  });

  it("resolves a profile by an immutable id of the workspace", async () => {
    const cust = `imm-${crypto.randomUUID()}`;
    await sendAndWait(batch({ user_identities: { customerid: cust }, user_attributes: { vip: "yes" } }), "ws2-key", "feed-secret");
    await eventually(async () => {
      const res = await api(`/resolve/1/1/2?fields=user_attributes,user_identities`, { method: "POST", body: JSON.stringify({ environment_type: "production", identity: { type: "customer_id", value: cust } }) });
      expect(res.status).toBe(200);
      expect(((await res.json()) as { user_attributes: unknown }).user_attributes).toEqual({ vip: "yes" });
    });
    const notImmutable = await api(`/resolve/1/1/2?fields=user_attributes`, { method: "POST", body: JSON.stringify({ identity: { type: "email", value: "a@b.c" } }) });
    expect(notImmutable.status).toBe(400);
    const unknown = await api(`/resolve/1/1/2?fields=user_attributes`, { method: "POST", body: JSON.stringify({ identity: { type: "customer_id", value: "nobody" } }) });
    expect(unknown.status).toBe(404);
  });
});

describe("input protection levels", () => {
  it("Only Update drops and counts unknown users, and updates known ones", async () => {
    const unknown = batch();
    await sendAndWait(unknown, "upd-key", "feed-secret");
    const known = `known-${crypto.randomUUID()}`;
    await sendAndWait(batch({ user_identities: { customerid: known } }));
    await eventually(() => expect(forCustomer(sink.received, known)).toHaveLength(1));
    await sendAndWait(batch({ user_identities: { customerid: known }, user_attributes: { via: "update-only" } }), "upd-key", "feed-secret");
    await eventually(() => expect(forCustomer(sink.received, known).some((b) => b.user_attributes.via === "update-only")).toBe(true));
    await eventually(async () => {
      const row = await env.DB.prepare("SELECT SUM(unknown_users_dropped) AS n FROM input_counters WHERE input_id = 102").first<{ n: number }>();
      expect(row!.n).toBe(1);
    });
    expect(forCustomer(sink.received, unknown.user_identities.customerid)).toHaveLength(0);
  });

  it("Only Read forwards events but leaves profiles and identity records untouched", async () => {
    const cust = `ro-${crypto.randomUUID()}`;
    await sendAndWait(batch({ user_identities: { customerid: cust }, user_attributes: { tier: "gold" } }));
    const [first] = await eventually(() => {
      const g = forCustomer(sink.received, cust);
      expect(g).toHaveLength(1);
      return g;
    });
    await sendAndWait(batch({ user_identities: { customerid: cust, email: "new@x.com" }, user_attributes: { tier: "bronze" } }), "ro-key", "feed-secret");
    const got = await eventually(() => {
      const g = forCustomer(sink.received, cust);
      expect(g).toHaveLength(2);
      return g;
    });
    expect(got[1].mpid).toBe("0");
    const p = (await (await api(`/1/1/1/${first.mpid}?fields=user_attributes,user_identities`)).json()) as { user_attributes: unknown; user_identities: { type: string }[] };
    expect(p.user_attributes).toEqual({ tier: "gold" });
    expect(p.user_identities.map((i) => i.type)).not.toContain("email");
  });
});
