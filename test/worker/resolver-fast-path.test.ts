/**
 * Known-user fast paths of the resolver: how many Durable Object calls a batch or an identify costs, and
 * that anything unusual still goes the full way with the same decision.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { type IdentityContext, identityRequest, resolveBatch } from "../../src/identity/resolver";
import { DEFAULT_STRATEGY } from "../../src/identity/strategy";

/** An env whose Durable Object stubs record every method call as "Class.method". */
function counting() {
  const calls: string[] = [];
  const wrap = <T extends object>(ns: T, name: string): T =>
    new Proxy(ns, {
      get(target, prop) {
        const v = Reflect.get(target, prop, target);
        if (prop !== "getByName" || typeof v !== "function") return typeof v === "function" ? v.bind(target) : v;
        return (...args: unknown[]) => {
          const stub = Reflect.apply(v, target, args) as Record<string, unknown>;
          return new Proxy(stub, {
            get(s, p) {
              const m = Reflect.get(s, p, s);
              if (typeof m !== "function" || typeof p !== "string" || p === "then") return m;
              return (...a: unknown[]) => {
                calls.push(`${name}.${p}`);
                return Reflect.apply(m as (...x: unknown[]) => unknown, s, a);
              };
            },
          });
        };
      },
    });
  const counted: Env = { ...env, USER_PROFILE: wrap(env.USER_PROFILE, "UserProfile"), IDENTITY_INDEX: wrap(env.IDENTITY_INDEX, "IdentityIndex") };
  const ctx: IdentityContext = { env: counted, scope: `fast-${crypto.randomUUID()}`, config: DEFAULT_STRATEGY };
  return { calls, ctx };
}

const ingest = (n = 0) => ({ workspaceId: 1, batchId: crypto.randomUUID(), ts: Date.now() + n, messageIds: [], events: [] });
const ids = (c: string, e: string, d: string) => ({ user_identities: { customer_id: c, email: e }, device_info: { ios_idfv: d } });

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
