/**
 * UserProfile writes a batch's history, dedupe keys, attributes and counter hits in one statement per table (the
 * rows as one JSON text read with json_each): values of every type come back exactly as sent.
 */
import { env } from "cloudflare:workers";
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { HISTORY_LIMIT, userProfileName } from "../../src/durable/user-profile";
import { HISTORY_SLACK } from "../../src/durable/profile/history";

const profile = () => env.USER_PROFILE.getByName(userProfileName(`rows-${crypto.randomUUID()}`, "1"));
/** Events the object's history holds, counted in its storage. */
const eventCount = (stub: ReturnType<typeof profile>) =>
  runInDurableObject(stub as unknown as DurableObjectStub, (_i: unknown, s: DurableObjectState) => s.storage.sql.exec<{ n: number }>(`SELECT count(*) AS n FROM events`).one().n);
/**
 * A fresh profile fed `batches` batches of `size` events named E (ids: `name`'s first letter, `b`, `-j`; keyed by them or not; batch
 * `b` from t0 + b × `step`), and the history's event count after each batch `sample(b)` picks.
 */
async function series(o: { name: string; batches: number; size: number; step: number; keyed: boolean; sample?: (b: number) => boolean }) {
  const stub = profile();
  const t0 = Date.now() - 1_000_000;
  const counts: number[] = [];
  for (let b = 0; b < o.batches; b++) {
    const events = Array.from({ length: o.size }, (_, j) => ({ id: `${o.name[0]}${b}-${j}`, eventType: "custom_event", name: "E", ts: t0 + b * o.step + j }));
    await stub.ingest({ mpid: "1", workspaceId: 1, batchId: `${o.name}-${b}`, ts: t0, identities: [], messageIds: events.map((e) => (o.keyed ? e.id : null)), events });
    if (o.sample?.(b) ?? true) counts.push(await eventCount(stub));
  }
  return { stub, counts };
}

describe("UserProfile per-batch rows", () => {
  it("keeps attribute values of every JSON type, deletes and sources exactly", async () => {
    const stub = profile();
    const now = Date.now();
    const values = { text: 'é "quoted" \\ \n line', number: 1.5, big: 12345678901234, yes: true, no: false, nothing: null, list: ["a", 2, null] };
    await stub.ingest({ mpid: "1", workspaceId: 7, batchId: "b1", ts: now, identities: [], source: { input: 3, rank: 2 }, userAttributes: { ...values, gone: "soon" }, messageIds: [] });
    await stub.ingest({ mpid: "1", workspaceId: 7, batchId: "b2", ts: now + 1, identities: [], userAttributes: {}, deletedUserAttributes: ["gone"], messageIds: [] });
    const view = await stub.profile(7);
    expect(view?.attributes).toEqual(values);
    expect(view?.attributeSources.text).toEqual({ ts: now, source: 3, rank: 2 });
    // What is stored (read back by a fresh instance, not the cached map).
    const stored = await runInDurableObject(stub as unknown as DurableObjectStub, (_i: unknown, s: DurableObjectState) =>
      s.storage.sql.exec<{ name: string; value: string | null; ts: number; deleted: number; source: number | null; rank: number | null }>(`SELECT name, value, ts, deleted, source, rank FROM attributes WHERE workspace_id = 7 ORDER BY name`).toArray(),
    );
    expect(stored.find((r) => r.name === "gone")).toMatchObject({ value: null, deleted: 1, ts: now + 1 });
    for (const [name, v] of Object.entries(values)) expect(JSON.parse(stored.find((r) => r.name === name)!.value!)).toEqual(v);
    expect(stored.find((r) => r.name === "big")).toMatchObject({ ts: now, deleted: 0, source: 3, rank: 2 });
  });

  it("records history rows with their type, name (or none), time and detail, and claims message ids once", async () => {
    const stub = profile();
    const now = Date.now();
    const events = [
      { id: "m1", eventType: "custom_event", name: "Buy", ts: now - 2, detail: { customEventType: "transaction", attributes: { amount: "5", note: 'a "b"' } } },
      { id: "m2", eventType: "screen_view", name: null, ts: now - 1 },
      { id: "b1:2", eventType: "commerce_event", name: "Checkout", ts: now },
    ];
    const first = await stub.ingest({ mpid: "1", workspaceId: 1, batchId: "b1", ts: now, identities: [], messageIds: ["m1", "m2", null], events });
    expect(first.duplicates).toEqual([]);
    // A redelivery of the same batch is not a duplicate; another batch with m2 (twice) is, and m3 only after its first time.
    expect((await stub.ingest({ mpid: "1", workspaceId: 1, batchId: "b1", ts: now, identities: [], messageIds: ["m1", "m2", null], events })).duplicates).toEqual([]);
    const other = [{ id: "m2", eventType: "custom_event", name: "Again", ts: now }, { id: "m3", eventType: "custom_event", name: "New", ts: now + 1 }, { id: "m3", eventType: "custom_event", name: "New", ts: now + 1 }];
    expect((await stub.ingest({ mpid: "1", workspaceId: 1, batchId: "b2", ts: now, identities: [], messageIds: ["m2", "m3", "m3"], events: other })).duplicates).toEqual([0, 2]);
    const history = await stub.history(10);
    expect(history.map((e) => [e.id, e.eventType, e.name, e.ts, e.batchId])).toEqual([
      ["m3", "custom_event", "New", now + 1, "b2"],
      ["b1:2", "commerce_event", "Checkout", now, "b1"],
      ["m2", "screen_view", null, now - 1, "b1"],
      ["m1", "custom_event", "Buy", now - 2, "b1"],
    ]);
    const detail = await runInDurableObject(stub as unknown as DurableObjectStub, (_i: unknown, s: DurableObjectState) => s.storage.sql.exec<{ detail: string | null }>(`SELECT detail FROM events WHERE id = 'm1'`).one().detail);
    expect(JSON.parse(detail!)).toEqual(events[0]!.detail);
  });

  it("keeps the history between HISTORY_LIMIT and HISTORY_LIMIT + HISTORY_SLACK events with batches larger than the slack", async () => {
    const { stub, counts } = await series({ name: "big", batches: 6, size: 250, step: 1000, keyed: false });
    expect(counts.slice(0, 2)).toEqual([250, 500]);
    for (const n of counts.slice(2)) {
      expect(n).toBeGreaterThanOrEqual(HISTORY_LIMIT);
      expect(n).toBeLessThan(HISTORY_LIMIT + HISTORY_SLACK);
    }
    // The newest events stay.
    expect((await stub.history(1))[0]!.id).toBe("b5-249");
  });

  it("cuts the history only when a batch takes it past HISTORY_LIMIT + HISTORY_SLACK events, back to HISTORY_LIMIT", async () => {
    const { counts } = await series({ name: "small", batches: 75, size: 10, step: 100, keyed: true, sample: (b) => b % 5 === 4 || b >= 58 });
    // 10 events a batch: 600 is kept, the batch that makes 610 cuts back to the newest 500 (50 batches), and so on.
    const model: number[] = [];
    let n = 0;
    for (let b = 0; b < 75; b++) {
      n += 10;
      if (n > HISTORY_LIMIT + HISTORY_SLACK) n = HISTORY_LIMIT;
      if (b % 5 === 4 || b >= 58) model.push(n);
    }
    expect(counts).toEqual(model);
    expect(Math.max(...counts)).toBe(HISTORY_LIMIT + HISTORY_SLACK);
  });
});
