/** The input rate limiter consults its binding at most once per RATE_LIMIT_SYNC_MS and counts every request. */
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../../src/index";
import { limitCoalesced, rateLimitSyncMs } from "../../src/middleware/limits";
import { basic, batch } from "./helpers/requests";

/** A fake binding with a fixed-window counter (as the real one: refuses once the count reached the limit). */
function fakeLimiter(limit: number) {
  const calls: { key: string; delta: number }[] = [];
  let count = 0;
  const limiter = {
    calls,
    get count() {
      return count;
    },
    async limit(o: RateLimitOptions) {
      const delta = o.delta ?? 1;
      calls.push({ key: o.key, delta });
      if (count >= limit) return { success: false };
      count += delta;
      return { success: true };
    },
  };
  return limiter;
}

describe("limitCoalesced", () => {
  it("calls the binding for every request when the sync interval is 0", async () => {
    const rl = fakeLimiter(100);
    for (let i = 0; i < 5; i++) expect(await limitCoalesced(rl, "input:1", 0, 1000 + i)).toBe(true);
    expect(rl.calls).toEqual(Array.from({ length: 5 }, () => ({ key: "input:1", delta: 1 })));
  });

  it("admits requests within the interval on the last answer and counts them with the next call", async () => {
    const rl = fakeLimiter(1000);
    expect(await limitCoalesced(rl, "k", 100, 10_000)).toBe(true);
    for (let t = 10_001; t < 10_100; t += 20) expect(await limitCoalesced(rl, "k", 100, t)).toBe(true);
    expect(rl.calls).toHaveLength(1);
    expect(await limitCoalesced(rl, "k", 100, 10_100)).toBe(true);
    // 1 + 5 admitted in between + this one: nothing goes uncounted.
    expect(rl.calls).toEqual([
      { key: "k", delta: 1 },
      { key: "k", delta: 6 },
    ]);
    expect(rl.count).toBe(7);
  });

  it("keeps separate state per key and per binding", async () => {
    const a = fakeLimiter(1000);
    const b = fakeLimiter(1000);
    await limitCoalesced(a, "x", 100, 5_000);
    await limitCoalesced(a, "y", 100, 5_000);
    await limitCoalesced(b, "x", 100, 5_000);
    expect(a.calls.map((c) => c.key)).toEqual(["x", "y"]);
    expect(b.calls.map((c) => c.key)).toEqual(["x"]);
  });

  it("refuses without calling until the next interval once the binding refused, and carries uncounted requests", async () => {
    const rl = fakeLimiter(3);
    expect(await limitCoalesced(rl, "r", 100, 20_000)).toBe(true); // count 1
    expect(await limitCoalesced(rl, "r", 100, 20_010)).toBe(true); // admitted, pending 1
    expect(await limitCoalesced(rl, "r", 100, 20_020)).toBe(true); // pending 2
    expect(await limitCoalesced(rl, "r", 100, 20_100)).toBe(true); // delta 3 → count 4 (allowed: count was below the limit)
    expect(await limitCoalesced(rl, "r", 100, 20_150)).toBe(true); // pending 1
    expect(await limitCoalesced(rl, "r", 100, 20_200)).toBe(false); // count 4 ≥ 3: refused, the pending one is carried
    const calls = rl.calls.length;
    expect(await limitCoalesced(rl, "r", 100, 20_250)).toBe(false); // refused on the last answer, no call
    expect(rl.calls.length).toBe(calls);
    expect(rl.calls.at(-1)).toEqual({ key: "r", delta: 2 });
    expect(await limitCoalesced(rl, "r", 100, 20_300)).toBe(false);
    expect(rl.calls.at(-1)).toEqual({ key: "r", delta: 2 }); // still only the carried request + this one
  });

  it("carries the admitted requests when the binding throws, and throws", async () => {
    let fail = false;
    const calls: number[] = [];
    const rl = {
      async limit(o: RateLimitOptions) {
        calls.push(o.delta ?? 1);
        if (fail) throw new Error("limiter down");
        return { success: true };
      },
    };
    await limitCoalesced(rl, "t", 100, 30_000);
    await limitCoalesced(rl, "t", 100, 30_050);
    fail = true;
    await expect(limitCoalesced(rl, "t", 100, 30_100)).rejects.toThrow("limiter down");
    fail = false;
    expect(await limitCoalesced(rl, "t", 100, 30_101)).toBe(true); // called again at once, carrying the admitted request (not the failed one)
    expect(calls).toEqual([1, 2, 2]);
  });

  it("reads RATE_LIMIT_SYNC_MS with a 100 ms default and falls back on bad values", () => {
    expect(rateLimitSyncMs({ ...env, RATE_LIMIT_SYNC_MS: "" })).toBe(100);
    expect(rateLimitSyncMs({ ...env, RATE_LIMIT_SYNC_MS: "0" })).toBe(0);
    expect(rateLimitSyncMs({ ...env, RATE_LIMIT_SYNC_MS: "250" })).toBe(250);
    expect(rateLimitSyncMs({ ...env, RATE_LIMIT_SYNC_MS: "soon" })).toBe(100);
    expect(rateLimitSyncMs({ ...env, RATE_LIMIT_SYNC_MS: "-5" })).toBe(100);
  });
});

describe("Events API with a sync interval", () => {
  it("asks the binding once for a burst of requests, accepts them all, and answers 429 after a refusal", async () => {
    const rl = fakeLimiter(1_000_000);
    const overrides = { INPUT_RATE_LIMITER: rl, RATE_LIMIT_SYNC_MS: "60000" } as Partial<Env>;
    const send = async (o: Partial<Env>) => {
      const ctx = createExecutionContext();
      const res = await worker.fetch(
        new Request("http://edge-cdp.test/v2/events", { method: "POST", headers: { Authorization: basic(), "Content-Type": "application/json" }, body: JSON.stringify(batch()) }),
        { ...env, ...o },
        ctx,
      );
      await waitOnExecutionContext(ctx);
      return res.status;
    };
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push(await send(overrides));
    expect(statuses).toEqual([202, 202, 202, 202, 202]);
    expect(rl.calls).toHaveLength(1);

    const refusing = fakeLimiter(0);
    expect(await send({ INPUT_RATE_LIMITER: refusing, RATE_LIMIT_SYNC_MS: "60000" } as Partial<Env>)).toBe(429);
    expect(await send({ INPUT_RATE_LIMITER: refusing, RATE_LIMIT_SYNC_MS: "60000" } as Partial<Env>)).toBe(429);
    expect(refusing.calls).toHaveLength(1);
  });
});
