/**
 * Known-user fast paths of the resolver: how many Durable Object calls a batch or an identify costs, and
 * that anything unusual still goes the full way with the same decision.
 */
import { describe, expect, it } from "vitest";
import { identityRequest, resolveBatch } from "../../src/identity/resolver";
import { batchIds, countingContext, ingestArgs } from "./helpers/do-calls";

const counting = () => countingContext("fast");
const ingest = ingestArgs;
const ids = batchIds;

describe("resolveBatch fast path", () => {
  it("resolves a known user's batch with one lookup and one ingestIf, and a batch with its mpid with one call", async () => {
    const { calls, ctx } = counting();
    const u = crypto.randomUUID();
    const first = await resolveBatch(ctx, ids(`c-${u}`, `${u}@x.test`, `d-${u}`), ingest(), { create: true });
    expect(first?.created).toBe(true);
    calls.length = 0;
    const again = await resolveBatch(ctx, ids(`c-${u}`, `${u}@x.test`, `d-${u}`), ingest(1), { create: true });
    expect(again?.mpid).toBe(first!.mpid);
    expect(again?.created).toBe(false);
    expect(calls).toEqual(["IdentityIndex.lookup", "UserProfile.ingestIf"]);

    calls.length = 0;
    const withMpid = await resolveBatch(ctx, { mpid: first!.mpid, ...ids(`c-${u}`, `${u}@x.test`, `d-${u}`) }, ingest(2), { create: true });
    expect(withMpid?.mpid).toBe(first!.mpid);
    expect(calls).toEqual(["UserProfile.ingestIf"]);
  });

  it("falls back to the full path when the batch brings an identity the profile lacks, and records it", async () => {
    const { calls, ctx } = counting();
    const u = crypto.randomUUID();
    const first = await resolveBatch(ctx, ids(`c-${u}`, `${u}@x.test`, `d-${u}`), ingest(), { create: true });
    calls.length = 0;
    const moved = await resolveBatch(ctx, ids(`c-${u}`, `new-${u}@x.test`, `d-${u}`), ingest(1), { create: true });
    expect(moved?.mpid).toBe(first!.mpid);
    expect(moved?.profile.identities.map((i) => i.value)).toContain(`new-${u}@x.test`);
    // Fast attempt (lookup + ingestIf refused), then the other lookups, the claim of the new email and ingest;
    // the summary ingestIf returned is reused (no UserProfile.summary call).
    expect(calls.slice(0, 2)).toEqual(["IdentityIndex.lookup", "UserProfile.ingestIf"]);
    expect(calls).not.toContain("UserProfile.summary");
    expect(calls).toContain("IdentityIndex.claim");
    expect(calls.at(-1)).toMatch(/UserProfile\.(ingest|removeIdentities)|IdentityIndex\.release/);
    expect(calls.filter((c) => c === "UserProfile.ingest")).toHaveLength(1);
  });

  it("does not take the fast path for a profile the strategy does not allow (login id missing from the batch)", async () => {
    const { ctx } = counting();
    const u = crypto.randomUUID();
    const known = await resolveBatch(ctx, ids(`c-${u}`, `${u}@x.test`, `d-${u}`), ingest(), { create: true });
    // Profile conversion: a profile holding a customer id only answers batches carrying it.
    const anonymous = await resolveBatch(ctx, { user_identities: { email: `${u}@x.test` } }, ingest(1), { create: true });
    expect(anonymous?.mpid).not.toBe(known!.mpid);
    expect(anonymous?.created).toBe(true);
  });

  it("keeps Only Update: a batch for an mpid without a profile is dropped (null), without creating it", async () => {
    const { calls, ctx } = counting();
    const res = await resolveBatch(ctx, { mpid: "123456789", user_identities: { customer_id: `c-${crypto.randomUUID()}` } }, ingest(), { create: false });
    expect(res).toBeNull();
    expect(calls).not.toContain("UserProfile.ingest");
    expect(calls.filter((c) => c === "UserProfile.summary")).toHaveLength(0);
  });
});

describe("identityRequest fast path", () => {
  it("answers identify for a known user with one lookup and one summary, the same answer as the full path", async () => {
    const { calls, ctx } = counting();
    const u = crypto.randomUUID();
    const req = [
      { type: "customerid", value: `c-${u}` },
      { type: "email", value: `${u}@x.test` },
    ];
    const created = await identityRequest(ctx, "identify", req);
    expect(created.status).toBe("ok");
    calls.length = 0;
    const known = await identityRequest(ctx, "identify", req);
    expect(calls).toEqual(["IdentityIndex.lookup", "UserProfile.summary"]);
    expect(known).toMatchObject({ status: "ok", mpid: (created as { mpid: string }).mpid, created: false, loggedIn: true });
    expect((known as { matched: unknown[] }).matched).toEqual(req);

    // A new identity for the same user: the full path adds it (claim + applyIdentities).
    calls.length = 0;
    const more = await identityRequest(ctx, "identify", [...req, { type: "other", value: `o-${u}` }]);
    expect(more).toMatchObject({ status: "ok", mpid: (created as { mpid: string }).mpid });
    expect(calls).toContain("IdentityIndex.claim");
    expect(calls).toContain("UserProfile.applyIdentities");
    expect(calls.filter((c) => c === "UserProfile.summary")).toHaveLength(1);
  });

  it("answers search not found for an unknown user", async () => {
    const { ctx } = counting();
    expect(await identityRequest(ctx, "search", [{ type: "email", value: `${crypto.randomUUID()}@x.test` }])).toEqual({ status: "not_found" });
  });
});
