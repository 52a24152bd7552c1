import { describe, expect, it } from "vitest";
import type { AudienceMember } from "../../runtime/audience-types";
import { AUDIENCE, add, answer, bodyOf, del, member, requestFor } from "../shared/testing";
import { membershipString } from "./attributes";
import { brazeAudience as braze } from "./index";
import { SEND_SEGMENTS_AS, type SendSegmentsAs } from "./settings";

const cfg = (o: Record<string, unknown> = {}) => braze.configSchema.parse({ apiKey: "rest-key", instance: "EU-01", ...o });
/** A member as the uploader hands it with the user's current audiences (after the change). */
const withMemberships = (m: AudienceMember, ids: number[]) => Object.assign(m, { audience_memberships: ids });
const upload = (changes: Parameters<typeof braze.upload>[0]["changes"], config = cfg()) =>
  braze.upload({ audience: AUDIENCE, config, connection: {}, state: {}, changes, now: 0 }) as Awaited<ReturnType<typeof braze.upload>>;
const attrsOf = (r: { body?: string }) => (bodyOf(r) as { attributes: Record<string, unknown>[] }).attributes;

describe("braze audience: Send Segments As", () => {
  const joined = () => withMemberships(member("1", { customer_id: "cust-1" }), [13053, 13052, 13051]);
  const left = () => withMemberships(member("1", { customer_id: "cust-1" }), [13053, 13052]);
  const STRING_IN = { SegmentMembership: "'13053','13052','13051'" };
  const STRING_OUT = { SegmentMembership: "'13053','13052'" };
  const ARRAY_IN = { SegmentMembershipArray: { add: ["13051"] } };
  const ARRAY_OUT = { SegmentMembershipArray: { remove: ["13051"] } };
  const BOOL_IN = { "In Possible Parisians": true };
  const BOOL_OUT = { "In Possible Parisians": false };
  const expected: Record<SendSegmentsAs, [object, object]> = {
    single_string: [STRING_IN, STRING_OUT],
    single_array: [ARRAY_IN, ARRAY_OUT],
    per_segment: [BOOL_IN, BOOL_OUT],
    array_and_string: [{ ...STRING_IN, ...ARRAY_IN }, { ...STRING_OUT, ...ARRAY_OUT }],
    array_and_per_segment: [{ ...ARRAY_IN, ...BOOL_IN }, { ...ARRAY_OUT, ...BOOL_OUT }],
    string_and_per_segment: [{ ...STRING_IN, ...BOOL_IN }, { ...STRING_OUT, ...BOOL_OUT }],
    array_string_and_per_segment: [{ ...STRING_IN, ...ARRAY_IN, ...BOOL_IN }, { ...STRING_OUT, ...ARRAY_OUT, ...BOOL_OUT }],
  };

  it("defaults to the single string attribute", () => {
    expect(cfg().sendSegmentsAs).toBe("single_string");
    expect(SEND_SEGMENTS_AS).toHaveLength(7);
  });

  for (const mode of SEND_SEGMENTS_AS) {
    it(`${mode}: writes ${Object.keys(expected[mode][0]).join(" + ")} on enter and on exit through /users/track`, () => {
      const config = cfg({ sendSegmentsAs: mode });
      const { requests, skipped } = upload([add(joined())], config);
      expect(skipped).toEqual([]);
      expect(requests[0]!.url).toBe("https://rest.fra-01.braze.eu/users/track");
      expect(requests[0]!.headers.Authorization).toBe("Bearer rest-key");
      expect(attrsOf(requests[0]!)).toEqual([{ external_id: "cust-1", ...expected[mode][0] }]);
      const out = upload([del(left())], config);
      expect(out.requests[0]!.action).toBe("delete");
      expect(attrsOf(out.requests[0]!)).toEqual([{ external_id: "cust-1", ...expected[mode][1] }]);
    });
  }

  it("clears the string attribute (null) when the user leaves the last audience", () => {
    const { requests } = upload([del(withMemberships(member("1", { customer_id: "c" }), []))]);
    expect(attrsOf(requests[0]!)).toEqual([{ external_id: "c", SegmentMembership: null }]);
  });

  it("adds the audience to the string even when the memberships given do not list it yet", () => {
    const { requests } = upload([add(withMemberships(member("1", { customer_id: "c" }), [7]))]);
    expect(attrsOf(requests[0]!)).toEqual([{ external_id: "c", SegmentMembership: "'13051','7'" }]);
  });

  it("keeps the string within 255 characters: the newest ids, and always the audience just joined", () => {
    const many = Array.from({ length: 60 }, (_, i) => 100_000 + i);
    const s = membershipString([...many, 5], 5);
    expect(s!.length).toBeLessThanOrEqual(255);
    expect(s).toContain("'5'");
    expect(s!.startsWith("'100059','100058'")).toBe(true);
  });

  it("cuts per-segment attribute keys to 255 characters", () => {
    const audience = { ...AUDIENCE, external_name: "x".repeat(300) };
    const { requests } = braze.upload({ audience, config: cfg({ sendSegmentsAs: "per_segment" }), connection: {}, state: {}, changes: [add(member("1", { customer_id: "c" }))], now: 0 }) as Awaited<ReturnType<typeof braze.upload>>;
    const key = Object.keys(attrsOf(requests[0]!)[0]!).find((k) => k.startsWith("In "))!;
    expect(key.length).toBe(255);
  });
});

describe("braze audience: users and batching", () => {
  it("skips users without the external identity, and string modes without the user's memberships", () => {
    const { requests, skipped } = upload([add(member("1", { email: "a@b.c" })), add(member("2", { customer_id: "c2" }))]);
    expect(requests).toEqual([]);
    expect(skipped.map((s) => s.mpid)).toEqual(["1", "2"]);
    expect(skipped[0]!.reason).toMatch(/no customer_id/);
    expect(skipped[1]!.reason).toMatch(/audience_memberships/);
  });

  it("uses the configured external identity and email identity, and a custom REST endpoint", () => {
    const config = cfg({ sendSegmentsAs: "per_segment", externalIdentityType: "mpid", emailIdentityType: "other", customRestEndpoint: "rest.braze.example.com" });
    const { requests } = upload([add(member("8278431810143183490", { other: "m@x.io" }))], config);
    expect(requests[0]!.url).toBe("https://rest.braze.example.com/users/track");
    expect(attrsOf(requests[0]!)).toEqual([{ external_id: "8278431810143183490", email: "m@x.io", "In Possible Parisians": true }]);
  });

  it("sends at most 75 attribute objects per request, adds and removes apart", () => {
    const config = cfg({ sendSegmentsAs: "single_array" });
    const changes = [...Array.from({ length: 76 }, (_, i) => add(member(`a${i}`, { customer_id: `c${i}` }))), del(member("d", { customer_id: "cd" }))];
    const { requests } = upload(changes, config);
    expect(requests.map((r) => [r.action, r.mpids.length])).toEqual([["add", 75], ["add", 1], ["delete", 1]]);
    expect(braze.cadence).toEqual({ maxWaitSeconds: 60, maxPending: 75 });
  });

  it("has nothing to create on connect and removes nothing on disconnect", () => {
    expect(braze.connect).toBeUndefined();
    expect(braze.disconnect).toBeUndefined();
  });
});

describe("braze audience: classify", () => {
  const req = requestFor(["1", "2", "3"]);
  it("accepts success", () => {
    expect(braze.classify!(answer(201, { message: "success", attributes_processed: 3 }), req)).toEqual({ kind: "ok" });
  });
  it("reports the attribute objects Braze refused as failed rows (index into mpids), the rest written", () => {
    const o = braze.classify!(answer(201, { message: "success", errors: [{ type: "'external_id' is required", input_array: "attributes", index: 1 }] }), req);
    expect(o).toMatchObject({ kind: "partial", rest: "ok", failed: [{ item: { job: 1 } }] });
  });
  it("fails a 2xx whose message is not success", () => {
    expect(braze.classify!(answer(200, { message: "Invalid request" }), req).kind).toBe("permanent");
  });
  it("faults on 401 (auth) and 403 (permission)", () => {
    expect(braze.classify!(answer(401, { message: "Invalid API key: x" }), req)).toMatchObject({ kind: "permanent", reason: "auth: Braze HTTP 401: Invalid API key: x" });
    expect(braze.classify!(answer(403, { message: "Access denied" }), req)).toMatchObject({ reason: expect.stringMatching(/^permission:/) });
  });
  it("waits for X-RateLimit-Reset on 429 and retries 5xx; other 4xx are permanent", () => {
    const reset = String(Math.floor(Date.now() / 1000) + 30);
    const o = braze.classify!(answer(429, { message: "rate limited" }, { "x-ratelimit-reset": reset }), req);
    expect(o.kind === "retryable" && o.retryAfterSeconds! >= 28 && o.retryAfterSeconds! <= 30).toBe(true);
    expect(braze.classify!(answer(500, ""), req).kind).toBe("retryable");
    expect(braze.classify!(answer(400, { message: "bad" }), req).kind).toBe("permanent");
  });
});
