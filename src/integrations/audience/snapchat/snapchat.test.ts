import { describe, expect, it } from "vitest";
import { sha256HexSync } from "../../../lib/crypto";
import { AUDIENCE, add, answer, bodyOf, del, fakeContext, member, requestFor } from "../shared/testing";
import { snapchatAudience as snap } from "./index";

const MARY = "f1904cf1a9d73a55fa5de0ac823c4403ded71afd4c3248d00bdcd0866552bb79";
const config = snap.configSchema.parse({ adAccountId: "8adc3db7-8148-4fbf-999c-8d2266369d74", accessToken: "snap-token" });
const conn = (o: Record<string, unknown> = {}) => snap.connectionSchema.parse(o);
const state = { segments: { email: "s-email", maid: "s-maid", phone: "s-phone" } };
const upload = (connection: ReturnType<typeof conn>, changes: Parameters<typeof snap.upload>[0]["changes"]) =>
  snap.upload({ audience: AUDIENCE, config, connection, state, changes, now: 0 }) as Promise<Awaited<ReturnType<typeof snap.upload>>>;

describe("snapchat audience", () => {
  it("uploads after 3 hours or 500,000 pending changes, at most 100,000 ids per request", () => {
    expect(snap.cadence).toEqual({ maxWaitSeconds: 10_800, maxPending: 500_000 });
    expect(snap.maxRowsPerUpload).toBe(100_000);
  });

  it("adds SHA-256 emails and device ids to their own segments (emails and device ids forwarded by default)", async () => {
    const m = member("1", { email: "Mary@Example.com" }, { ios_idfa: "6D92078A-8246-4BA4-AE5B-76104861E7DC" });
    const { requests, skipped } = await upload(conn(), [add(m)]);
    expect(skipped).toEqual([]);
    expect(requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      "POST https://adsapi.snapchat.com/v1/segments/s-email/users",
      "POST https://adsapi.snapchat.com/v1/segments/s-maid/users",
    ]);
    expect(requests[0]!.headers.Authorization).toBe("Bearer snap-token");
    expect(bodyOf(requests[0]!)).toEqual({ users: [{ schema: ["EMAIL_SHA256"], data: [[MARY]] }] });
    expect(bodyOf(requests[1]!)).toEqual({ users: [{ schema: ["MOBILE_AD_ID_SHA256"], data: [[sha256HexSync("6d92078a-8246-4ba4-ae5b-76104861e7dc")]] }] });
  });

  it("removes with DELETE on the same path", async () => {
    const { requests } = await upload(conn({ forwardDeviceIds: false }), [del(member("1", { email: "mary@example.com" }))]);
    expect(requests.map((r) => [r.method, r.action, r.url])).toEqual([["DELETE", "delete", "https://adsapi.snapchat.com/v1/segments/s-email/users"]]);
  });

  it("hashes every phone of the user as digits with the country code when phones are forwarded", async () => {
    const m = member("1", { mobile_number: "+44 844 412 4653" }, {}, { $mobile: "+1 555 987 6543" });
    const { requests } = await upload(conn({ forwardEmails: false, forwardDeviceIds: false, forwardPhoneNumbers: true }), [add(m)]);
    expect(bodyOf(requests[0]!)).toEqual({ users: [{ schema: ["PHONE_SHA256"], data: [[sha256HexSync("448444124653")], [sha256HexSync("15559876543")]] }] });
    expect(requests[0]!.mpids).toEqual(["1", "1"]);
  });

  it("skips members without an identity to match", async () => {
    const { requests, skipped } = await upload(conn(), [add(member("9", { customer_id: "c" }))]);
    expect(requests).toEqual([]);
    expect(skipped).toHaveLength(1);
  });

  it("creates all missing segments in one request and keeps their ids", async () => {
    const { ctx, sent } = fakeContext({ config, connection: conn({ forwardPhoneNumbers: true }) }, [
      answer(200, {
        request_status: "SUCCESS",
        segments: [
          { sub_request_status: "SUCCESS", segment: { id: "a1", name: "Possible Parisians (Email)" } },
          { sub_request_status: "SUCCESS", segment: { id: "a2" } },
          { sub_request_status: "SUCCESS", segment: { id: "a3" } },
        ],
      }),
    ]);
    expect(await snap.connect!(ctx)).toEqual({ state: { segments: { email: "a1", maid: "a2", phone: "a3" } } });
    expect(sent[0]!.url).toBe("https://adsapi.snapchat.com/v1/adaccounts/8adc3db7-8148-4fbf-999c-8d2266369d74/segments");
    expect(bodyOf(sent[0]!)).toEqual({
      segments: ["Email", "Device Id", "Phone"].map((s) => ({
        name: `Possible Parisians (${s})`,
        description: "mParticle audience 13051",
        source_type: "FIRST_PARTY",
        retention_in_days: 9999,
        ad_account_id: "8adc3db7-8148-4fbf-999c-8d2266369d74",
      })),
    });
  });

  it("reads the segment ids of an answer cut at the runtime's 4 KB excerpt", async () => {
    const full = JSON.stringify({
      request_status: "SUCCESS",
      segments: ["a1", "a2"].map((id) => ({ sub_request_status: "SUCCESS", segment: { id, name: "x".repeat(1500), ad_account_id: "acc", status: "ACTIVE" } })),
    });
    const { ctx } = fakeContext({ config, connection: conn() }, [answer(200, full.slice(0, 3100))]);
    expect(await snap.connect!(ctx)).toEqual({ state: { segments: { email: "a1", maid: "a2" } } });
  });

  it("deletes the segments it created when Snap refuses one of them", async () => {
    const { ctx, sent } = fakeContext({ config, connection: conn() }, [
      answer(200, { request_status: "PARTIAL", segments: [{ sub_request_status: "SUCCESS", segment: { id: "a1" } }, { sub_request_status: "ERROR", sub_request_error_reason: "limit of 1000 segments" }] }),
      answer(200, { request_status: "SUCCESS" }),
    ]);
    expect(await snap.connect!(ctx)).toEqual({ outcome: { kind: "permanent", reason: "Snapchat refused a segment: limit of 1000 segments" } });
    expect(sent[1]!.method + " " + sent[1]!.url).toBe("DELETE https://adsapi.snapchat.com/v1/segments/a1");
  });

  it("deletes every segment on audience delete and on disconnect (Snap 2025 behaviour)", async () => {
    for (const reason of ["audience_deleted", "disconnected"] as const) {
      const { ctx, sent } = fakeContext({ config, connection: conn(), state: { segments: { email: "a1", maid: "a2" } } }, [answer(200, {}), answer(404, {})]);
      expect(await snap.disconnect!(ctx, reason)).toEqual({ state: { segments: {} } });
      expect(sent.map((s) => `${s.method} ${s.url}`)).toEqual(["DELETE https://adsapi.snapchat.com/v1/segments/a1", "DELETE https://adsapi.snapchat.com/v1/segments/a2"]);
    }
  });

  it("classifies: ok, auth on 401, permission on 403 and E3002, retry on 429 and 5xx, permanent on other 4xx", () => {
    const req = requestFor(["1"]);
    expect(snap.classify!(answer(200, { request_status: "SUCCESS" }), req)).toEqual({ kind: "ok" });
    expect(snap.classify!(answer(401, { request_status: "ERROR" }), req)).toMatchObject({ kind: "permanent", reason: expect.stringMatching(/^auth:/) });
    expect(snap.classify!(answer(403, {}), req)).toMatchObject({ kind: "permanent", reason: expect.stringMatching(/^permission:/) });
    expect(snap.classify!(answer(400, { request_status: "ERROR", error_code: "E3002", debug_message: "no access" }), req)).toMatchObject({ reason: expect.stringMatching(/^permission:/) });
    expect(snap.classify!(answer(429, "", { "retry-after": "30" }), req)).toMatchObject({ kind: "retryable", retryAfterSeconds: 30 });
    expect(snap.classify!(answer(502, ""), req).kind).toBe("retryable");
    expect(snap.classify!(answer(400, { request_status: "ERROR", debug_message: "bad schema" }), req)).toMatchObject({ kind: "permanent", reason: "Snapchat HTTP 400: bad schema" });
  });
});
