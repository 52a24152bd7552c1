/**
 * Versioned SQLite schema of UserProfile, applied in the constructor under blockConcurrencyWhile: the core
 * tables (identities, attributes, history, consent) and each per-batch module's tables (its `schema` list in
 * `profile/<module>.ts`), each with its own version number.
 */
import { HISTORY_SLACK } from "./profile/history";

const VERSIONS: string[][] = [
  // v1: identities, attributes, dedupe keys
  [
    `CREATE TABLE IF NOT EXISTS identities (type TEXT NOT NULL, value TEXT NOT NULL, first_seen INTEGER NOT NULL, last_seen INTEGER NOT NULL, PRIMARY KEY (type, value))`,
    `CREATE TABLE IF NOT EXISTS attributes (workspace_id INTEGER NOT NULL, name TEXT NOT NULL, value TEXT, ts INTEGER NOT NULL, deleted INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (workspace_id, name))`,
    `CREATE TABLE IF NOT EXISTS seen_messages (id TEXT PRIMARY KEY, batch_id TEXT NOT NULL, seen_at INTEGER NOT NULL)`,
    `CREATE INDEX IF NOT EXISTS seen_messages_at ON seen_messages (seen_at)`,
  ],
  // v2: attribute source + source-type priority, event history
  [
    `ALTER TABLE attributes ADD COLUMN source INTEGER`,
    `ALTER TABLE attributes ADD COLUMN rank INTEGER`,
    `CREATE TABLE IF NOT EXISTS events (id TEXT PRIMARY KEY, batch_id TEXT NOT NULL, workspace_id INTEGER NOT NULL, event_type TEXT NOT NULL, name TEXT, ts INTEGER NOT NULL)`,
    `CREATE INDEX IF NOT EXISTS events_ts ON events (ts)`,
  ],
  // v3: consent per workspace (src/privacy/consent.ts); the changes each batch part made, for redeliveries
  [
    `CREATE TABLE IF NOT EXISTS consent (workspace_id INTEGER NOT NULL, regulation TEXT NOT NULL, purpose TEXT NOT NULL, consented INTEGER NOT NULL, document TEXT, ts INTEGER NOT NULL, location TEXT, hardware_id TEXT, PRIMARY KEY (workspace_id, regulation, purpose))`,
    `CREATE TABLE IF NOT EXISTS consent_changes (batch_key TEXT PRIMARY KEY, workspace_id INTEGER NOT NULL, changes TEXT NOT NULL, at INTEGER NOT NULL)`,
    `CREATE INDEX IF NOT EXISTS consent_changes_at ON consent_changes (at)`,
  ],
  // v4: event details in the history (attributes, products, promotions: what calculated attributes and audiences read)
  [`ALTER TABLE events ADD COLUMN detail TEXT`],
  // v5: event dedupe keys WITHOUT ROWID (small rows written 10 per batch: the key's own B-tree instead of a table
  // plus its primary-key index)
  [
    `CREATE TABLE seen_messages_v5 (id TEXT PRIMARY KEY, batch_id TEXT NOT NULL, seen_at INTEGER NOT NULL) WITHOUT ROWID`,
    `INSERT INTO seen_messages_v5 (id, batch_id, seen_at) SELECT id, batch_id, seen_at FROM seen_messages`,
    `DROP TABLE seen_messages`,
    `ALTER TABLE seen_messages_v5 RENAME TO seen_messages`,
    `CREATE INDEX IF NOT EXISTS seen_messages_at ON seen_messages (seen_at)`,
  ],
  // v6: the history as one row per batch (`event_batches`, its events as one JSON array; the `events` view gives one
  // row per event to readers): a batch of 10 events was 10 rows in three B-trees (`events`, its primary key,
  // `events_ts`) plus as many deleted later, now one row in two. The dedupe keys lose `seen_messages_at`: their
  // expiry is a scan in the daily prune.
  [
    `DROP INDEX IF EXISTS seen_messages_at`,
    `CREATE TABLE event_batches (key TEXT PRIMARY KEY, batch_id TEXT NOT NULL, workspace_id INTEGER NOT NULL, n INTEGER NOT NULL, ts INTEGER NOT NULL, events TEXT NOT NULL)`,
    // Rows keyed and cut as History.insertRows writes a batch (chunks of HISTORY_SLACK events in the batch's order, the
    // row order the old table kept; key: batch, workspace, the chunk's first event id), so a redelivery of a batch
    // stored before v6 finds its rows and adds nothing.
    `INSERT INTO event_batches (key, batch_id, workspace_id, n, ts, events)
     SELECT batch_id || ':' || workspace_id || ':' || first_id, batch_id, workspace_id, count(*), max(ts), json_group_array(json_array(id, event_type, name, ts, detail) ORDER BY r)
     FROM (SELECT *, first_value(id) OVER (PARTITION BY batch_id, workspace_id, chunk ORDER BY r) AS first_id
           FROM (SELECT rowid AS r, *, (row_number() OVER (PARTITION BY batch_id, workspace_id ORDER BY rowid) - 1) / ${HISTORY_SLACK} AS chunk FROM events))
     GROUP BY batch_id, workspace_id, chunk`,
    `DROP TABLE events`,
    `CREATE VIEW events AS SELECT e.value ->> 0 AS id, b.batch_id AS batch_id, b.workspace_id AS workspace_id, e.value ->> 1 AS event_type, e.value ->> 2 AS name, e.value ->> 3 AS ts, e.value ->> 4 AS detail FROM event_batches b, json_each(b.events) e`,
  ],
];

type Versioned = { readonly name: string; readonly schema: readonly (readonly string[])[] };

/**
 * The versions are one `meta` row, `schema_version`: the core's number, then ` name:number` per module
 * (`"4 calculatedAttributes:1"`; a profile from before modules holds just `"3"`). One row, so an erased
 * profile's storage is still a single meta row.
 */
function parseVersions(text: string | undefined): { core: number; modules: Map<string, number> } {
  const [core, ...rest] = (text ?? "0").split(" ");
  return { core: Number(core), modules: new Map(rest.map((p) => [p.slice(0, p.lastIndexOf(":")), Number(p.slice(p.lastIndexOf(":") + 1))])) };
}

/** Brings a profile's storage to the latest schema versions: the core's, then each module's (nothing written when current). */
export function migrateProfile(sql: SqlStorage, modules: readonly Versioned[] = []): void {
  sql.exec(`CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)`);
  const row = sql.exec<{ value: string }>(`SELECT value FROM meta WHERE key = 'schema_version'`).toArray()[0];
  const at = parseVersions(row?.value);
  const want = [String(VERSIONS.length), ...modules.filter((m) => m.schema.length).map((m) => `${m.name}:${m.schema.length}`)].join(" ");
  // Current schema (every wake-up of an existing profile): one read, nothing to write.
  if (row && row.value === want) return;
  for (let v = at.core; v < VERSIONS.length; v++) for (const stmt of VERSIONS[v]!) sql.exec(stmt);
  for (const m of modules) for (let v = at.modules.get(m.name) ?? 0; v < m.schema.length; v++) for (const stmt of m.schema[v]!) sql.exec(stmt);
  sql.exec(`INSERT INTO meta (key, value) VALUES ('schema_version', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`, want);
}
