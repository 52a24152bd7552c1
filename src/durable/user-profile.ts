/**
 * UserProfile: one object per identity scope + MPID. Holds identities, workspace-scoped user attributes
 * (last write wins by timestamp), devices and event dedupe keys; `ingest()` applies one batch and returns
 * what the outbound batch is enriched with. Merge rules live in `profile-merge.ts`.
 */
import { DurableObject } from "cloudflare:workers";
import { DEVICE_IDENTITY_TYPES, type Identity } from "../identity/identity-types";
import { DAY_MS } from "../lib/time";
import { type AttributeValue, attributeWrites, liveAttributes, type StoredAttribute } from "./profile-merge";

const SCHEMA_VERSION = 1;
/** Event `source_message_id`s are remembered this long (mparticle-api.md §1.6: 30–60 days). */
export const MESSAGE_DEDUPE_MS = 30 * DAY_MS;

export type ProfileIngest = {
  mpid: string;
  workspaceId: number;
  batchId: string;
  /** Time of the batch's data (latest event time, else receipt): orders attribute writes. */
  ts: number;
  identities: Identity[];
  userAttributes?: Record<string, AttributeValue>;
  deletedUserAttributes?: string[];
  /** `source_message_id` per event (null when absent), in event order. */
  messageIds: (string | null)[];
};

export type ProfileIdentity = { type: string; value: string; firstSeen: number; createdThisBatch: boolean };

export type ProfileIngestResult =
  | { status: "ok"; createdAt: number; identities: ProfileIdentity[]; attributes: Record<string, AttributeValue>; duplicates: number[] }
  /** The profile already holds a different customer id: the batch belongs to another user. */
  | { status: "conflict"; customerId: string };

export class UserProfile extends DurableObject<Env> {
  private sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    ctx.blockConcurrencyWhile(async () => this.migrate());
  }

  private migrate() {
    this.sql.exec(`CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)`);
    if (Number(this.meta("schema_version") ?? 0) >= SCHEMA_VERSION) return;
    this.sql.exec(`
      CREATE TABLE IF NOT EXISTS identities (type TEXT NOT NULL, value TEXT NOT NULL, first_seen INTEGER NOT NULL, last_seen INTEGER NOT NULL, PRIMARY KEY (type, value));
      CREATE TABLE IF NOT EXISTS attributes (workspace_id INTEGER NOT NULL, name TEXT NOT NULL, value TEXT, ts INTEGER NOT NULL, deleted INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (workspace_id, name));
      CREATE TABLE IF NOT EXISTS seen_messages (id TEXT PRIMARY KEY, batch_id TEXT NOT NULL, seen_at INTEGER NOT NULL);
      CREATE INDEX IF NOT EXISTS seen_messages_at ON seen_messages (seen_at);
    `);
    this.sql.exec(`INSERT INTO meta (key, value) VALUES ('schema_version', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`, String(SCHEMA_VERSION));
  }

  private meta(key: string): string | undefined {
    return this.sql.exec<{ value: string }>(`SELECT value FROM meta WHERE key = ?`, key).toArray()[0]?.value;
  }

  /** Applies one batch: identities, attributes, event dedupe. Idempotent for a redelivered batch id. */
  ingest(input: ProfileIngest): ProfileIngestResult {
    const now = Date.now();
    const cust = input.identities.find((i) => i.type === "customerid");
    if (cust) {
      const held = this.sql.exec<{ value: string }>(`SELECT value FROM identities WHERE type = 'customerid'`).toArray()[0];
      if (held && held.value !== cust.value) return { status: "conflict", customerId: held.value };
    }
    let createdAt = Number(this.meta("created_at") ?? 0);
    return this.ctx.storage.transactionSync(() => {
      if (!createdAt) {
        createdAt = now;
        this.sql.exec(`INSERT INTO meta (key, value) VALUES ('created_at', ?), ('mpid', ?)`, String(now), input.mpid);
      }
      const created = new Set<string>();
      for (const id of input.identities) {
        const exists = this.sql.exec(`SELECT 1 FROM identities WHERE type = ? AND value = ?`, id.type, id.value).toArray().length > 0;
        if (exists) {
          this.sql.exec(`UPDATE identities SET last_seen = ? WHERE type = ? AND value = ?`, now, id.type, id.value);
          continue;
        }
        // A user identity has one current value per type; devices accumulate.
        if (!DEVICE_IDENTITY_TYPES.has(id.type)) this.sql.exec(`DELETE FROM identities WHERE type = ?`, id.type);
        this.sql.exec(`INSERT INTO identities (type, value, first_seen, last_seen) VALUES (?, ?, ?, ?)`, id.type, id.value, now, now);
        created.add(`${id.type}\u0000${id.value}`);
      }

      const current = new Map<string, StoredAttribute>();
      for (const r of this.sql.exec<{ name: string; value: string | null; ts: number; deleted: number }>(
        `SELECT name, value, ts, deleted FROM attributes WHERE workspace_id = ?`,
        input.workspaceId,
      )) {
        current.set(r.name, { value: r.value === null ? null : JSON.parse(r.value), ts: r.ts, deleted: r.deleted === 1 });
      }
      const writes = attributeWrites(current, input.userAttributes, input.deletedUserAttributes, input.ts);
      for (const w of writes) {
        this.sql.exec(
          `INSERT INTO attributes (workspace_id, name, value, ts, deleted) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (workspace_id, name) DO UPDATE SET value = excluded.value, ts = excluded.ts, deleted = excluded.deleted`,
          input.workspaceId, w.name, w.deleted ? null : JSON.stringify(w.value), w.ts, w.deleted ? 1 : 0,
        );
      }

      const duplicates: number[] = [];
      input.messageIds.forEach((id, i) => {
        if (!id) return;
        const seen = this.sql.exec<{ batch_id: string }>(`SELECT batch_id FROM seen_messages WHERE id = ?`, id).toArray()[0];
        // Seen under this same batch id means a redelivery of this batch: forward again, never skip.
        if (seen && seen.batch_id !== input.batchId) duplicates.push(i);
        else if (!seen) this.sql.exec(`INSERT INTO seen_messages (id, batch_id, seen_at) VALUES (?, ?, ?)`, id, input.batchId, now);
      });
      this.pruneDedupe(now);

      const identities = this.sql
        .exec<{ type: string; value: string; first_seen: number }>(`SELECT type, value, first_seen FROM identities ORDER BY type, first_seen`)
        .toArray()
        .map((r) => ({ type: r.type, value: r.value, firstSeen: r.first_seen, createdThisBatch: created.has(`${r.type}\u0000${r.value}`) }));
      return { status: "ok" as const, createdAt, identities, attributes: liveAttributes(current, writes), duplicates };
    });
  }

  /** Deletes dedupe keys past their window, at most once a day per profile. */
  private pruneDedupe(now: number) {
    const last = Number(this.meta("pruned_at") ?? 0);
    if (now - last < DAY_MS) return;
    this.sql.exec(`DELETE FROM seen_messages WHERE seen_at < ?`, now - MESSAGE_DEDUPE_MS);
    this.sql.exec(`INSERT INTO meta (key, value) VALUES ('pruned_at', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`, String(now));
  }

  /** The stored profile: identities and the attributes of one workspace. */
  profile(workspaceId: number): { createdAt: number; identities: ProfileIdentity[]; attributes: Record<string, AttributeValue> } {
    const identities = this.sql
      .exec<{ type: string; value: string; first_seen: number }>(`SELECT type, value, first_seen FROM identities ORDER BY type, first_seen`)
      .toArray()
      .map((r) => ({ type: r.type, value: r.value, firstSeen: r.first_seen, createdThisBatch: false }));
    const attributes: Record<string, AttributeValue> = {};
    for (const r of this.sql.exec<{ name: string; value: string | null }>(
      `SELECT name, value FROM attributes WHERE workspace_id = ? AND deleted = 0`,
      workspaceId,
    )) {
      attributes[r.name] = r.value === null ? null : JSON.parse(r.value);
    }
    return { createdAt: Number(this.meta("created_at") ?? 0), identities, attributes };
  }
}

/** Object name for a profile: scope + MPID. */
export function userProfileName(scope: string, mpid: string): string {
  return `${scope}|${mpid}`;
}
