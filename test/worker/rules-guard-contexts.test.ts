/**
 * The rule guard (src/rules/guard.ts) is module state shared by every invocation of an isolate: a slot freed by one
 * invocation, or a breaker opened by one, must reach calls waiting in another without handing them a promise that
 * the other invocation settles (workerd would run their continuation in the wrong request: their I/O then fails).
 * Each context here is a Durable Object request of its own (`runInDurableObject`), as two consumer invocations are.
 */
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { acquire, BREAKER_FAILURES, RULE_MAX_CONCURRENCY, resetGuards, type Slot, unlessCut } from "../../src/rules/guard";

afterEach(() => resetGuards());

/** A Durable Object request of its own, whose storage only that request may touch. */
const inContext = <T>(name: string, fn: (storage: DurableObjectStorage) => Promise<T>) =>
  runInDurableObject(env.REQUEST_DEDUPE.get(env.REQUEST_DEDUPE.idFromName(`guard-ctx-${name}-${crypto.randomUUID()}`)), (_o, state) => fn(state.storage));

/** Takes every slot of `ruleId` (as if at `takenAt`). */
async function fill(ruleId: number, takenAt = Date.now()): Promise<Slot[]> {
  const slots: Slot[] = [];
  for (let i = 0; i < RULE_MAX_CONCURRENCY; i++) {
    const s = await acquire(ruleId, Date.now() + 1000, takenAt);
    if (typeof s === "string" || s.trial) throw new Error(`no slot: ${String(s)}`);
    slots.push(s);
  }
  return slots;
}

/** Runs `fn` with fake timers: a waiter's timers do not run until the test advances them (as if its invocation were gone). */
async function withFakeTimers(fn: () => Promise<void>): Promise<void> {
  vi.useFakeTimers({ now: Date.now() });
  try {
    await fn();
  } finally {
    vi.useRealTimers();
  }
}

describe("the rule guard across invocations", () => {
  it("a slot freed in one request goes to a call waiting in another, which then goes on with its own I/O", async () => {
    const ruleId = 9101;
    const slots = await fill(ruleId);
    const waiting = inContext("b", async (storage) => {
      const got = await acquire(ruleId, Date.now() + 2000);
      await storage.put("after", 1); // this request's own I/O, after the hand-over
      const s = typeof got === "string" ? got : "slot";
      if (typeof got !== "string") got.release(true);
      return [s, await storage.get("after")];
    });
    await new Promise((r) => setTimeout(r, 20));
    await inContext("a", async () => void slots[0]!.release(true));
    expect(await waiting).toEqual(["slot", 1]);
    for (const s of slots.slice(1)) s.release(true);
  });

  it("a breaker opened in one request refuses the calls waiting in another, and gives up the calls in flight there", async () => {
    const ruleId = 9102;
    const slots = await fill(ruleId);
    const waiting = inContext("b", async (storage) => {
      const got = await acquire(ruleId, Date.now() + 2000);
      await storage.put("after", 1);
      return [got, await storage.get("after")];
    });
    const inFlight = slots.pop()!;
    const cut = inContext("c", async (storage) => {
      if (inFlight.trial) throw new Error("trial");
      const outcome = await unlessCut(inFlight, new Promise<string>(() => {})); // a call that never answers
      await storage.put("after", 2);
      return [outcome, await storage.get("after")];
    });
    await new Promise((r) => setTimeout(r, 20));
    await inContext("a", async () => {
      for (const s of slots.slice(0, BREAKER_FAILURES)) s.release(false);
    });
    expect(await waiting).toEqual(["breaker_open", 1]);
    expect(await cut).toEqual([null, 2]);
    expect(!inFlight.trial && inFlight.isCut()).toBe("breaker");
  });

  it("a slot is not handed to a waiter whose invocation is long gone (its ticket past its deadline by over a second)", async () => {
    const ruleId = 9103;
    const slots = await fill(ruleId);
    await withFakeTimers(async () => {
      // A waiter that will never look again (its invocation was torn down): its ticket stays queued.
      const gone = acquire(ruleId, Date.now() + 50);
      vi.setSystemTime(Date.now() + 5_000);
      slots[0]!.release(true); // skips the dead ticket: the slot goes back to the pool
      const next = await acquire(ruleId, Date.now() + 50);
      expect(typeof next === "string" ? next : "slot").toBe("slot");
      await vi.advanceTimersByTimeAsync(10);
      expect(await gone).toBe("concurrency");
      if (typeof next !== "string") next.release(true);
    });
    for (const s of slots.slice(1)) s.release(true);
  });

  it("slots of calls in flight for over 5 s (their invocation torn down before releasing) are reclaimed when the pool is full", async () => {
    const ruleId = 9104;
    const lost = await fill(ruleId, Date.now() - 6_000); // taken 6 s ago, never released
    const next = await acquire(ruleId, Date.now() + 20);
    expect(typeof next === "string" ? next : "slot").toBe("slot");
    expect(lost.map((s) => !s.trial && s.isCut())).toEqual(Array(RULE_MAX_CONCURRENCY).fill("lost")); // reported as a timeout, not as the breaker
    if (typeof next !== "string") next.release(true);
  });

  it("a slot handed to a waiter that never comes back (its invocation torn down after it queued) is reclaimed after 5 s", async () => {
    const ruleId = 9105;
    const slots = await fill(ruleId);
    await withFakeTimers(async () => {
      // Its timers never run until the end: as far as the guard can tell, its invocation is gone.
      const gone = acquire(ruleId, Date.now() + 200);
      for (const s of slots) s.release(true); // the first slot goes to the waiter's ticket, the others back to the pool
      vi.setSystemTime(Date.now() + 6_000);
      const taken = await fill(ruleId); // all 16 at once: the handed-over slot was reclaimed
      expect(taken).toHaveLength(RULE_MAX_CONCURRENCY);
      await vi.advanceTimersByTimeAsync(10);
      expect(await gone).toBe("concurrency"); // it comes back to a slot that is no longer its own
      for (const s of taken) s.release(true);
    });
  });
});
