/**
 * Audience partners end to end: an audience connected to each partner output through the Platform API, a
 * membership change through the audience-changes consumer, and the partner's requests at the local partner
 * origin (PARTNER_API_ORIGIN = http://partner.test) — created objects first, then the upload.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sha256HexSync } from "../../src/lib/crypto";
import { consumeChanges, newAudience, uploader } from "./helpers/audience-outputs";
import { platform, token } from "./helpers/platform";
import { installSink, type Received } from "./helpers/sink";
import { eventually } from "./helpers/wait";

let api: ReturnType<typeof platform>;
let sink: ReturnType<typeof installSink>;
const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

/** Answers like each partner does, by path. */
function partnerAnswer(r: Received): Response {
  const { pathname } = new URL(r.url);
  if (pathname.endsWith("/customaudiences")) return json({ id: `fb-${pathname.split("/")[2]}` });
  if (/^\/v25\.0\/fb-act_\d+$/.test(pathname) && r.method === "DELETE") return json({ success: true });
  if (pathname.includes("/v25.0/") && pathname.endsWith("/users")) return json({ audience_id: "x", num_received: 1, num_invalid_entries: 0 });
  if (/\/v1\/adaccounts\/[^/]+\/segments$/.test(pathname)) {
    const n = r.json().segments.length;
    return json({ request_status: "SUCCESS", segments: Array.from({ length: n }, (_, i) => ({ sub_request_status: "SUCCESS", segment: { id: `snap-${i}` } })) });
  }
  if (pathname.startsWith("/v1/segments/")) return json({ request_status: "SUCCESS" });
  if (/\/12\/accounts\/[^/]+\/custom_audiences$/.test(pathname)) return json({ data: { id: "x-aud" } });
  if (pathname.endsWith("/custom_audiences/x-aud/users")) {
    const users = r.json()[0].params.users.length;
    return json({ data: { success_count: users, total_count: users } });
  }
  if (pathname.endsWith("/customer_lists")) return json({ id: `pin-${r.json().list_type}` });
  if (pathname.includes("/customer_lists/")) return json({ id: "pin", num_uploaded_user_records: 2 });
  if (pathname === "/users/track") return json({ message: "success", attributes_processed: 1 });
  if (pathname === "/s2s/v2/bulkevents") return new Response("", { status: 202 });
  return json({ error: "unexpected" }, 404);
}

beforeAll(async () => {
  sink = installSink(partnerAnswer);
  api = platform(await token());
});
afterAll(() => sink.restore());

const uid = () => String(BigInt.asIntN(64, BigInt(Math.floor(Math.random() * 2 ** 52)) * 4099n));
const account = () => `acct-${crypto.randomUUID().slice(0, 8)}`;

/** Connects the audience to a partner; answers the connection id. */
async function connect(aud: number, name: string, settings: Record<string, unknown>, connectionSettings: Record<string, unknown> = {}): Promise<number> {
  const r = await api.post(`/audiences/${aud}/connections`, { name, account: account(), settings, connectionSettings: { flush_interval_s: 0, ...connectionSettings } });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.data[0].id as number;
}

/** One change of one member through the audience-changes consumer. */
async function change(aud: number, mpid: string, action: "add" | "delete", member: { user_identities?: Record<string, string>; device_identities?: Record<string, string>; user_attributes?: Record<string, unknown>; audience_memberships?: number[] }) {
  const r = await consumeChanges([
    {
      v: 1,
      type: "audience_changes",
      mpid,
      workspace_id: 1,
      member: { user_identities: {}, device_identities: {}, user_attributes: {}, ...member },
      changes: [{ audience_id: aud, action, timestamp_ms: Date.now() }],
    },
  ]);
  expect(r.ackAll).toBe(true);
}

const at = (path: RegExp) => sink.received.filter((r) => path.test(new URL(r.url).pathname));
const MARY = sha256HexSync("mary@example.com");

describe("audience partners end to end", () => {
  it("Facebook: creates the custom audience on connect, uploads hashed emails, deletes it with the mParticle audience", async () => {
    const aud = await newAudience(api);
    const acct = String(Date.now());
    await connect(aud, "facebook", { adAccountId: `act_${acct}`, accessToken: "EAAtoken" }, { customerFileSource: "USER_PROVIDED_ONLY" });
    await change(aud, uid(), "add", { user_identities: { email: "Mary@Example.com" } });
    const [upload] = await eventually(() => {
      const u = at(new RegExp(`^/v25\\.0/fb-act_${acct}/users$`));
      expect(u).toHaveLength(1);
      return u;
    });
    expect(upload!.json()).toEqual({ payload: { schema: "EMAIL_SHA256", data: [MARY] } });
    expect(upload!.headers.authorization).toBe("Bearer EAAtoken");
    expect(at(new RegExp(`^/v25\\.0/act_${acct}/customaudiences$`)).map((r) => r.json().customer_file_source)).toEqual(["USER_PROVIDED_ONLY"]);
    expect((await api.del(`/audiences/${aud}`)).status).toBeLessThan(300);
    await eventually(() => expect(at(new RegExp(`^/v25\\.0/fb-act_${acct}$`)).map((r) => r.method)).toEqual(["DELETE"]));
  });

  it("Facebook: an expired token faults the connection and keeps the change pending until it is resumed", async () => {
    const aud = await newAudience(api);
    const acct = String(Date.now() + 1);
    const usersPath = `/v25.0/fb-act_${acct}/users`;
    sink.respond((r) => (new URL(r.url).pathname === usersPath ? json({ error: { code: 190, message: "Error validating access token" } }, 400) : partnerAnswer(r)));
    try {
      const conn = await connect(aud, "facebook", { adAccountId: acct, accessToken: "expired" }, { customerFileSource: "USER_PROVIDED_ONLY" });
      await change(aud, uid(), "add", { user_identities: { email: "mary@example.com" } });
      await eventually(async () => {
        const c = (await api.get(`/audiences/${aud}/connections`)).body.data.find((x: { id: number }) => x.id === conn);
        expect(c).toMatchObject({ faulted: true, fault: expect.stringMatching(/^auth: Facebook HTTP 400: Graph error 190/) });
      });
      expect((await uploader(conn).status()).pending.add).toBe(1);
      sink.respond(partnerAnswer);
      expect((await api.post(`/connections/${conn}/resume`, {})).status).toBe(202);
      await eventually(async () => expect((await uploader(conn).status()).pending.add).toBe(0));
      expect(at(new RegExp(`^${usersPath.replace(/\./g, "\\.")}$`)).map((r) => r.json().payload.data)).toEqual([[MARY], [MARY]]);
    } finally {
      sink.respond(partnerAnswer);
    }
  });

  it("Snapchat: creates one segment per identity type and uploads SHA-256 emails and device ids", async () => {
    const aud = await newAudience(api);
    await connect(aud, "snapchat", { adAccountId: `snap-acc-${aud}`, accessToken: "snap" });
    await change(aud, uid(), "add", { user_identities: { email: "mary@example.com" }, device_identities: { ios_advertising_id: "6D92078A-8246-4BA4-AE5B-76104861E7DC" } });
    await eventually(() => expect(at(/^\/v1\/segments\/snap-\d\/users$/)).toHaveLength(2));
    const created = at(new RegExp(`^/v1/adaccounts/snap-acc-${aud}/segments$`));
    expect(created[0]!.json().segments.map((s: { name: string }) => s.name)).toEqual([expect.stringMatching(/ \(Email\)$/), expect.stringMatching(/ \(Device Id\)$/)]);
    const bodies = at(/^\/v1\/segments\/snap-0\/users$/).map((r) => r.json());
    expect(bodies).toContainEqual({ users: [{ schema: ["EMAIL_SHA256"], data: [[MARY]] }] });
  });

  it("Snapchat: a member whose second segment upload must be retried stays pending until that segment takes it", async () => {
    const aud = await newAudience(api);
    const acct = `snap-retry-${aud}`;
    let refused = 0;
    sink.respond((r) => {
      const path = new URL(r.url).pathname;
      if (path === `/v1/adaccounts/${acct}/segments`) return json({ request_status: "SUCCESS", segments: [{ segment: { id: `e-${aud}` } }, { segment: { id: `d-${aud}` } }] });
      if (path === `/v1/segments/d-${aud}/users` && refused++ === 0) return json({ request_status: "ERROR", debug_message: "busy" }, 503);
      return partnerAnswer(r);
    });
    try {
      const conn = await connect(aud, "snapchat", { adAccountId: acct, accessToken: "snap" });
      await change(aud, uid(), "add", { user_identities: { email: "mary@example.com" }, device_identities: { android_advertising_id: "38400000-8cf0-11bd-b23e-10b96e40000d" } });
      await eventually(() => expect(at(new RegExp(`^/v1/segments/d-${aud}/users$`)).map((r) => r.status)).toEqual([503, 200]));
      await eventually(async () => expect((await uploader(conn).status()).pending.add).toBe(0));
      const counters = (await api.get(`/connections/${conn}/counters`)).body.data;
      expect(counters.reduce((n: number, c: { adds: number }) => n + c.adds, 0)).toBe(1);
    } finally {
      sink.respond(partnerAnswer);
    }
  });

  it("X: creates the custom audience and uploads an OAuth-signed Update", async () => {
    const aud = await newAudience(api);
    await connect(aud, "twitter", { accountId: `x-${aud}`, consumerKey: "ck", consumerSecret: "cs", accessToken: "at", accessTokenSecret: "ats" });
    await change(aud, uid(), "add", { user_identities: { email: "mary@example.com", twitter: "@Mary" } });
    const users = await eventually(() => {
      const u = at(/\/custom_audiences\/x-aud\/users$/).filter((r) => r.url.includes(`/accounts/x-${aud}/`));
      expect(u).toHaveLength(1);
      return u;
    });
    expect(users[0]!.json()).toEqual([{ operation_type: "Update", params: { users: [{ email: [MARY], handle: [sha256HexSync("mary")] }] } }]);
    expect(users[0]!.headers.authorization).toMatch(/^OAuth oauth_consumer_key="ck", .*oauth_signature_method="HMAC-SHA1"/);
  });

  it("Pinterest: creates the -EMAIL and -MAID lists and PATCHes SHA-1 records", async () => {
    const aud = await newAudience(api);
    const acct = String(Date.now()).slice(-12);
    await connect(aud, "pinterest", { adAccountId: acct, accessToken: "pina" });
    await change(aud, uid(), "add", { user_identities: { email: "mary@example.com" } });
    const patch = await eventually(() => {
      const p = at(new RegExp(`^/v5/ad_accounts/${acct}/customer_lists/pin-EMAIL$`));
      expect(p).toHaveLength(1);
      return p;
    });
    expect(patch[0]!.method).toBe("PATCH");
    expect(patch[0]!.json()).toEqual({ records: "cdc6c0e6d06e5215ce5f732971b281d965d5f6dc", operation_type: "ADD" });
    expect(at(new RegExp(`^/v5/ad_accounts/${acct}/customer_lists$`)).map((r) => r.json().name.split("-").pop())).toEqual(["EMAIL", "MAID"]);
  });

  it("Braze: writes the In <External Name> attribute through /users/track for users with an external id", async () => {
    const aud = await newAudience(api);
    const mpid = uid();
    await connect(aud, "braze", { apiKey: "braze-rest", instance: "US-03", sendSegmentsAs: "per_segment" });
    await change(aud, mpid, "add", { user_identities: { customer_id: `cust-${mpid}` } });
    const track = await eventually(() => {
      const t = at(/^\/users\/track$/).filter((r) => r.body.includes(`cust-${mpid}`));
      expect(t).toHaveLength(1);
      return t;
    });
    const [attrs] = track[0]!.json().attributes;
    expect(attrs.external_id).toBe(`cust-${mpid}`);
    expect(Object.entries(attrs).filter(([k]) => k.startsWith("In "))).toEqual([[expect.any(String), true]]);
    expect(track[0]!.headers.authorization).toBe("Bearer braze-rest");
  });

  it("Braze: the default mode (Single String Attribute) writes SegmentMembership from the memberships the change carries", async () => {
    const aud = await newAudience(api);
    const mpid = uid();
    await connect(aud, "braze", { apiKey: "braze-rest", instance: "US-03" });
    await change(aud, mpid, "add", { user_identities: { customer_id: `cust-${mpid}` }, audience_memberships: [3, aud] });
    const track = await eventually(() => {
      const t = at(/^\/users\/track$/).filter((r) => r.body.includes(`cust-${mpid}`));
      expect(t).toHaveLength(1);
      return t;
    });
    const [attrs] = track[0]!.json().attributes;
    expect(attrs).toMatchObject({ external_id: `cust-${mpid}`, SegmentMembership: `'${aud}','3'` });
  });

  it("Rokt: sends an audiencemembershipupdate add, then a drop", async () => {
    const aud = await newAudience(api);
    const mpid = uid();
    await connect(aud, "rokt", { accountId: "3172193483", publicKey: "rpub-1", secretKey: "rsec-1", emailEncoding: "sha256" });
    await change(aud, mpid, "add", { user_identities: { email: "mary@example.com" } });
    const mine = () => at(/^\/s2s\/v2\/bulkevents$/).flatMap((r) => r.json()).filter((b: { user_attributes: { mpid: string } }) => b.user_attributes.mpid === mpid);
    await eventually(() => expect(mine()).toHaveLength(1));
    await change(aud, mpid, "delete", { user_identities: { email: "mary@example.com" } });
    await eventually(() => expect(mine().map((b: any) => b.events[0].data.custom_attributes.status)).toEqual(["add", "drop"]));
    expect(mine()[0].user_identities).toEqual({ other: MARY });
  });
});
