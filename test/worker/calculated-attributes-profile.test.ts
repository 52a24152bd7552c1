/** Calculated attributes in UserProfile: backfill, decay by alarm, racing batches, storage bound. */
import { env } from "cloudflare:workers";
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { type ProfileEvent, type ProfileIngest, HISTORY_LIMIT, userProfileName } from "../../src/durable/user-profile";
import { type CaSpec, compileSpec, validateDefinition } from "../../src/schema/calculated-attribute";
import { caDefinition } from "./helpers/calculated";

const specOf = (id: number, name: string, d: Record<string, unknown>, revision = 1): CaSpec => {
  const v = validateDefinition(d);
  if (!v.ok) throw new Error(v.errors.join("; "));
  return compileSpec(id, name, revision, v.definition);
};
const buy = (ts: number, amount: string, more: Record<string, string> = {}): ProfileEvent => ({
  id: crypto.randomUUID(), eventType: "custom_event", name: "Buy", ts, detail: { customEventType: "transaction", attributes: { amount, ...more } },
});
let n = 0;
const batchOf = (mpid: string, events: ProfileEvent[], specs?: CaSpec[], attrs?: Record<string, string>): ProfileIngest => ({
  mpid, workspaceId: 1, batchId: `b${++n}`, ts: Date.now(), identities: [], messageIds: events.map((e) => e.id), events,
  ...(attrs ? { userAttributes: attrs } : {}),
  ...(specs ? { modules: { calculatedAttributes: { version: specs.map((s) => `${s.id}.${s.revision}`).join(","), specs } } } : {}),
});
const stubFor = (mpid: string) => env.USER_PROFILE.getByName(userProfileName(`ca-${crypto.randomUUID()}`, mpid));

describe("calculated attributes in UserProfile", () => {
  it("answers the values with the batch that changed them (before fan-out), per active definition", async () => {
    const stub = stubFor("1");
    const specs = [specOf(1, "purchases", caDefinition("count", "Buy")), specOf(2, "spent", caDefinition("sum", "Buy", "amount"))];
    const now = Date.now();
    const r1 = await stub.ingest(batchOf("1", [buy(now, "10")], specs));
    expect(r1.modules.calculatedAttributes.values).toEqual({ purchases: "1", spent: "10" });
    const r2 = await stub.ingest(batchOf("1", [buy(now, "5"), buy(now, "2.5")], specs));
    expect(r2.modules.calculatedAttributes.values).toEqual({ purchases: "3", spent: "17.5" });
  });

  it("does not count a redelivered batch's events twice", async () => {
    const stub = stubFor("2");
    const specs = [specOf(1, "purchases", caDefinition("count", "Buy"))];
    const b = batchOf("2", [buy(Date.now(), "1")], specs);
    await stub.ingest(b);
    const again = await stub.ingest({ ...b, batchId: "other-batch" });
    expect(again.duplicates).toEqual([0]);
    expect(again.modules.calculatedAttributes.values).toEqual({ purchases: "1" });
  });

  it("does not count a redelivered batch (same batch id) again, whether its events carry message ids or not", async () => {
    const stub = stubFor("2b");
    const specs = [specOf(1, "purchases", caDefinition("count", "Buy")), specOf(2, "spent", caDefinition("sum", "Buy", "amount"))];
    const b = batchOf("2b", [buy(Date.now(), "4"), buy(Date.now(), "6")], specs);
    expect((await stub.ingest(b)).modules.calculatedAttributes.values).toEqual({ purchases: "2", spent: "10" });
    const again = await stub.ingest(b);
    expect(again.duplicates).toEqual([]);
    expect(again.modules.calculatedAttributes.values).toEqual({ purchases: "2", spent: "10" });
    // Without message ids the history's row of the batch recognises it.
    const noIds = { ...batchOf("2b", [buy(Date.now(), "1")], specs), messageIds: [null] };
    expect((await stub.ingest(noIds)).modules.calculatedAttributes.values).toEqual({ purchases: "3", spent: "11" });
    expect((await stub.ingest(noIds)).modules.calculatedAttributes.values).toEqual({ purchases: "3", spent: "11" });
    // A new batch still counts.
    expect((await stub.ingest(batchOf("2b", [buy(Date.now(), "2")], specs))).modules.calculatedAttributes.values).toEqual({ purchases: "4", spent: "13" });
  });

  it("backfills a definition activated later from the history, attributes included, and recomputes on a new revision", async () => {
    const stub = stubFor("3");
    const now = Date.now();
    await stub.ingest(batchOf("3", [buy(now - 3000, "7", { color: "red" }), buy(now - 2000, "3", { color: "blue" })], []));
    const colors = specOf(5, "colors", caDefinition("unique_list", "Buy", "color"));
    const r = await stub.ingest(batchOf("3", [buy(now, "1", { color: "green" })], [colors]));
    expect(r.modules.calculatedAttributes.values).toEqual({ colors: ["blue", "green", "red"] });
    // Re-activated with another definition under the same id: recomputed from the history, not added to.
    const max = specOf(5, "colors", caDefinition("max", "Buy", "amount"), 2);
    const r2 = await stub.ingest(batchOf("3", [], [max]));
    expect(r2.modules.calculatedAttributes.values).toEqual({ colors: "7" });
    // Deactivated: its state goes, its value is no longer answered.
    const r3 = await stub.ingest(batchOf("3", [], []));
    expect(r3.modules.calculatedAttributes.values).toEqual({});
    expect(await runInDurableObject(stub, (_i: unknown, s: DurableObjectState) => s.storage.sql.exec(`SELECT COUNT(*) AS n FROM ca_states`).one().n)).toBe(0);
  });

  it("shows backfilled values in the profile view without a new batch", async () => {
    const stub = stubFor("4");
    await stub.ingest(batchOf("4", [buy(Date.now() - 1000, "4"), buy(Date.now() - 500, "6")], []));
    const spec = specOf(9, "avg", caDefinition("average", "Buy", "amount"));
    const view = await stub.profile(1, { calculatedAttributes: { version: "9.1", specs: [spec] } });
    expect(view?.modules.calculatedAttributes).toEqual({ avg: "5" });
  });

  it("lets a windowed value decay without new events: the alarm drops the bucket that left the window", async () => {
    const stub = stubFor("5");
    const spec = specOf(1, "recent", caDefinition("count", "Buy", null, { time_period: { type: "within", date: null, within: 1, within_unit: "hours" } }));
    const now = Date.now();
    // One purchase 59.5 minutes ago, one now: both within the hour.
    const r = await stub.ingest(batchOf("5", [buy(now - 59.5 * 60_000, "1"), buy(now, "1")], [spec]));
    expect(r.modules.calculatedAttributes.values).toEqual({ recent: "2" });
    const alarm = await runInDurableObject(stub, (_i: unknown, s: DurableObjectState) => s.storage.getAlarm());
    expect(alarm).not.toBeNull();
    // The alarm is due when the oldest bucket's end leaves the window: within one bucket (3 minutes) of 60 minutes after it.
    expect(alarm!).toBeLessThanOrEqual(now + 30_000 + 3 * 60_000);
    // Age the stored buckets by an hour instead of waiting, then let the alarm run.
    await runInDurableObject(stub, (_i: unknown, s: DurableObjectState) => {
      const row = s.storage.sql.exec<{ states: string }>(`SELECT states FROM ca_states`).one();
      const states = JSON.parse(row.states);
      const st = states["1"].state;
      st.b = st.b.map(([start, acc]: [number, unknown]) => [start - 3_600_000, acc]);
      s.storage.sql.exec(`UPDATE ca_states SET states = ?`, JSON.stringify(states));
      return s.storage.setAlarm(Date.now());
    });
    // The object's in-memory copy is stale after the direct write: a fresh instance reads the aged rows.
    await runInDurableObject(stub as unknown as DurableObjectStub, (instance: unknown) => (instance as { store: { reset(): void } }).store.reset());
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    const view = await stub.profile(1);
    expect(view?.modules.calculatedAttributes).toEqual({ recent: "1" });
    const left = await runInDurableObject(stub, (_i: unknown, s: DurableObjectState) => JSON.parse(s.storage.sql.exec<{ states: string }>(`SELECT states FROM ca_states`).one().states)["1"].state.b.length);
    expect(left).toBe(1);
  });

  it("counts every event of racing batches for one user exactly once", async () => {
    const stub = stubFor("6");
    const specs = [specOf(1, "purchases", caDefinition("count", "Buy")), specOf(2, "spent", caDefinition("sum", "Buy", "amount"))];
    await Promise.all(Array.from({ length: 20 }, () => stub.ingest(batchOf("6", [buy(Date.now(), "1"), buy(Date.now(), "2")], specs))));
    const view = await stub.profile(1);
    expect(view?.modules.calculatedAttributes).toEqual({ purchases: "40", spent: "60" });
  });

  it("keeps a profile at its maximum history with 20 windowed calculated attributes under 2 MB", async () => {
    const stub = stubFor("7");
    const calcs = ["count", "sum", "min", "max", "average", "first_occurrence", "last_occurrence", "first_occurrence_timestamp", "last_occurrence_timestamp", "unique_list", "unique_values_count", "most_frequent"];
    const specs = Array.from({ length: 20 }, (_, i) =>
      specOf(i + 1, `ca${i}`, caDefinition(calcs[i % calcs.length]!, "Buy", "sku", { time_period: { type: "within", date: null, within: 30, within_unit: "days" } })),
    );
    const now = Date.now();
    // History at its bound, spread over the window (a bucket each), each event with ~1.5 KB of attributes and a distinct value.
    const pad = "x".repeat(1400);
    for (let k = 0; k < HISTORY_LIMIT; k += 50) {
      const events = Array.from({ length: 50 }, (_, j) => buy(now - ((k + j) * 30 * 86_400_000) / HISTORY_LIMIT, String(k + j), { sku: `sku-${k + j}`, note: pad }));
      await stub.ingest(batchOf("7", events, specs));
    }
    const size = await runInDurableObject(stub, (_i: unknown, s: DurableObjectState) => s.storage.sql.databaseSize);
    expect(await runInDurableObject(stub, (_i: unknown, s: DurableObjectState) => s.storage.sql.exec(`SELECT COUNT(*) AS n FROM events`).one().n)).toBe(HISTORY_LIMIT);
    expect(size).toBeLessThan(2 * 1024 * 1024);
    console.log(JSON.stringify({ profile_bytes_at_max_history_20_windowed_cas: size }));
  });
});
