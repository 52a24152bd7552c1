/**
 * `source_request_id` dedupe per input (mparticle-api.md §1.6), kept at least 30 days in D1. The first
 * batch to claim a key owns it; a redelivery of that same batch (same batch id) is not a duplicate, so a
 * retried ingest message is processed again rather than skipped.
 */
import { DAY_MS } from "../lib/time";
import type { IngestItem } from "./messages";

/** How long request ids are remembered (the cron deletes older keys). */
export const REQUEST_DEDUPE_MS = 35 * DAY_MS;
/** D1 binds at most 100 parameters per statement: 4 per row. */
const ROWS_PER_STATEMENT = 25;

/** The dedupe key of an item, or null when its batch has no `source_request_id`. Parts of a split batch dedupe separately. */
export function requestKey(item: IngestItem): string | null {
  const id = item.batch.source_request_id;
  if (typeof id !== "string" || id === "") return null;
  return item.part ? `${id}#${item.part.index}/${item.part.count}` : id;
}

/**
 * Claims the keys of `claims` in one D1 round trip; returns the set of "inputId|key|batchId" entries that
 * are duplicates (their key belongs to another batch).
 */
export async function claimRequestKeys(db: D1Database, claims: { inputId: number; key: string; batchId: string }[], now: number): Promise<Set<string>> {
  const dups = new Set<string>();
  if (claims.length === 0) return dups;
  const stmts: D1PreparedStatement[] = [];
  for (let i = 0; i < claims.length; i += ROWS_PER_STATEMENT) {
    const rows = claims.slice(i, i + ROWS_PER_STATEMENT);
    stmts.push(
      db
        .prepare(
          `INSERT INTO request_dedupe (input_id, request_key, batch_id, received_at) VALUES ${rows.map(() => "(?, ?, ?, ?)").join(", ")}
           ON CONFLICT (input_id, request_key) DO UPDATE SET request_key = excluded.request_key
           RETURNING input_id, request_key, batch_id`,
        )
        .bind(...rows.flatMap((r) => [r.inputId, r.key, r.batchId, now])),
    );
  }
  const owner = new Map<string, string>();
  for (const res of await db.batch<{ input_id: number; request_key: string; batch_id: string }>(stmts)) {
    for (const r of res.results) owner.set(`${r.input_id}|${r.request_key}`, r.batch_id);
  }
  for (const c of claims) {
    const o = owner.get(`${c.inputId}|${c.key}`);
    if (o !== undefined && o !== c.batchId) dups.add(`${c.inputId}|${c.key}|${c.batchId}`);
  }
  return dups;
}
