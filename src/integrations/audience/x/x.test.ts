import { describe, expect, it } from "vitest";
import { sha256HexSync } from "../../../lib/crypto";
import { AUDIENCE, NOW, add, answer, bodyOf, del, fakeContext, member, requestFor } from "../shared/testing";
import { xAudience as x } from "./index";
import { oauth1Header } from "./oauth1";

const MARY = "f1904cf1a9d73a55fa5de0ac823c4403ded71afd4c3248d00bdcd0866552bb79";
const config = x.configSchema.parse({ accountId: "18ce54d4x5t", consumerKey: "ck", consumerSecret: "cs", accessToken: "at", accessTokenSecret: "ats" });
const conn = (o: Record<string, unknown> = {}) => x.connectionSchema.parse(o);
const upload = (changes: Parameters<typeof x.upload>[0]["changes"], connection = conn(), state: Record<string, unknown> = { custom_audience_id: "1nmth" }) =>
  x.upload({ audience: AUDIENCE, config, connection, state, changes, now: NOW }) as Promise<Awaited<ReturnType<typeof x.upload>>>;

describe("x audience: OAuth 1.0a", () => {
  it("signs like X's documented example (HMAC-SHA1 signature hCtSmYh+iHYCEqBWrE7C7hYmtUk=)", async () => {
    const header = await oauth1Header(
      "POST",
      "https://api.twitter.com/1.1/statuses/update.json?include_entities=true",
      { consumerKey: "xvz1evFS4wEEPTGEFPHBog", consumerSecret: "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw", token: "370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb", tokenSecret: "LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE" },
      { nonce: "kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg", timestamp: 1318622958, formParams: { status: "Hello Ladies + Gentlemen, a signed OAuth request!" } },
    );
    expect(header).toContain('oauth_signature="hCtSmYh%2BiHYCEqBWrE7C7hYmtUk%3D"');
    expect(header.startsWith('OAuth oauth_consumer_key="xvz1evFS4wEEPTGEFPHBog", oauth_nonce=')).toBe(true);
  });
});

describe("x audience: upload", () => {
  it("holds changes 6 hours and uploads each action at most once per 6 hours", () => {
    expect(x.cadence).toEqual({ maxWaitSeconds: 21_600, maxPending: 25_000, minIntervalSeconds: 21_600 });
  });

  it("adds users with SHA-256 email, handle (no @, lowercase) and device ids as one Update operation", async () => {
    const m = member("1", { email: "Mary@Example.com", twitter: "@MaryX" }, { ios_advertising_id: "6D92078A-8246-4BA4-AE5B-76104861E7DC" });
    const { requests, skipped } = await upload([add(m)]);
    expect(skipped).toEqual([]);
    const r = requests[0]!;
    expect([r.method, r.url, r.action]).toEqual(["POST", "https://ads-api.x.com/12/accounts/18ce54d4x5t/custom_audiences/1nmth/users", "add"]);
    expect(r.headers.Authorization).toMatch(/^OAuth oauth_consumer_key="ck", oauth_nonce="[0-9a-f]{32}", oauth_signature="[^"]+", oauth_signature_method="HMAC-SHA1", oauth_timestamp="1764000000", oauth_token="at", oauth_version="1.0"$/);
    expect(bodyOf(r)).toEqual([
      { operation_type: "Update", params: { users: [{ email: [MARY], handle: [sha256HexSync("maryx")], device_id: [sha256HexSync("6d92078a-8246-4ba4-ae5b-76104861e7dc")] }] } },
    ]);
  });

  it("removes with a Delete operation and honours the Forward settings", async () => {
    const m = member("1", { email: "mary@example.com", twitter: "maryx" });
    const { requests } = await upload([del(m)], conn({ forwardHandles: false }));
    expect(bodyOf(requests[0]!)).toEqual([{ operation_type: "Delete", params: { users: [{ email: [MARY] }] } }]);
  });

  it("skips users with nothing to match, and everyone before the audience exists", async () => {
    expect((await upload([add(member("1", { customer_id: "c" }))])).skipped).toHaveLength(1);
    const none = await upload([add(member("1", { email: "a@b.c" }))], conn(), {});
    expect(none).toEqual({ requests: [], skipped: [{ mpid: "1", reason: "the X custom audience does not exist yet (connect has not run)" }] });
  });

  it("sends at most 2,500 users per request", async () => {
    const changes = Array.from({ length: 2_501 }, (_, i) => add(member(String(i), { email: `u${i}@x.io` })));
    expect((await upload(changes)).requests.map((r) => r.mpids.length)).toEqual([2_500, 1]);
  });
});

describe("x audience: classify", () => {
  const req = requestFor(["1", "2"]);
  it("accepts an answer whose counts match the users sent, retries one whose counts do not", () => {
    expect(x.classify!(answer(200, { data: { success_count: 2, total_count: 2 } }), req)).toEqual({ kind: "ok" });
    expect(x.classify!(answer(200, { data: { success_count: 1, total_count: 2 } }), req).kind).toBe("retryable");
  });
  it("fails the request on operation_errors", () => {
    expect(x.classify!(answer(200, { data: { success_count: 0, total_count: 2 }, operation_errors: [[{ code: "INVALID" }]] }), req).kind).toBe("permanent");
  });
  it("faults on 401 (auth) and 403 (permission) but retries a timestamp out of bounds (135)", () => {
    expect(x.classify!(answer(401, { errors: [{ code: "UNAUTHORIZED_ACCESS", message: "bad token" }] }), req)).toMatchObject({ kind: "permanent", reason: expect.stringMatching(/^auth:/) });
    expect(x.classify!(answer(403, { errors: [{ code: "UNAUTHORIZED_CLIENT_APPLICATION" }] }), req)).toMatchObject({ reason: expect.stringMatching(/^permission:/) });
    expect(x.classify!(answer(401, { errors: [{ code: 135, message: "Timestamp out of bounds" }] }), req).kind).toBe("retryable");
  });
  it("waits for x-rate-limit-reset on 429 and retries 5xx; other 4xx are permanent", () => {
    const reset = String(Math.floor(Date.now() / 1000) + 90);
    const o = x.classify!(answer(429, "", { "x-rate-limit-reset": reset }), req);
    expect(o.kind === "retryable" && o.retryAfterSeconds! >= 88 && o.retryAfterSeconds! <= 90).toBe(true);
    expect(x.classify!(answer(503, ""), req).kind).toBe("retryable");
    expect(x.classify!(answer(400, { errors: [{ code: "INVALID_PARAMETER" }] }), req).kind).toBe("permanent");
  });
});

describe("x audience: connect and disconnect", () => {
  it("creates one custom audience named after the audience and keeps its id", async () => {
    const { ctx, sent } = fakeContext({ config, connection: conn() }, [answer(200, { data: { id: "1nmth", name: "Possible Parisians" } })]);
    expect(await x.connect!(ctx)).toEqual({ state: { custom_audience_id: "1nmth" } });
    expect(sent[0]!.url).toBe("https://ads-api.x.com/12/accounts/18ce54d4x5t/custom_audiences?name=Possible%20Parisians&description=mParticle%20audience%2013051");
    expect(sent[0]!.headers.Authorization).toMatch(/^OAuth /);
  });
  it("deletes the custom audience when the mParticle audience is deleted, leaves it on disconnect", async () => {
    const del1 = fakeContext({ config, connection: conn(), state: { custom_audience_id: "1nmth" } }, [answer(200, { data: { id: "1nmth", deleted: true } })]);
    expect(await x.disconnect!(del1.ctx, "audience_deleted")).toEqual({ state: {} });
    expect(`${del1.sent[0]!.method} ${del1.sent[0]!.url}`).toBe("DELETE https://ads-api.x.com/12/accounts/18ce54d4x5t/custom_audiences/1nmth");
    const keep = fakeContext({ config, connection: conn(), state: { custom_audience_id: "1nmth" } }, []);
    expect(await x.disconnect!(keep.ctx, "disconnected")).toEqual({ state: { custom_audience_id: "1nmth" } });
    expect(keep.sent).toEqual([]);
  });
  it("faults when the token is refused while connecting", async () => {
    const { ctx } = fakeContext({ config, connection: conn() }, [answer(401, { errors: [{ code: "UNAUTHORIZED_ACCESS" }] })]);
    expect(await x.connect!(ctx)).toMatchObject({ outcome: { kind: "permanent", reason: expect.stringMatching(/^auth:/) } });
  });
});
