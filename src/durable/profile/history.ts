/**
 * Event dedupe keys and the bounded event history. `seen_messages`: one row per event `source_message_id`
 * (kept 30 days); `events`: one row per accepted event (type, name, time and its detail up to 2 KB), cut back
 * to the newest `HISTORY_LIMIT` rows when a batch would pass `HISTORY_LIMIT + HISTORY_SLACK` and by the daily
 * prune: ~1.3 MB at the limit as measured.
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
  /** Rows in `events` as far as this instance knows (an upper bound; undefined: not counted yet). */
  private count: number | undefined;

  constructor(private readonly store: ProfileStore) {
    store.onReset(() => (this.count = undefined));
  }

  /**
   * Claims event `source_message_id`s for this batch in multi-row statements (existing claims are kept as they
   * are); returns the event indexes
   * already claimed by another batch (a redelivery of the same batch id is not a duplicate).
   */
  claimMessageIds(messageIds: (string | null)[], batchId: string, now: number): number[] {
    const sql = this.store.sql;
    const rows = messageIds.map((id, i) => ({ id, i })).filter((r): r is { id: string; i: number } => !!r.id);
    const owner = new Map<string, string>();
    if (!rows.length) return [];
    // One statement whatever the batch size (the ids as one JSON array, read with json_each).
    const ids = JSON.stringify(rows.map((r) => r.id));
    const written = sql.exec(`INSERT OR IGNORE INTO seen_messages (id, batch_id, seen_at) SELECT value, ?, ? FROM json_each(?)`, batchId, now, ids).rowsWritten;
    // Every row new (the usual case): all ours. Otherwise read who holds the ids (an earlier batch, or this one).
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
    return duplicates;
  }

  /**
   * Appends events to the history in multi-row statements (ids already present are kept). The history is cut
   * back to `HISTORY_LIMIT` whenever a batch would take it past `HISTORY_LIMIT + HISTORY_SLACK`, so a busy user's
   * object stays bounded between the daily prunes too.
   */
  append(events: ProfileEvent[], batchId: string, workspaceId: number): void {
    if (!events.length) return;
    const before = this.count ?? this.rowCount();
    if (before + events.length > HISTORY_LIMIT + HISTORY_SLACK) {
      this.store.sql.exec(`DELETE FROM events WHERE id NOT IN (SELECT id FROM events ORDER BY ts DESC LIMIT ?)`, HISTORY_LIMIT);
      this.count = this.rowCount() + events.length;
    } else this.count = before + events.length;
    // One statement with three bindings whatever the batch size: the rows travel as one JSON text that SQLite
    // reads with json_each (a binding per value costs more than the JSON, and the statement text never varies).
    const rows = events.map((e) => [e.id, e.eventType, e.name, e.ts, detailText(e.detail)]);
    this.store.sql.exec(
      `INSERT OR IGNORE INTO events (id, batch_id, workspace_id, event_type, name, ts, detail) SELECT value ->> 0, ?, ?, value ->> 1, value ->> 2, value ->> 3, value ->> 4 FROM json_each(?)`,
      batchId, workspaceId, JSON.stringify(rows),
    );
  }

  /** The workspace's history with details, oldest first (what a calculated attribute's backfill reads). */
  replay(workspaceId: number): ProfileEvent[] {
    return this.store.sql
      .exec<{ id: string; event_type: string; name: string | null; ts: number; detail: string | null }>(`SELECT id, event_type, name, ts, detail FROM events WHERE workspace_id = ? ORDER BY ts, id`, workspaceId)
      .toArray()
      .map((r) => ({ id: r.id, eventType: r.event_type, name: r.name, ts: r.ts, ...(r.detail ? { detail: JSON.parse(r.detail) as EventDetail } : {}) }));
  }

  private rowCount(): number {
    return this.store.sql.exec<{ n: number }>(`SELECT count(*) AS n FROM events`).one().n;
  }

  /** Copies events received from another profile (alias). */
  import(events: HistoryEvent[]): void {
    this.count = undefined;
    for (const e of events) {
      this.store.sql.exec(`INSERT OR IGNORE INTO events (id, batch_id, workspace_id, event_type, name, ts) VALUES (?, ?, ?, ?, ?, ?)`, e.id, e.batchId, e.workspaceId, e.eventType, e.name, e.ts);
    }
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
    this.store.sql.exec(`DELETE FROM events WHERE id NOT IN (SELECT id FROM events ORDER BY ts DESC LIMIT ?)`, HISTORY_LIMIT);
    this.count = undefined;
  }

  /** The workspace's events, for an export. */
  exportRows(workspaceId: number): { id: string; batch_id: string; event_type: string; name: string | null; timestamp_ms: number }[] {
    return this.store.sql
      .exec<{ id: string; batch_id: string; event_type: string; name: string | null; ts: number }>(`SELECT id, batch_id, event_type, name, ts FROM events WHERE workspace_id = ? ORDER BY ts`, workspaceId)
      .toArray()
      .map((r) => ({ id: r.id, batch_id: r.batch_id, event_type: r.event_type, name: r.name, timestamp_ms: r.ts }));
  }
}
