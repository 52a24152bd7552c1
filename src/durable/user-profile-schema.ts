/**
 * Versioned SQLite schema of UserProfile, applied in the constructor under blockConcurrencyWhile: the core
 * tables (identities, attributes, history, consent) under `schema_version`, each per-batch module's tables
 * under its own `schema_version:<name>` (its `schema` list in `profile/<module>.ts`).
 */

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
];

type Versioned = { readonly name: string; readonly schema: readonly (readonly string[])[] };

/** Applies the versions of one schema past the one recorded under `key` (nothing written when current). */
function migrate(sql: SqlStorage, key: string, versions: readonly (readonly string[])[], current: Map<string, string>): void {
  const recorded = current.get(key);
  let version = Number(recorded ?? 0);
  if (recorded !== undefined && version === versions.length) return;
  for (; version < versions.length; version++) for (const stmt of versions[version]!) sql.exec(stmt);
  sql.exec(`INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`, key, String(version));
}

/** Brings a profile's storage to the latest schema versions: the core's, then each module's. */
export function migrateProfile(sql: SqlStorage, modules: readonly Versioned[] = []): void {
  sql.exec(`CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)`);
  const keys = ["schema_version", ...modules.map((m) => `schema_version:${m.name}`)];
  const current = new Map(
    sql.exec<{ key: string; value: string }>(`SELECT key, value FROM meta WHERE key IN (${keys.map(() => "?").join(", ")})`, ...keys).toArray().map((r) => [r.key, r.value]),
  );
  // Current schema (every wake-up of an existing profile): one read, nothing to write.
  migrate(sql, "schema_version", VERSIONS, current);
  for (const m of modules) if (m.schema.length) migrate(sql, `schema_version:${m.name}`, m.schema, current);
}
