/**
 * The rule guard (src/rules/guard.ts) is module state shared by every invocation of an isolate: a slot freed by one
 * invocation, or a breaker opened by one, must reach calls waiting in another without handing them a promise that
 * the other invocation settles (workerd would run their continuation in the wrong request: their I/O then fails).
 * Each context here is a Durable Object request of its own (`runInDurableObject`), as two consumer invocations are.
 */
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { acquire, BREAKER_FAILURES, RULE_MAX_CONCURRENCY, resetGuards, type Slot, SLOT_LOST_MS, TICKET_LOST_MS, unlessCut } from "../../src/rules/guard";

afterEach(() => resetGuards());

/** A Durable Object request of its own, whose storage only that request may touch. */
const inContext = <T>(name: string, fn: (storage: DurableObjectStorage) => Promise<T>) =>
  runInDurableObject(env.REQUEST_DEDUPE.get(env.REQUEST_DEDUPE.idFromName(`guard-ctx-${name}-${crypto.randomUUID()}`)), (_o, state) => fn(state.storage));

async function fill(ruleId: number): Promise<Slot[]> {
  const slots: Slot[] = [];
  for (let i = 0; i < RULE_MAX_CONCURRENCY; i++) {
    const s = await acquire(ruleId, Date.now() + 1000);
    if (typeof s === "string" || s.trial) throw new Error(`no slot: ${String(s)}`);
    slots.push(s);
  }
  return slots;
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
  });

  it("slots held by an invocation torn down mid-call are taken as lost after SLOT_LOST_MS: later calls get them", async () => {
    const ruleId = 9103;
    const holder = env.REQUEST_DEDUPE.get(env.REQUEST_DEDUPE.idFromName(`guard-ctx-torn-${crypto.randomUUID()}`));
    let heldFrom = 0;
    const torn = await runInDurableObject(holder, async (_o, state) => {
      heldFrom = Date.now();
      await fill(ruleId); // every slot of the rule: this invocation is torn down mid-call, before any release
      state.abort("torn down mid-call");
    }).catch((e: unknown) => String(e));
    expect(torn).toContain("torn down mid-call");
    expect(await acquire(ruleId, Date.now() + 5, heldFrom + SLOT_LOST_MS - 1)).toBe("concurrency");
    const later = await acquire(ruleId, Date.now() + 5, Date.now() + SLOT_LOST_MS + 1);
    expect(typeof later === "string" ? later : "slot").toBe("slot");
    if (typeof later !== "string") later.release(true);
  });

  it("a slot freed while the call waiting for it was torn down goes to the next call, not to the lost waiter", async () => {
    const ruleId = 9104;
    const slots = await fill(ruleId);
    const waiter = env.REQUEST_DEDUPE.get(env.REQUEST_DEDUPE.idFromName(`guard-ctx-waiter-${crypto.randomUUID()}`));
    const torn = await runInDurableObject(waiter, async (_o, state) => {
      void acquire(ruleId, Date.now() + 5); // queued for a slot; this invocation is torn down before it gets one
      state.abort("torn down while waiting");
    }).catch((e: unknown) => String(e));
    expect(torn).toContain("torn down while waiting");
    await new Promise((r) => setTimeout(r, TICKET_LOST_MS + 50));
    for (const s of slots) s.release(true);
    const again = await fill(ruleId); // every slot free again: none went to the lost waiter
    for (const s of again) s.release(true);
  });
});
