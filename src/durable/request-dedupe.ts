/**
 * RequestDedupe: one object per input + shard (hash of `source_request_id` over REQUEST_DEDUPE_SHARDS).
 * Holds the request keys of the last 35 days and the batch that claimed each one; an alarm deletes expired
 * keys in bounded steps. Growth: one row per batch with a `source_request_id` (~100 B, measured; docs/scale.md),
 * 35 days (plus at most one sweep); spread over the input's shards, never in D1.
 */
import { DurableObject } from "cloudflare:workers";
import { DAY_MS } from "../lib/time";

/** How long request ids are remembered (mparticle-api.md §1.6: at least 30 days). */
export const REQUEST_DEDUPE_MS = 35 * DAY_MS;
/** Keys one alarm step reads at most, in key order, deleting the expired ones (one bounded statement). */
export const EXPIRY_STEP = 2_000;
/** Delay between the steps of a sweep. */
const EXPIRY_AGAIN_MS = 1_000;

/**
 * One row per key, no secondary index: a claim writes one row (a `received_at` index would double every
 * insert and delete, and rows written are what SQLite storage bills). Expiry sweeps the table in key order,
 * EXPIRY_STEP keys per alarm, and starts the next sweep when the oldest key it kept expires.
 */
const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS request_keys (request_key TEXT PRIMARY KEY, batch_id TEXT NOT NULL, received_at INTEGER NOT NULL) WITHOUT ROWID`,
  // Where the sweep is (key order) and the oldest key it kept so far.
  `CREATE TABLE IF NOT EXISTS sweep (id INTEGER PRIMARY KEY CHECK (id = 1), cursor TEXT NOT NULL, oldest INTEGER)`,
];

/** A key to claim for a batch. */
export type RequestClaim = { key: string; batchId: string };

export class RequestDedupe extends DurableObject<Env> {
  private sql: SqlStorage;
  /** Whether an expiry alarm is known to be set (saves the storage read on every claim). */
  private alarmSet = false;
  /** `sweep.oldest` as this instance last wrote it (undefined: unknown); a claim at a later time needs not write it. */
  private oldest: number | null | undefined;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    ctx.blockConcurrencyWhile(async () => {
      for (const s of SCHEMA) this.sql.exec(s);
    });
  }

  /**
   * Claims every key for its batch at `now`; returns the keys that are duplicates (held by another batch
   * within the last 35 days). A key older than 35 days counts as free even before the alarm removed it, so
   * the window is exact.
   */
  async claim(claims: RequestClaim[], now: number): Promise<RequestClaim[]> {
    const dups: RequestClaim[] = [];
    const cutoff = now - REQUEST_DEDUPE_MS;
    let inserted = false;
    for (const c of claims) {
      // One statement for the usual case, a new key (or one past the window, replaced); a row comes back when written.
      const written = this.sql
        .exec(
          `INSERT INTO request_keys (request_key, batch_id, received_at) VALUES (?, ?, ?)
           ON CONFLICT (request_key) DO UPDATE SET batch_id = excluded.batch_id, received_at = excluded.received_at WHERE request_keys.received_at < ?
           RETURNING 1`,
          c.key, c.batchId, now, cutoff,
        )
        .toArray().length > 0;
      if (written) {
        inserted = true;
        continue;
      }
      // Held within the window: a duplicate unless this batch holds it (a redelivery).
      const row = this.sql.exec<{ batch_id: string }>(`SELECT batch_id FROM request_keys WHERE request_key = ?`, c.key).one();
      if (row.batch_id !== c.batchId) dups.push(c);
    }
    // The sweep learns the oldest key written since it started, even behind its cursor; `oldest` only moves to an
    // earlier time, so with keys written at later times it is one write per sweep, not per call.
    if (inserted && (this.oldest == null || now < this.oldest)) {
      this.oldest = this.sql
        .exec<{ oldest: number }>(`INSERT INTO sweep (id, cursor, oldest) VALUES (1, '', ?) ON CONFLICT (id) DO UPDATE SET oldest = MIN(COALESCE(oldest, excluded.oldest), excluded.oldest) RETURNING oldest`, now)
        .one().oldest;
    }
    if (!this.alarmSet) {
      // The first key since the table was empty: a sweep when it expires (a running sweep keeps its own alarm).
      if ((await this.ctx.storage.getAlarm()) === null) await this.ctx.storage.setAlarm(Math.max(Date.now() + EXPIRY_AGAIN_MS, now + REQUEST_DEDUPE_MS));
      this.alarmSet = true;
    }
    return dups;
  }

  /** The claims whose key another batch holds within the 35 days before `now`: the read side used while shards are re-counted. */
  held(keys: RequestClaim[], now: number): RequestClaim[] {
    const cutoff = now - REQUEST_DEDUPE_MS;
    const out: RequestClaim[] = [];
    for (const c of keys) {
      const row = this.sql.exec<{ batch_id: string }>(`SELECT batch_id FROM request_keys WHERE request_key = ? AND received_at >= ?`, c.key, cutoff).toArray()[0];
      if (row && row.batch_id !== c.batchId) out.push(c);
    }
    return out;
  }

  /** Number of keys stored (tests and the scale bench). */
  size(): number {
    return this.sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM request_keys`).one().n;
  }

  /** One sweep step: reads EXPIRY_STEP keys after the cursor, deletes the expired ones, schedules the next step or sweep. */
  override async alarm(): Promise<void> {
    const now = Date.now();
    const cutoff = now - REQUEST_DEDUPE_MS;
    const state = this.sql.exec<{ cursor: string; oldest: number | null }>(`SELECT cursor, oldest FROM sweep WHERE id = 1`).toArray()[0] ?? { cursor: "", oldest: null };
    const page = this.sql
      .exec<{ last: string | null; kept: number | null; n: number }>(
        `SELECT MAX(request_key) AS last, MIN(CASE WHEN received_at >= ? THEN received_at END) AS kept, COUNT(*) AS n
         FROM (SELECT request_key, received_at FROM request_keys WHERE request_key > ? ORDER BY request_key LIMIT ?)`,
        cutoff,
        state.cursor,
        EXPIRY_STEP,
      )
      .one();
    this.sql.exec(
      `DELETE FROM request_keys WHERE request_key IN (SELECT request_key FROM request_keys WHERE request_key > ? ORDER BY request_key LIMIT ?) AND received_at < ?`,
      state.cursor,
      EXPIRY_STEP,
      cutoff,
    );
    const oldest = page.kept === null ? state.oldest : state.oldest === null ? page.kept : Math.min(state.oldest, page.kept);
    if (page.n === EXPIRY_STEP && page.last !== null) {
      // More keys after this page: the next step of the same sweep.
      this.sql.exec(`INSERT OR REPLACE INTO sweep (id, cursor, oldest) VALUES (1, ?, ?)`, page.last, oldest);
      this.oldest = oldest;
      await this.ctx.storage.setAlarm(now + EXPIRY_AGAIN_MS);
      return;
    }
    // Sweep done: the next one when the oldest key kept expires (none when the table is empty).
    this.sql.exec(`INSERT OR REPLACE INTO sweep (id, cursor, oldest) VALUES (1, '', NULL)`);
    this.oldest = null;
    this.alarmSet = oldest !== null;
    if (oldest !== null) await this.ctx.storage.setAlarm(Math.max(now + EXPIRY_AGAIN_MS, oldest + REQUEST_DEDUPE_MS));
  }
}
