import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { EXPIRY_STEP, REQUEST_DEDUPE_MS, type RequestDedupe } from "../../src/durable/request-dedupe";
import { claimRequestKeys, dedupeObjectName, groupClaims } from "../../src/pipeline/dedupe";
import { batch, post } from "./helpers/requests";
import { installSink } from "./helpers/sink";
import { eventually, forCustomer } from "./helpers/wait";

const DAY = 86_400_000;
let sink: ReturnType<typeof installSink> | undefined;
afterEach(() => sink?.restore());

/** Counts every D1 table's rows and the database size (D1 reports it with every query). */
async function d1Footprint(): Promise<{ rows: Record<string, number>; bytes: number }> {
  const tables = await env.DB.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name != 'd1_migrations'`).all<{ name: string }>();
  const rows: Record<string, number> = {};
  let bytes = 0;
  for (const { name } of tables.results) {
    const r = await env.DB.prepare(`SELECT COUNT(*) AS n FROM "${name}"`).all<{ n: number }>();
    rows[name] = r.results[0]!.n;
    bytes = r.meta.size_after;
  }
  return { rows, bytes };
}

describe("request dedupe in sharded Durable Objects", () => {
  it("reports another batch with a claimed source_request_id as a duplicate, and a redelivery of the same batch as new", async () => {
    const key = `k-${crypto.randomUUID()}`;
    const now = Date.now();
    expect([...(await claimRequestKeys(env, [{ inputId: 1, key, batchId: "a" }], now))]).toEqual([]);
    expect([...(await claimRequestKeys(env, [{ inputId: 1, key, batchId: "a" }], now + 1))]).toEqual([]);
    expect([...(await claimRequestKeys(env, [{ inputId: 1, key, batchId: "b" }], now + 2))]).toEqual([`1|${key}|b`]);
    // Keys are per input.
    expect([...(await claimRequestKeys(env, [{ inputId: 2, key, batchId: "b" }], now + 3))]).toEqual([]);
  });

  it("reports the second of two batches with the same key in one invocation, not the first", async () => {
    const key = `k-${crypto.randomUUID()}`;
    const dups = await claimRequestKeys(env, [{ inputId: 1, key, batchId: "first" }, { inputId: 1, key, batchId: "second" }], Date.now());
    expect([...dups]).toEqual([`1|${key}|second`]);
  });

  it("makes one object call per input and shard, not one per batch", () => {
    const claims = Array.from({ length: 500 }, (_, i) => ({ inputId: i % 2 ? 1 : 2, key: `k${i}`, batchId: `b${i}` }));
    const groups = groupClaims(claims, 16);
    expect(groups.size).toBe(32);
    expect([...groups.values()].reduce((n, g) => n + g.length, 0)).toBe(500);
  });

  it("still detects a duplicate 34.9 days later and frees the key after 35 days (simulated clock)", async () => {
    const key = `k-${crypto.randomUUID()}`;
    const t0 = Date.now() - 40 * DAY;
    await claimRequestKeys(env, [{ inputId: 1, key, batchId: "a" }], t0);
    expect([...(await claimRequestKeys(env, [{ inputId: 1, key, batchId: "b" }], t0 + 34.9 * DAY))]).toEqual([`1|${key}|b`]);
    expect([...(await claimRequestKeys(env, [{ inputId: 1, key, batchId: "b" }], t0 + REQUEST_DEDUPE_MS - 1))]).toEqual([`1|${key}|b`]);
    // Past the window the key is free even before the alarm deleted it; the new batch owns it from then on.
    expect([...(await claimRequestKeys(env, [{ inputId: 1, key, batchId: "c" }], t0 + REQUEST_DEDUPE_MS + 1))]).toEqual([]);
    expect([...(await claimRequestKeys(env, [{ inputId: 1, key, batchId: "a" }], t0 + REQUEST_DEDUPE_MS + 2))]).toEqual([`1|${key}|a`]);
  });

  it("looks keys up in their previous shard while the shard count changes, so no duplicate slips through", async () => {
    const key = `k-${crypto.randomUUID()}`;
    const now = Date.now();
    await claimRequestKeys({ ...env, REQUEST_DEDUPE_SHARDS: "3", REQUEST_DEDUPE_SHARDS_PREVIOUS: "" }, [{ inputId: 7, key, batchId: "a" }], now);
    const moved = { ...env, REQUEST_DEDUPE_SHARDS: "5", REQUEST_DEDUPE_SHARDS_PREVIOUS: "3" };
    expect([...(await claimRequestKeys(moved, [{ inputId: 7, key, batchId: "b" }], now + 1))]).toEqual([`7|${key}|b`]);
    expect([...(await claimRequestKeys(moved, [{ inputId: 7, key, batchId: "a" }], now + 2))]).toEqual([]);
  });

  it("expires keys by alarm in bounded sweep steps of EXPIRY_STEP keys, then waits for the oldest key kept", async () => {
    const stub = env.REQUEST_DEDUPE.getByName(`expiry-${crypto.randomUUID()}`);
    const old = Date.now() - REQUEST_DEDUPE_MS - DAY;
    const total = 2 * EXPIRY_STEP + 10;
    for (let i = 0; i < total; i += 500) {
      await stub.claim(Array.from({ length: Math.min(500, total - i) }, (_, j) => ({ key: `old-${String(i + j).padStart(6, "0")}`, batchId: "b" })), old);
    }
    const freshAt = Date.now();
    await stub.claim([{ key: "fresh", batchId: "b" }], freshAt);
    expect(await stub.size()).toBe(total + 1);
    // Each step reads EXPIRY_STEP keys in key order ("fresh" sorts first and is kept) and deletes the expired ones.
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await stub.size()).toBe(total + 1 - (EXPIRY_STEP - 1));
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await stub.size()).toBe(total + 1 - (EXPIRY_STEP - 1) - EXPIRY_STEP);
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await stub.size()).toBe(1);
    // The claims' record of the oldest key written (expired meanwhile) asks for one more sweep, which keeps the fresh key…
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await stub.size()).toBe(1);
    // …and then the next sweep is when the fresh key expires, 35 days after it was claimed.
    const alarm = await runInDurableObject(stub, (_o: RequestDedupe, state) => state.storage.getAlarm());
    expect(alarm).toBe(freshAt + REQUEST_DEDUPE_MS);
  });

  it("stores one row per key (no secondary index), about 100 bytes per UUID key", async () => {
    const stub = env.REQUEST_DEDUPE.getByName(`size-${crypto.randomUUID()}`);
    const size = () => runInDurableObject(stub, (_o: RequestDedupe, state) => state.storage.sql.databaseSize);
    await stub.claim([{ key: "first", batchId: "b" }], Date.now());
    const before = await size();
    for (let i = 0; i < 10; i++) await stub.claim(Array.from({ length: 500 }, () => ({ key: crypto.randomUUID(), batchId: crypto.randomUUID() })), Date.now());
    const perKey = ((await size()) - before) / 5_000;
    console.log(JSON.stringify({ request_dedupe_bytes_per_key: perKey }));
    expect(perKey).toBeLessThan(120);
    const indexes = await runInDurableObject(stub, (_o: RequestDedupe, state) => state.storage.sql.exec(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'request_keys' AND sql IS NOT NULL`).toArray());
    expect(indexes).toEqual([]);
  });

  it("ingests 120 batches with distinct source_request_ids with D1's row counts and size unchanged", async () => {
    sink = installSink();
    // One batch first: this hour's counter rows exist before the measurement (they grow per hour, not per batch).
    const first = batch({ source_request_id: crypto.randomUUID() });
    expect((await post("/v2/events", first)).status).toBe(202);
    await eventually(() => expect(forCustomer(sink!.received, first.user_identities.customerid)).toHaveLength(1));
    const before = await d1Footprint();
    const sent = Array.from({ length: 120 }, () => batch({ source_request_id: crypto.randomUUID() }));
    for (let i = 0; i < sent.length; i += 20) {
      // A bulk request of 20 batches: fewer requests, the same number of source_request_ids.
      expect((await post("/v2/bulkevents", sent.slice(i, i + 20))).status).toBe(202);
    }
    await eventually(() => expect(sink!.received.length).toBeGreaterThanOrEqual(121), 80_000);
    const after = await d1Footprint();
    expect(after.rows).toEqual(before.rows);
    expect(after.bytes).toBe(before.bytes);
    // The keys are in the input's RequestDedupe shards instead.
    let held = 0;
    for (let s = 0; s < 16; s++) held += await env.REQUEST_DEDUPE.getByName(`1.${s}`).size();
    expect(held).toBeGreaterThanOrEqual(121);
    expect(dedupeObjectName(1, sent[0]!.source_request_id, 16)).toMatch(/^1\.\d+$/);
  }, 120_000);
});
