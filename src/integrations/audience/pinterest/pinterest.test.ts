import { describe, expect, it } from "vitest";
import { AUDIENCE, add, answer, bodyOf, del, fakeContext, member, requestFor } from "../shared/testing";
import { pinterestAudience as pin, seedRecord } from "./index";

// SHA-1 check values (printf %s … | sha1sum).
const MARY_SHA1 = "cdc6c0e6d06e5215ce5f732971b281d965d5f6dc";
const config = pin.configSchema.parse({ adAccountId: "549755885175", accessToken: "pina_token" });
const conn = (o: Record<string, unknown> = {}) => pin.connectionSchema.parse(o);
const state = { customer_lists: { email: "L1", maid: "L2" } };
const upload = (changes: Parameters<typeof pin.upload>[0]["changes"], connection = conn()) =>
  pin.upload({ audience: AUDIENCE, config, connection, state, changes, now: 0 }) as Promise<Awaited<ReturnType<typeof pin.upload>>>;

describe("pinterest audience", () => {
  it("uploads after 3 hours or 100,000 pending changes", () => {
    expect(pin.cadence).toEqual({ maxWaitSeconds: 10_800, maxPending: 100_000 });
  });

  it("adds SHA-1 emails to the -EMAIL list and SHA-1 device ids to the -MAID list as comma-separated records", async () => {
    const m = member("1", { email: " Mary@Example.com" }, { ios_idfa: "6D92078A-8246-4BA4-AE5B-76104861E7DC", android_advertising_id: "38400000-8cf0-11bd-b23e-10b96e40000d" });
    const { requests, skipped } = await upload([add(m), add(member("2", { email: "b@x.io" }))]);
    expect(skipped).toEqual([]);
    expect(requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      "PATCH https://api.pinterest.com/v5/ad_accounts/549755885175/customer_lists/L1",
      "PATCH https://api.pinterest.com/v5/ad_accounts/549755885175/customer_lists/L2",
    ]);
    expect(requests[0]!.headers.Authorization).toBe("Bearer pina_token");
    expect(bodyOf(requests[0]!)).toEqual({ records: `${MARY_SHA1},26dc7b54ddd8bfd070db1d3e28a0bf19a78d2ed4`, operation_type: "ADD" });
    expect(requests[0]!.mpids).toEqual(["1", "2"]);
    expect(bodyOf(requests[1]!)).toEqual({ records: "d520a80c026be39edeb9c6e3f37c01f2da5f5e97,4dfaa92388699ac6539885aef1719293879985bf", operation_type: "ADD" });
  });

  it("removes with operation_type REMOVE and honours Forward Device ID off", async () => {
    const { requests } = await upload([del(member("1", { email: "mary@example.com" }, { ios_idfa: "X" }))], conn({ forwardDeviceIds: false }));
    expect(requests.map((r) => [r.action, bodyOf(r)])).toEqual([["delete", { records: MARY_SHA1, operation_type: "REMOVE" }]]);
  });

  it("skips members without an email or device id", async () => {
    expect((await upload([add(member("1", { customer_id: "c" }))])).skipped).toHaveLength(1);
  });

  it("creates the -EMAIL and -MAID lists on connect with a record that belongs to no one", async () => {
    const { ctx, sent } = fakeContext({ config, connection: conn() }, [answer(200, { id: "643" }), answer(200, { id: "644" })]);
    expect(await pin.connect!(ctx)).toEqual({ state: { customer_lists: { email: "643", maid: "644" } } });
    expect(sent.map((s) => bodyOf(s))).toEqual([
      { name: "Possible Parisians-EMAIL", records: await seedRecord("email", AUDIENCE.id), list_type: "EMAIL" },
      { name: "Possible Parisians-MAID", records: await seedRecord("maid", AUDIENCE.id), list_type: "MAID" },
    ]);
    expect(sent[0]!.url).toBe("https://api.pinterest.com/v5/ad_accounts/549755885175/customer_lists");
  });

  it("never deletes lists downstream", () => {
    expect(pin.disconnect).toBeUndefined();
  });

  it("classifies: ok, auth on 401, permission on 403, retry on 429 and 5xx, permanent on other 4xx", () => {
    const req = requestFor(["1"]);
    expect(pin.classify!(answer(200, { id: "643", num_uploaded_user_records: 10 }), req)).toEqual({ kind: "ok" });
    expect(pin.classify!(answer(401, { code: 2, message: "Authentication failed." }), req)).toMatchObject({ kind: "permanent", reason: "auth: Pinterest HTTP 401: Authentication failed." });
    expect(pin.classify!(answer(403, { code: 29, message: "You are not permitted" }), req)).toMatchObject({ reason: expect.stringMatching(/^permission:/) });
    expect(pin.classify!(answer(429, { code: 8, message: "rate limited" }, { "retry-after": "5" }), req)).toMatchObject({ kind: "retryable", retryAfterSeconds: 5 });
    expect(pin.classify!(answer(500, ""), req).kind).toBe("retryable");
    expect(pin.classify!(answer(400, { code: 1, message: "Invalid parameters" }), req).kind).toBe("permanent");
  });

  it("stops updates (faults the connection) once a list reports 300 million uploaded records", () => {
    const o = pin.classify!(answer(200, { id: "643", num_uploaded_user_records: 300_000_000 }), requestFor(["1"]));
    expect(o).toMatchObject({ kind: "permanent", reason: expect.stringMatching(/^permission: .*300,000,000 cap/) });
  });
});
