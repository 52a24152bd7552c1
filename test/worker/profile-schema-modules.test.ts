/** UserProfile's schema: the core's versions and each module's own, applied to a profile stored before them. */
import { env } from "cloudflare:workers";
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { userProfileName } from "../../src/durable/user-profile";
import { migrateProfile } from "../../src/durable/user-profile-schema";
import { PROFILE_MODULES } from "../../src/durable/profile/modules";
import { compileSpec, validateDefinition } from "../../src/schema/calculated-attribute";
import { caDefinition } from "./helpers/calculated";

describe("UserProfile schema versions", () => {
  it("brings a profile stored at core v3 without module tables to the latest core and module versions, keeping its rows", async () => {
    const stub = env.USER_PROFILE.getByName(userProfileName(`schema-${crypto.randomUUID()}`, "1"));
    await stub.ingest({ mpid: "1", workspaceId: 1, batchId: "b1", ts: Date.now(), identities: [{ type: "email", value: "a@x.test" }], messageIds: ["m1"], events: [{ id: "m1", eventType: "custom_event", name: "Buy", ts: Date.now() }] });
    const after = await runInDurableObject(stub as unknown as DurableObjectStub, (_i: unknown, s: DurableObjectState) => {
      const sql = s.storage.sql;
      // As a profile written before the history's detail column (v4), one row per event (v6) and the calculated
      // attributes module.
      sql.exec(`DROP VIEW events`);
      sql.exec(`DROP TABLE event_batches`);
      sql.exec(`CREATE TABLE events (id TEXT PRIMARY KEY, batch_id TEXT NOT NULL, workspace_id INTEGER NOT NULL, event_type TEXT NOT NULL, name TEXT, ts INTEGER NOT NULL)`);
      sql.exec(`CREATE INDEX events_ts ON events (ts)`);
      sql.exec(`INSERT INTO events VALUES ('m1', 'b1', 1, 'custom_event', 'Buy', 1700000000000), ('m0', 'b0', 1, 'screen_view', NULL, 1600000000000)`);
      sql.exec(`DROP TABLE ca_states`);
      sql.exec(`DROP TABLE ca_seeds`);
      sql.exec(`UPDATE meta SET value = '3' WHERE key = 'schema_version'`);
      sql.exec(`INSERT INTO audience_counts (counter, bucket, n) VALUES ('c1', 60000, 4)`);
      migrateProfile(sql, PROFILE_MODULES);
      const versions = Object.fromEntries(sql.exec<{ key: string; value: string }>(`SELECT key, value FROM meta WHERE key LIKE 'schema_version%'`).toArray().map((r) => [r.key, r.value]));
      const columns = sql.exec<{ name: string }>(`PRAGMA table_info(events)`).toArray().map((r) => r.name);
      const tables = sql.exec<{ name: string }>(`SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'ca_%'`).toArray().map((r) => r.name).sort();
      const events = sql.exec<{ id: string; batch_id: string; event_type: string; name: string | null; ts: number; detail: string | null }>(`SELECT id, batch_id, event_type, name, ts, detail FROM events ORDER BY ts`).toArray();
      const batches = sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM event_batches`).one().n;
      const seen = sql.exec<{ id: string; batch_id: string }>(`SELECT id, batch_id FROM seen_messages`).toArray();
      const counts = sql.exec<{ counter: string; bucket: number; n: number }>(`SELECT counter, bucket, n FROM audience_counts`).toArray();
      const withoutRowid = sql
        .exec<{ name: string; sql: string }>(`SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name IN ('seen_messages', 'audience_counts', 'audience_batches') ORDER BY name`)
        .toArray()
        .map((r) => [r.name, r.sql.includes("WITHOUT ROWID")]);
      const indexes = sql.exec<{ name: string }>(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('seen_messages', 'events') AND name NOT LIKE 'sqlite_%'`).toArray().map((r) => r.name);
      // Current: a second run writes nothing.
      migrateProfile(sql, PROFILE_MODULES);
      return { versions, columns, tables, events, batches, seen, counts, withoutRowid, indexes };
    });
    expect(after.versions).toEqual({ schema_version: "6 calculatedAttributes:2 audiences:2" });
    expect(after.columns).toContain("detail");
    expect(after.tables).toEqual(["ca_seeds", "ca_states"]);
    // v6: the history's rows became one row per batch, read back through the events view as they were.
    expect(after.events).toEqual([
      { id: "m0", batch_id: "b0", event_type: "screen_view", name: null, ts: 1600000000000, detail: null },
      { id: "m1", batch_id: "b1", event_type: "custom_event", name: "Buy", ts: 1700000000000, detail: null },
    ]);
    expect(after.batches).toBe(2);
    // v5 / audiences v2: the per-batch key tables rebuilt WITHOUT ROWID with their rows and indexes.
    expect(after.seen).toEqual([{ id: "m1", batch_id: "b1" }]);
    expect(after.counts).toEqual([{ counter: "c1", bucket: 60000, n: 4 }]);
    expect(after.withoutRowid).toEqual([["audience_batches", true], ["audience_counts", true], ["seen_messages", true]]);
    // v6: no secondary index on the per-event tables (seen_messages_at, events_ts dropped).
    expect(after.indexes).toEqual([]);
  });

  it("v6 keys and cuts a batch stored before it as History writes one, so its redelivery after the migration adds nothing", async () => {
    const stub = env.USER_PROFILE.getByName(userProfileName(`schema-v6-${crypto.randomUUID()}`, "1"));
    const identities = [{ type: "email", value: "v6@x.test" }];
    const t0 = 1_700_000_000_000;
    // b2: ids out of alphabetical order (the old key took the smallest); b3: 150 events, more than one history row.
    const b2 = ["z1", "a2", "m3"].map((id, i) => ({ id, eventType: "custom_event", name: `E${i}`, ts: t0 + 1000 - i }));
    const b3 = Array.from({ length: 150 }, (_, i) => ({ id: `e${String(149 - i).padStart(3, "0")}`, eventType: "custom_event", name: "Big", ts: t0 + 2000 + i }));
    const send = (batchId: string, events: typeof b2) => stub.ingest({ mpid: "1", workspaceId: 1, batchId, ts: t0, identities, messageIds: events.map((e) => e.id), events });
    await send("b1", [{ id: "m1", eventType: "custom_event", name: "Buy", ts: t0 }]);
    const migrated = await runInDurableObject(stub as unknown as DurableObjectStub, (_i: unknown, s: DurableObjectState) => {
      const sql = s.storage.sql;
      // As stored before v6: one row per event, in each batch's order.
      sql.exec(`DROP VIEW events`);
      sql.exec(`DROP TABLE event_batches`);
      sql.exec(`CREATE TABLE events (id TEXT PRIMARY KEY, batch_id TEXT NOT NULL, workspace_id INTEGER NOT NULL, event_type TEXT NOT NULL, name TEXT, ts INTEGER NOT NULL, detail TEXT)`);
      for (const [batchId, events] of [["b1", [{ id: "m1", eventType: "custom_event", name: "Buy", ts: t0 }]], ["b2", b2], ["b3", b3]] as const)
        for (const e of events) sql.exec(`INSERT INTO events VALUES (?, ?, 1, ?, ?, ?, NULL)`, e.id, batchId, e.eventType, e.name, e.ts);
      sql.exec(`UPDATE meta SET value = '5' || substr(value, instr(value, ' ')) WHERE key = 'schema_version'`);
      migrateProfile(sql, PROFILE_MODULES);
      return {
        keys: sql.exec<{ key: string; n: number }>(`SELECT key, n FROM event_batches ORDER BY key`).toArray().map((r) => `${r.key} ${r.n}`),
        b2: sql.exec<{ id: string }>(`SELECT id FROM events WHERE batch_id = 'b2'`).toArray().map((r) => r.id),
      };
    });
    expect(migrated.keys).toEqual(["b1:1:m1 1", "b2:1:z1 3", "b3:1:e049 50", "b3:1:e149 100"]);
    expect(migrated.b2).toEqual(["z1", "a2", "m3"]); // the batch's own order
    await send("b2", b2);
    await send("b3", b3);
    const after = await runInDurableObject(stub as unknown as DurableObjectStub, (_i: unknown, s: DurableObjectState) =>
      s.storage.sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM events`).one().n,
    );
    expect(after).toBe(154);
  });

  it("moves calculated attribute states from one row per definition (v1) to one row per workspace (v2), values unchanged", async () => {
    const stub = env.USER_PROFILE.getByName(userProfileName(`schema-ca-${crypto.randomUUID()}`, "2"));
    const now = Date.now();
    const spec = (id: number, name: string, d: Record<string, unknown>) => {
      const v = validateDefinition(d);
      if (!v.ok) throw new Error(v.errors.join("; "));
      return compileSpec(id, name, 1, v.definition);
    };
    const specs = [spec(1, "purchases", caDefinition("count", "Buy")), spec(2, "spent", caDefinition("sum", "Buy", "amount", { time_period: { type: "within", date: null, within: 1, within_unit: "days" } }))];
    const buy = (amount: string) => ({ id: crypto.randomUUID(), eventType: "custom_event", name: "Buy", ts: now, detail: { customEventType: "transaction", attributes: { amount } } });
    const r = await stub.ingest({ mpid: "2", workspaceId: 1, batchId: "b1", ts: now, identities: [], messageIds: [null, null], events: [buy("5"), buy("7")], modules: { calculatedAttributes: { version: "1.1,2.1", specs } } });
    expect(r.modules.calculatedAttributes.values).toEqual({ purchases: "2", spent: "12" });
    const rows = await runInDurableObject(stub as unknown as DurableObjectStub, (instance: unknown, s: DurableObjectState) => {
      const sql = s.storage.sql;
      // As stored by v1: one row per definition.
      sql.exec(`CREATE TABLE ca_state (workspace_id INTEGER NOT NULL, ca_id INTEGER NOT NULL, name TEXT NOT NULL, state TEXT NOT NULL, PRIMARY KEY (workspace_id, ca_id))`);
      sql.exec(`INSERT INTO ca_state SELECT c.workspace_id, CAST(j.key AS INTEGER), json_extract(j.value, '$.name'), json(json_extract(j.value, '$.state')) FROM ca_states c, json_each(c.states) j`);
      sql.exec(`DROP TABLE ca_states`);
      const v1 = sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM ca_state`).one().n;
      sql.exec(`UPDATE meta SET value = '6 calculatedAttributes:1 audiences:2' WHERE key = 'schema_version'`);
      migrateProfile(sql, PROFILE_MODULES);
      (instance as { store: { reset(): void } }).store.reset();
      const old = sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM sqlite_master WHERE name = 'ca_state'`).one().n;
      return { v1, old, v2: sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM ca_states`).one().n };
    });
    expect(rows).toEqual({ v1: 2, old: 0, v2: 1 });
    expect((await stub.profile(1))?.modules.calculatedAttributes).toEqual({ purchases: "2", spent: "12" });
    const again = await stub.ingest({ mpid: "2", workspaceId: 1, batchId: "b2", ts: now, identities: [], messageIds: [null], events: [buy("1")], modules: { calculatedAttributes: { version: "1.1,2.1", specs } } });
    expect(again.modules.calculatedAttributes.values).toEqual({ purchases: "3", spent: "13" });
  });
});
