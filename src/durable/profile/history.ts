/**
 * Event dedupe keys and the bounded event history. `seen_messages`: one row per event `source_message_id`
 * (kept 30 days). The history: one row per batch in `event_batches` (its accepted events as one JSON array of
 * `[id, type, name, time, detail]`, the detail up to 2 KB), read through the `events` view (one row per event);
 * whole batches are cut, oldest first, once the history passes `HISTORY_LIMIT + HISTORY_SLACK` events (and by
 * the daily prune) down to the newest batches holding at least `HISTORY_LIMIT` events.
 */
import { DAY_MS } from "../../lib/time";
import type { ProfileStore } from "./store";
import type { EventDetail, HistoryEvent, ProfileEvent } from "./events";

/** Event `source_message_id`s are remembered this long (mparticle-api.md §1.6: 30–60 days). */
export const MESSAGE_DEDUPE_MS = 30 * DAY_MS;
/** Events kept in a profile's history (for alias, user activity and calculated attribute backfills). */
export const HISTORY_LIMIT = 500;
/** Events the history may hold beyond `HISTORY_LIMIT` before it is cut back (between daily prunes). */
export const HISTORY_SLACK = 100;
/** An event's detail (attributes, products, promotions) is kept in the history up to this JSON size; larger ones keep none. */
export const HISTORY_DETAIL_MAX_CHARS = 2048;

/** The stored text of a detail (null when absent, empty or over `HISTORY_DETAIL_MAX_CHARS`). */
function detailText(detail: EventDetail | undefined): string | null {
  if (!detail) return null;
  const text = JSON.stringify(detail);
  return text === "{}" || text.length > HISTORY_DETAIL_MAX_CHARS ? null : text;
}

export class History {
  /** Events in the history as far as this instance knows (exact: every insert and cut counts its rows; undefined: not counted yet). */
  private count: number | undefined;

  constructor(private readonly store: ProfileStore) {
    store.onReset(() => (this.count = undefined));
  }

  /**
   * Claims event `source_message_id`s for this batch in one statement (existing claims are kept as they are).
   * `duplicates`: the event indexes already claimed by another batch (a redelivery of the same batch id is not a
   * duplicate). `allIds`: every event has an id. `seenBefore`: all ids and every one claimed before this call, so the
   * batch's other events were claimed by this batch earlier: it is a redelivery (ids are kept MESSAGE_DEDUPE_MS).
   */
  claimMessageIds(messageIds: (string | null)[], batchId: string, now: number): { duplicates: number[]; allIds: boolean; seenBefore: boolean } {
    const sql = this.store.sql;
    const rows = messageIds.map((id, i) => ({ id, i })).filter((r): r is { id: string; i: number } => !!r.id);
    const owner = new Map<string, string>();
    if (!rows.length) return { duplicates: [], allIds: false, seenBefore: false };
    const allIds = rows.length === messageIds.length;
    // One statement whatever the batch size (the ids as one JSON array, read with json_each).
    const ids = JSON.stringify(rows.map((r) => r.id));
    const written = sql.exec(`INSERT OR IGNORE INTO seen_messages (id, batch_id, seen_at) SELECT value, ?, ? FROM json_each(?)`, batchId, now, ids).rowsWritten;
    // Every row new (the usual case): all ours. Otherwise read who holds the ids (an earlier batch, or this one).
    const seenBefore = written === 0 && allIds;
    if (written !== rows.length) {
      const cursor = sql.exec<{ id: string; batch_id: string }>(`SELECT id, batch_id FROM seen_messages WHERE id IN (SELECT value FROM json_each(?))`, ids);
      for (const r of cursor) owner.set(r.id, r.batch_id);
    }
    // Within one batch, a repeated id is a duplicate after its first occurrence.
    const firstIndex = new Map<string, number>();
    const duplicates: number[] = [];
    for (const r of rows) {
      const first = firstIndex.get(r.id);
      if (first === undefined) firstIndex.set(r.id, r.i);
      if ((owner.get(r.id) ?? batchId) !== batchId || first !== undefined) duplicates.push(r.i);
    }
    return { duplicates, allIds, seenBefore };
  }

  /**
   * Appends a batch's events to the history: one row for a batch of up to `HISTORY_SLACK` events (a redelivered
   * batch part, with the same first event, is not added twice). Past `HISTORY_LIMIT + HISTORY_SLACK` events, the
   * oldest rows go, so a busy user's object stays bounded between the daily prunes too. Returns the events added
   * (0 for a batch part already there: a redelivery).
   */
  append(events: ProfileEvent[], batchId: string, workspaceId: number): number {
    const added = this.insertRows(batchId, workspaceId, events.map((e) => [e.id, e.eventType, e.name, e.ts, detailText(e.detail)]));
    if (!added) return 0;
    const count = (this.count ?? this.rowCount()) + added;
    this.count = count > HISTORY_LIMIT + HISTORY_SLACK ? this.cut(count) : count;
    return added;
  }

  /**
   * A batch's events (`[id, type, name, time, detail]` each) as history rows of at most HISTORY_SLACK events (one for
   * a usual batch): a cut keeps the newest rows holding at least HISTORY_LIMIT events, so the history never holds
   * more than HISTORY_LIMIT + HISTORY_SLACK - 1 after it. A row already there (same batch, same first event) is kept.
   * Returns the events added.
   */
  private insertRows(batchId: string, workspaceId: number, events: [string, string, string | null, number, string | null][]): number {
    let added = 0;
    for (let k = 0; k < events.length; k += HISTORY_SLACK) {
      const rows = events.slice(k, k + HISTORY_SLACK);
      let ts = rows[0]![3];
      for (const r of rows) if (r[3] > ts) ts = r[3];
      const written = this.store.sql.exec(
        `INSERT OR IGNORE INTO event_batches (key, batch_id, workspace_id, n, ts, events) VALUES (?, ?, ?, ?, ?, ?)`,
        `${batchId}:${workspaceId}:${rows[0]![0]}`, batchId, workspaceId, rows.length, ts, JSON.stringify(rows),
      ).rowsWritten;
      if (written) added += rows.length;
    }
    return added;
  }

  /**
   * Deletes the oldest batches while the newer ones hold at least `HISTORY_LIMIT` events; the events left (`count`:
   * the events held before, exact, so the rows deleted tell it; unknown: counted again).
   */
  private cut(count?: number): number {
    let deleted = 0;
    for (const r of this.store.sql.exec<{ n: number }>(
      `DELETE FROM event_batches WHERE key IN (SELECT key FROM (SELECT key, sum(n) OVER (ORDER BY ts DESC, key DESC) - n AS newer FROM event_batches) WHERE newer >= ?) RETURNING n`,
      HISTORY_LIMIT,
    )) deleted += r.n;
    return count === undefined ? this.rowCount() : count - deleted;
  }

  /** The workspace's history with details, oldest first (what a calculated attribute's backfill reads). */
  replay(workspaceId: number): ProfileEvent[] {
    return this.store.sql
      .exec<{ id: string; event_type: string; name: string | null; ts: number; detail: string | null }>(`SELECT id, event_type, name, ts, detail FROM events WHERE workspace_id = ? ORDER BY ts, id`, workspaceId)
      .toArray()
      .map((r) => ({ id: r.id, eventType: r.event_type, name: r.name, ts: r.ts, ...(r.detail ? { detail: JSON.parse(r.detail) as EventDetail } : {}) }));
  }

  private rowCount(): number {
    return this.store.sql.exec<{ n: number }>(`SELECT coalesce(sum(n), 0) AS n FROM event_batches`).one().n;
  }

  /** Copies events received from another profile (alias): one history row per batch they came in. */
  import(events: HistoryEvent[]): void {
    const groups = new Map<string, HistoryEvent[]>();
    for (const e of events) {
      const k = `${e.batchId}:${e.workspaceId}`;
      const g = groups.get(k);
      if (g) g.push(e);
      else groups.set(k, [e]);
    }
    for (const g of groups.values()) this.insertRows(g[0]!.batchId, g[0]!.workspaceId, g.map((e) => [e.id, e.eventType, e.name, e.ts, null]));
    this.count = undefined;
  }

  /** History events selected by `clause` (a fixed WHERE / ORDER BY / LIMIT text with its bindings). */
  rows(clause: string, ...bindings: number[]): HistoryEvent[] {
    return this.store.sql
      .exec<{ id: string; batch_id: string; workspace_id: number; event_type: string; name: string | null; ts: number }>(
        `SELECT id, batch_id, workspace_id, event_type, name, ts FROM events ${clause}`,
        ...bindings,
      )
      .toArray()
      .map((r) => ({ id: r.id, batchId: r.batch_id, workspaceId: r.workspace_id, eventType: r.event_type, name: r.name, ts: r.ts }));
  }

  /** Deletes dedupe keys past their window and history past its bound. */
  prune(now: number): void {
    this.store.sql.exec(`DELETE FROM seen_messages WHERE seen_at < ?`, now - MESSAGE_DEDUPE_MS);
    this.count = this.cut();
  }

  /** The workspace's events, for an export. */
  exportRows(workspaceId: number): { id: string; batch_id: string; event_type: string; name: string | null; timestamp_ms: number }[] {
    return this.store.sql
      .exec<{ id: string; batch_id: string; event_type: string; name: string | null; ts: number }>(`SELECT id, batch_id, event_type, name, ts FROM events WHERE workspace_id = ? ORDER BY ts`, workspaceId)
      .toArray()
      .map((r) => ({ id: r.id, batch_id: r.batch_id, event_type: r.event_type, name: r.name, timestamp_ms: r.ts }));
  }
}
