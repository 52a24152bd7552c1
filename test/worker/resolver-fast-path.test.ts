/**
 * Known-user fast paths of the resolver: how many Durable Object calls a batch or an identify costs, and
 * that anything unusual still goes the full way with the same decision.
 */
import { describe, expect, it } from "vitest";
import { modifyRequest } from "../../src/identity/modify";
import { clearOwnerMemo, identityRequest, resolveBatch } from "../../src/identity/resolver";
import { DEFAULT_STRATEGY } from "../../src/identity/strategy";
import { batchIds, countingContext, ingestArgs } from "./helpers/do-calls";

const counting = () => countingContext("fast");
const ingest = ingestArgs;
const ids = batchIds;

describe("resolveBatch fast path", () => {
  it("resolves a known user's batch with one ingestIf (memo) or one lookup and one ingestIf, and a batch with its mpid with one call", async () => {
    const { calls, ctx } = counting();
    const u = crypto.randomUUID();
    const first = await resolveBatch(ctx, ids(`c-${u}`, `${u}@x.test`, `d-${u}`), ingest(), { create: true });
    expect(first?.created).toBe(true);
    // The isolate remembers who holds the unique customer id: the profile is asked directly.
    calls.length = 0;
    const memo = await resolveBatch(ctx, ids(`c-${u}`, `${u}@x.test`, `d-${u}`), ingest(1), { create: true });
    expect(memo?.mpid).toBe(first!.mpid);
    expect(calls).toEqual(["UserProfile.ingestIf"]);
    // Another isolate (empty memo): the index names the owner first.
    clearOwnerMemo();
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
    // Fast attempt (the memoized holder's ingestIf, refused), then the lookups, the claim of the new email and
    // ingest; the summary ingestIf returned is reused (no UserProfile.summary call).
    expect(calls[0]).toBe("UserProfile.ingestIf");
    expect(calls.filter((c) => c === "IdentityIndex.lookup")).toHaveLength(3);
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
    const memo = await identityRequest(ctx, "identify", req);
    expect(calls).toEqual(["UserProfile.summary"]);
    clearOwnerMemo();
    calls.length = 0;
    const known = await identityRequest(ctx, "identify", req);
    expect(calls).toEqual(["IdentityIndex.lookup", "UserProfile.summary"]);
    expect(known).toMatchObject({ status: "ok", mpid: (created as { mpid: string }).mpid, created: false, loggedIn: true });
    expect((known as { matched: unknown[] }).matched).toEqual(req);
    expect(memo).toEqual(known);

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

describe("owner memo (unique identity → profile, per isolate)", () => {
  it("follows a unique id that moved to another profile: the stale hint is refused and the index decides", async () => {
    const { calls, ctx } = counting();
    const u = crypto.randomUUID();
    const a = await resolveBatch(ctx, ids(`c-${u}`, `a-${u}@x.test`, `da-${u}`), ingest(), { create: true });
    const b = await resolveBatch(ctx, ids(`c2-${u}`, `b-${u}@x.test`, `db-${u}`), ingest(), { create: true });
    expect(a!.mpid).not.toBe(b!.mpid);
    // The memo says A holds c-…; modify gives it to B (removed from A).
    const mod = await modifyRequest(ctx, b!.mpid, [{ identity_type: "customerid", old_value: `c2-${u}`, new_value: `c-${u}` }]);
    expect(mod.status).toBe("ok");
    calls.length = 0;
    const after = await resolveBatch(ctx, { user_identities: { customer_id: `c-${u}` } }, ingest(1), { create: true });
    expect(after?.mpid).toBe(b!.mpid);
    expect(after?.created).toBe(false);
    expect(calls[0]).toBe("UserProfile.ingestIf"); // A, refused
    expect(calls).toContain("IdentityIndex.lookup");
    // The hint now names B.
    calls.length = 0;
    expect((await resolveBatch(ctx, { user_identities: { customer_id: `c-${u}` } }, ingest(2), { create: true }))?.mpid).toBe(b!.mpid);
    expect(calls).toEqual(["UserProfile.ingestIf"]);
    calls.length = 0;
    expect(await identityRequest(ctx, "identify", [{ type: "customerid", value: `c-${u}` }])).toMatchObject({ status: "ok", mpid: b!.mpid });
    expect(calls).toEqual(["UserProfile.summary"]);
  });

  it("is not used for identities that are not unique (email under the default strategy, everything under best match)", async () => {
    const { calls, ctx } = counting();
    const u = crypto.randomUUID();
    const email = { user_identities: { email: `${u}@x.test` } };
    const first = await resolveBatch(ctx, email, ingest(), { create: true });
    calls.length = 0;
    expect((await resolveBatch(ctx, email, ingest(1), { create: true }))?.mpid).toBe(first!.mpid);
    expect(calls).toEqual(["IdentityIndex.lookup", "UserProfile.ingestIf"]);

    const best = counting();
    best.ctx.config = { ...DEFAULT_STRATEGY, strategy: "best_match" };
    const one = await resolveBatch(best.ctx, ids(`c-${u}`, `${u}@x.test`, `d-${u}`), ingest(), { create: true });
    best.calls.length = 0;
    expect((await resolveBatch(best.ctx, ids(`c-${u}`, `${u}@x.test`, `d-${u}`), ingest(1), { create: true }))?.mpid).toBe(one!.mpid);
    expect(best.calls[0]).toBe("IdentityIndex.lookup");
  });

  it("is kept per scope: the same customer id in another scope is another user", async () => {
    const one = counting();
    const two = counting();
    const u = crypto.randomUUID();
    const a = await resolveBatch(one.ctx, ids(`c-${u}`, `${u}@x.test`, `d-${u}`), ingest(), { create: true });
    const b = await resolveBatch(two.ctx, ids(`c-${u}`, `${u}@x.test`, `d-${u}`), ingest(), { create: true });
    expect(b?.created).toBe(true);
    expect(b?.mpid).not.toBe(a?.mpid);
  });
});
