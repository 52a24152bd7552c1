import { describe, expect, it } from "vitest";
import { hmacSha256Hex } from "../../../lib/crypto";
import { AUDIENCE, add, bodyOf, del, member } from "../shared/testing";
import { facebookAudience as fb } from "./index";

// Meta's hash check values (META-CFCA, audience-outputs.md §1.3).
const MARY = "f1904cf1a9d73a55fa5de0ac823c4403ded71afd4c3248d00bdcd0866552bb79";
const PHONE = "1ef970831d7963307784fa8688e8fce101a15685d62aa765fed23f3a2c576a4e";

const config = fb.configSchema.parse({ adAccountId: "act_1234567890", accessToken: "EAAtoken" });
const conn = (o: Record<string, unknown> = {}) => fb.connectionSchema.parse({ customerFileSource: "USER_PROVIDED_ONLY", ...o });
const state = { custom_audiences: { email: "2381", phone: "2382", fbid: "2383", madid: "2384", multikey: "2385" } };
const upload = (connection: ReturnType<typeof conn>, changes: Parameters<typeof fb.upload>[0]["changes"], cfg = config) =>
  fb.upload({ audience: AUDIENCE, config: cfg, connection, state, changes, now: 0 }) as Promise<Awaited<ReturnType<typeof fb.upload>>>;

describe("facebook audience: settings", () => {
  it("requires the customer file source, the app id for Facebook IDs and the value attribute for value based audiences", () => {
    expect(fb.connectionSchema.safeParse({}).success).toBe(false);
    expect(fb.connectionSchema.safeParse({ customerFileSource: "USER_PROVIDED_ONLY", identities: ["facebook_id"] }).success).toBe(false);
    expect(fb.connectionSchema.safeParse({ customerFileSource: "USER_PROVIDED_ONLY", isValueBased: true }).success).toBe(false);
    expect(config.adAccountId).toBe("1234567890");
  });

  it("uploads after 3 hours or 75,000 pending changes, 10,000 rows per upload", () => {
    expect(fb.cadence).toEqual({ maxWaitSeconds: 10_800, maxPending: 75_000 });
    expect(fb.maxRowsPerUpload).toBe(10_000);
  });
});

describe("facebook audience: upload", () => {
  it("adds normalised, SHA-256 hashed emails (Meta's check value for Mary@Example.com) with POST /{id}/users", async () => {
    const { requests, skipped } = await upload(conn(), [add(member("1", { email: "  Mary@Example.com " })), add(member("2", { customer_id: "c2" }))]);
    expect(requests).toHaveLength(1);
    const r = requests[0]!;
    expect(r.method).toBe("POST");
    expect(r.url).toBe("https://graph.facebook.com/v25.0/2381/users");
    expect(r.headers.Authorization).toBe("Bearer EAAtoken");
    expect(bodyOf(r)).toEqual({ payload: { schema: "EMAIL_SHA256", data: [MARY] } });
    expect(r.mpids).toEqual(["1"]);
    expect(r.action).toBe("add");
    expect(skipped).toEqual([{ mpid: "2", reason: "no identity Facebook can match (email)" }]);
  });

  it("removes with DELETE /{id}/users and the same payload", async () => {
    const { requests } = await upload(conn(), [del(member("1", { email: "mary@example.com" }))]);
    expect(requests.map((r) => [r.method, r.action])).toEqual([["DELETE", "delete"]]);
    expect(bodyOf(requests[0]!)).toEqual({ payload: { schema: "EMAIL_SHA256", data: [MARY] } });
  });

  it("hashes phones as digits without symbols or leading zeros (Meta's check value) from every phone the user has", async () => {
    const m = member("1", { mobile_number: "+1 (555) 987-6543", phone_number_2: "0015559876543" }, {}, { $mobile: "44 20 7946 0958" });
    const { requests } = await upload(conn({ identities: ["phone"] }), [add(m)]);
    const body = bodyOf(requests[0]!) as { payload: { schema: string; data: string[] } };
    expect(body.payload.schema).toBe("PHONE_SHA256");
    expect(body.payload.data[0]).toBe(PHONE);
    expect(body.payload.data).toHaveLength(2);
    expect(requests[0]!.mpids).toEqual(["1", "1"]);
  });

  it("sends IDFA and GAID to one audience unhashed and lowercase (Meta: MADID is not hashed)", async () => {
    const m = member("1", {}, { ios_advertising_id: "6D92078A-8246-4BA4-AE5B-76104861E7DC", android_advertising_id: "38400000-8cf0-11bd-b23e-10b96e40000d" });
    const { requests } = await upload(conn({ identities: ["idfa", "gaid"] }), [add(m)]);
    expect(requests).toHaveLength(1);
    expect(requests[0]!.url).toBe("https://graph.facebook.com/v25.0/2384/users");
    expect(bodyOf(requests[0]!)).toEqual({ payload: { schema: "MOBILE_ADVERTISER_ID", data: ["6d92078a-8246-4ba4-ae5b-76104861e7dc", "38400000-8cf0-11bd-b23e-10b96e40000d"] } });
  });

  it("sends Facebook IDs as UID with the app id", async () => {
    const { requests } = await upload(conn({ identities: ["facebook_id"], facebookAppId: "555" }), [add(member("1", { facebook: "100004" }))]);
    expect(bodyOf(requests[0]!)).toEqual({ payload: { schema: "UID", data: ["100004"], app_ids: ["555"] } });
  });

  it("sends the External Email Identity Type as the email", async () => {
    const { requests } = await upload(conn({ externalEmailIdentityType: "other" }), [add(member("1", { email: "x@y.z", other: "Mary@example.com" }))]);
    expect(bodyOf(requests[0]!)).toEqual({ payload: { schema: "EMAIL_SHA256", data: [MARY] } });
  });

  it("adds a multi-key audience with EXTERN_ID, identities and hashed user attributes in schema order, \"\" for missing keys", async () => {
    const connection = conn({ identities: ["email", "phone"], enableMultiKey: true, matchOnUserAttributes: true, multiKeyExternalIdType: "customer_id" });
    const m = member("1", { email: "mary@example.com", customer_id: " ABC-1 " }, {}, { $FirstName: "Mary-Ann", $gender: "Female", $zip: "94103-1234", $country: "US" });
    const { requests } = await upload(connection, [add(m)]);
    expect(requests.map((r) => r.url)).toEqual([
      "https://graph.facebook.com/v25.0/2381/users",
      "https://graph.facebook.com/v25.0/2385/users",
    ]);
    const { payload } = bodyOf(requests[1]!) as { payload: { schema: string[]; data: string[][]; is_raw: boolean } };
    expect(payload.schema).toEqual(["EXTERN_ID", "EMAIL", "PHONE", "GEN", "FN", "LN", "FI", "CT", "ST", "ZIP", "COUNTRY"]);
    expect(payload.is_raw).toBe(true);
    const { sha256HexSync } = await import("../../../lib/crypto");
    expect(payload.data).toEqual([
      [sha256HexSync("abc-1"), MARY, "", sha256HexSync("f"), sha256HexSync("maryann"), "", sha256HexSync("m"), "", "", sha256HexSync("94103"), sha256HexSync("us")],
    ]);
  });

  it("value based: adds carry LOOKALIKE_VALUE > 0; zero, missing and negative values are skipped unless zero is allowed", async () => {
    const connection = conn({ isValueBased: true, valueAttribute: "ltv" });
    const changes = [
      add(member("1", { email: "mary@example.com" }, {}, { ltv: "44.5" })),
      add(member("2", { email: "b@x.io" }, {}, { ltv: 0 })),
      add(member("3", { email: "c@x.io" }, {}, {})),
      add(member("4", { email: "d@x.io" }, {}, { ltv: -3 })),
    ];
    const { requests, skipped } = await upload(connection, changes);
    expect(bodyOf(requests[0]!)).toEqual({ payload: { schema: ["EMAIL", "LOOKALIKE_VALUE"], data: [[MARY, 44.5]], is_raw: true } });
    expect(skipped.map((s) => s.mpid)).toEqual(["2", "3", "4"]);

    const allowed = await upload(conn({ isValueBased: true, valueAttribute: "ltv", allowZeroValues: true }), changes);
    expect(allowed.requests[0]!.mpids).toEqual(["1", "2", "3"]);
    expect(allowed.skipped).toEqual([{ mpid: "4", reason: "negative ltv is never sent to a value based audience" }]);
  });

  it("splits one action of one audience into requests of at most 10,000 rows", async () => {
    const changes = Array.from({ length: 10_001 }, (_, i) => add(member(String(i), { email: `u${i}@x.io` })));
    const { requests } = await upload(conn(), changes);
    expect(requests.map((r) => r.mpids.length)).toEqual([10_000, 1]);
  });

  it("adds appsecret_proof when the app secret is set", async () => {
    const cfg = fb.configSchema.parse({ adAccountId: "1", accessToken: "EAAtoken", appSecret: "s3cret" });
    const { requests } = await upload(conn(), [add(member("1", { email: "mary@example.com" }))], cfg);
    expect(requests[0]!.url).toBe(`https://graph.facebook.com/v25.0/2381/users?appsecret_proof=${await hmacSha256Hex("s3cret", "EAAtoken")}`);
  });
});
