/**
 * RequestDedupe: one object per input + shard (hash of `source_request_id` over REQUEST_DEDUPE_SHARDS).
 * Holds the request keys of the last 35 days and the batch that claimed each one; an alarm deletes expired
 * keys in bounded steps. Growth: one row per batch with a `source_request_id` (150 B with its index,
 * measured; docs/scale.md), 35 days; spread over the input's shards, never in D1.
 */
import { DurableObject } from "cloudflare:workers";
import { DAY_MS } from "../lib/time";

/** How long request ids are remembered (mparticle-api.md §1.6: at least 30 days). */
export const REQUEST_DEDUPE_MS = 35 * DAY_MS;
/** Keys one alarm deletes at most (one bounded statement; the alarm comes back at once while more are due). */
export const EXPIRY_STEP = 2_000;
/** Delay before the next expiry step while expired keys remain. */
const EXPIRY_AGAIN_MS = 1_000;

const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS request_keys (request_key TEXT PRIMARY KEY, batch_id TEXT NOT NULL, received_at INTEGER NOT NULL) WITHOUT ROWID`,
  `CREATE INDEX IF NOT EXISTS request_keys_received ON request_keys (received_at)`,
];

/** A key to claim for a batch. */
export type RequestClaim = { key: string; batchId: string };

export class RequestDedupe extends DurableObject<Env> {
  private sql: SqlStorage;
  /** Whether an expiry alarm is known to be set (saves the storage read on every claim). */
  private alarmSet = false;

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
    for (const c of claims) {
      const row = this.sql.exec<{ batch_id: string; received_at: number }>(`SELECT batch_id, received_at FROM request_keys WHERE request_key = ?`, c.key).toArray()[0];
      if (row && row.received_at >= cutoff) {
        if (row.batch_id !== c.batchId) dups.push(c);
        continue;
      }
      this.sql.exec(`INSERT OR REPLACE INTO request_keys (request_key, batch_id, received_at) VALUES (?, ?, ?)`, c.key, c.batchId, now);
    }
    if (!this.alarmSet) {
      if ((await this.ctx.storage.getAlarm()) === null) await this.scheduleNext(Date.now());
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

  /** Deletes at most EXPIRY_STEP expired keys, then schedules the next step (soon while more are due). */
  override async alarm(): Promise<void> {
    const now = Date.now();
    this.sql.exec(
      `DELETE FROM request_keys WHERE request_key IN (SELECT request_key FROM request_keys WHERE received_at < ? ORDER BY received_at LIMIT ?)`,
      now - REQUEST_DEDUPE_MS,
      EXPIRY_STEP,
    );
    await this.scheduleNext(now);
  }

  /** The alarm goes off when the oldest key expires (in EXPIRY_AGAIN_MS if it has already); none when empty. */
  private async scheduleNext(now: number): Promise<void> {
    const oldest = this.sql.exec<{ t: number | null }>(`SELECT MIN(received_at) AS t FROM request_keys`).one().t;
    this.alarmSet = oldest !== null;
    if (oldest === null) return;
    const due = oldest + REQUEST_DEDUPE_MS;
    await this.ctx.storage.setAlarm(due <= now ? now + EXPIRY_AGAIN_MS : due);
  }
}
