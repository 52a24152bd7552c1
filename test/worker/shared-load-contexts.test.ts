/**
 * Module state shared by the requests of an isolate, when the request that started a load or a write is torn down
 * before it settles (a client gone, an object reset): workerd never settles that request's pending I/O, so a later
 * request that awaited it (a shared promise) or waited for it (a busy flag) hung: 30 s for a configuration key,
 * for ever for a compiled data plan version, an imported key (even a `crypto.subtle` import) or the counter committer. Each context here is a Durable Object request
 * of its own (`runInDurableObject`); `state.abort()` tears the first one down mid-load, as a disconnect does.
 */
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { cached } from "../../src/db/cache";
import { commitCounters, counterCommitLimits } from "../../src/db/counter-commit";
import { Counters } from "../../src/db/queries/counters";
import type { PlanRow, VersionMeta } from "../../src/db/queries/data-plans";
import { loadedVersion } from "../../src/dataplans/plan-cache";
import { encryptJson } from "../../src/lib/crypto";
import { seal, unseal } from "../../src/lib/sealed";
import { sharedLoadLimits } from "../../src/lib/shared-load";
import { tokenKeys } from "../../src/lib/token-keys";
import { signingKey } from "../../src/privacy/dsr-signing";
import { liveOffer, livePending } from "../../src/pipeline/live-sample";

const defaults = { load: sharedLoadLimits.staleMs, commit: counterCommitLimits.staleMs };
afterEach(() => {
  sharedLoadLimits.staleMs = defaults.load;
  counterCommitLimits.staleMs = defaults.commit;
});

const inContext = <T>(name: string, fn: (storage: DurableObjectStorage, state: DurableObjectState) => Promise<T>) =>
  runInDurableObject(env.REQUEST_DEDUPE.get(env.REQUEST_DEDUPE.idFromName(`shared-load-${name}-${crypto.randomUUID()}`)), (_o, state) => fn(state.storage, state));

/** Starts `start` in a request of its own and tears that request down before anything it started settles. */
async function tornDown(start: () => void): Promise<void> {
  const outcome = await inContext("a", async (_s, state) => {
    start();
    state.abort("torn down mid-load");
    return "not torn down";
  }).catch((e: unknown) => String(e));
  expect(outcome).toContain("torn down mid-load");
}

/** `p`'s value, or "hung" when it has not settled within `ms`. */
const within = <T>(p: Promise<T>, ms: number) => Promise.race([p, new Promise<"hung">((r) => setTimeout(() => r("hung"), ms))]);

describe("loads and writes shared by the requests of an isolate", () => {
  it("a request waiting for another's configuration load gets its value, loaded once, and goes on with its own I/O", async () => {
    const key = `shared-${crypto.randomUUID()}`;
    let loads = 0;
    const load = async () => {
      loads++;
      await new Promise((r) => setTimeout(r, 30));
      return (await env.DB.prepare("SELECT 7 AS n").first<{ n: number }>())!.n;
    };
    const use = (name: string) =>
      inContext(name, async (storage) => {
        await storage.put("n", await cached(key, load));
        return storage.get("n");
      });
    const first = use("a");
    await new Promise((r) => setTimeout(r, 5));
    expect(await within(Promise.all([first, use("b")]), 5000)).toEqual([7, 7]);
    expect(loads).toBe(1);
  });

  it("a configuration load whose request was torn down does not hold a later request of its key: that one loads itself", async () => {
    sharedLoadLimits.staleMs = 200;
    const key = `torn-${crypto.randomUUID()}`;
    await tornDown(() => void cached(key, async () => (await env.DB.prepare("SELECT 1 AS n").first<{ n: number }>())!.n).catch(() => {}));
    const later = inContext("b", async (storage) => {
      await storage.put("n", await cached(key, async () => (await env.DB.prepare("SELECT 2 AS n").first<{ n: number }>())!.n));
      return storage.get("n");
    });
    expect(await within(later, 5000)).toBe(2);
  });

  it("a data plan version load whose request was torn down does not hold later requests of that version", async () => {
    sharedLoadLimits.staleMs = 200;
    const plan = { generation: `torn-${crypto.randomUUID()}` } as unknown as PlanRow;
    const version = { id: 987_654_321, updatedAt: 1 } as unknown as VersionMeta; // no such version: loads as null
    await tornDown(() => void loadedVersion(env, plan, version).catch(() => {}));
    expect(await within(inContext("b", () => loadedVersion(env, plan, version)), 5000)).toBeNull();
  });

  it("a counter write whose request was torn down does not hold the isolate's later commits, whose counts land", async () => {
    counterCommitLimits.staleMs = 300;
    const reason = `torn-${crypto.randomUUID()}`;
    const counters = (input: number) => {
      const c = new Counters();
      c.drop(input, reason, 1);
      return c;
    };
    await tornDown(() => void commitCounters(env.DB, counters(9901)).catch(() => {}));
    expect(await within(inContext("b", () => commitCounters(env.DB, counters(9902)).then(() => "written")), 5000)).toBe("written");
    const row = await env.DB.prepare(`SELECT SUM(count) AS n FROM drop_counters WHERE reason = ? AND input_id = 9902`).bind(reason).first<{ n: number }>();
    expect(row!.n).toBe(1);
  });

  it("a live stream check whose invocation was torn down does not keep a later invocation's live calls pending", async () => {
    sharedLoadLimits.staleMs = 200;
    const workspaceId = 700_000 + Math.floor(Math.random() * 100_000);
    const none = () => null;
    await tornDown(() => liveOffer(env, {}, workspaceId, "inbound", none));
    const later = inContext("b", async () => {
      const invocation = {};
      liveOffer(env, invocation, workspaceId, "inbound", none);
      await livePending(invocation);
      return "done";
    });
    expect(await within(later, 5000)).toBe("done");
  });

  /** A fresh 32-byte key, base64 (a key no earlier test imported). */
  const freshKey = () => btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32))));
  /** Runs `use` in a request after the request that first imported the key was torn down mid-import. */
  async function afterTornImport<T>(first: () => Promise<unknown>, use: () => Promise<T>): Promise<T | "hung"> {
    sharedLoadLimits.staleMs = 200;
    await tornDown(() => void first().catch(() => {}));
    return within(
      inContext("b", async (storage) => {
        const out = await use();
        await storage.put("after", 1); // this request's own I/O, after the key
        return out;
      }),
      5000,
    );
  }

  it("keys imported once per isolate (access tokens, secrets at rest, DSR signing) are imported again when the importing request was torn down", async () => {
    const tokenEnv = { TOKEN_SIGNING_KEY: freshKey(), CONFIG_ENCRYPTION_KEY: freshKey() };
    expect(await afterTornImport(() => tokenKeys(tokenEnv), async () => (await tokenKeys(tokenEnv)).signing.kid)).toMatch(/^k/);
    const derivedEnv = { CONFIG_ENCRYPTION_KEY: freshKey() };
    expect(await afterTornImport(() => tokenKeys(derivedEnv), async () => (await tokenKeys(derivedEnv)).signing.kid)).toMatch(/^d-/);
    const aes = freshKey();
    expect(await afterTornImport(() => encryptJson(aes, 1), async () => (await encryptJson(aes, 2)).slice(0, 3))).toBe("v1.");
    const sealKey = freshKey();
    expect(await afterTornImport(() => seal(sealKey, 1), async () => unseal(sealKey, await seal(sealKey, 2)))).toBe(2);
    expect(await afterTornImport(() => signingKey(env), async () => (await signingKey(env)).type)).toBe("private");
  });
});
