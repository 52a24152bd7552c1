/**
 * The uploader's members table: per user, the state the audience wants (`want`, last write wins by change
 * time) and the state last uploaded (`sent`). A user is pending (`dirty`) while the two differ, so an add then
 * a delete inside one window — or a delete then an add of someone already uploaded — sends nothing, and
 * redelivered or reordered queue messages settle the same way. `member` is the newest snapshot, kept only
 * while it is needed (pending, or uploaded as a member); `forget` (erasure) deletes the row once the removal
 * is uploaded. Growth: one row per user who was ever pending (~100 B, plus the snapshot while it is kept);
 * removed users' rows are dropped after TOMBSTONE_MS.
 */
import type { AudienceMember, MembershipChange } from "../../integrations/runtime/audience-types";
import { DAY_MS } from "../../lib/time";

type Action = "add" | "delete";
/** `replay`: a dead letter's change, taken again even at the same change time (otherwise that is a duplicate). */
export type PendingChange = { action: Action; ts: number; member: AudienceMember; forget?: boolean; replay?: boolean };
type Row = { mpid: string; want: Action; sent: Action | "dead" | null; ts: number; queued_at: number | null; member: string | null; forget: number };

/** How long a removed user's row is kept (to ignore older changes that arrive late). */
export const TOMBSTONE_MS = DAY_MS;

export const PENDING_SCHEMA = [
  `CREATE TABLE IF NOT EXISTS members (mpid TEXT PRIMARY KEY, want TEXT NOT NULL, sent TEXT, ts INTEGER NOT NULL, queued_at INTEGER, dirty INTEGER NOT NULL, member TEXT, forget INTEGER NOT NULL DEFAULT 0)`,
  `CREATE INDEX IF NOT EXISTS members_dirty ON members (dirty, want, queued_at)`,
  `CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)`,
];

export class PendingStore {
  constructor(private readonly sql: SqlStorage) {}

  /** Applies one change; older than the user's latest (or as old: a duplicate) is ignored. Answers whether the row changed. */
  apply(c: PendingChange, now: number): boolean {
    const row = this.sql.exec<Row>(`SELECT * FROM members WHERE mpid = ?`, c.member.mpid).toArray()[0];
    if (row && (c.ts < row.ts || (c.ts === row.ts && !c.replay))) return false;
    const sent = row?.sent ?? null;
    const dirty = c.action !== (sent ?? "delete");
    const queuedAt = dirty ? (row?.queued_at ?? now) : null;
    const keep = dirty || c.action === "add";
    const forget = c.forget ? 1 : 0;
    this.sql.exec(
      `INSERT INTO members (mpid, want, sent, ts, queued_at, dirty, member, forget) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (mpid) DO UPDATE SET want = excluded.want, ts = excluded.ts, queued_at = excluded.queued_at, dirty = excluded.dirty, member = excluded.member, forget = excluded.forget`,
      c.member.mpid,
      c.action,
      sent,
      c.ts,
      queuedAt,
      dirty ? 1 : 0,
      keep ? JSON.stringify(c.member) : null,
      forget,
    );
    if (forget && !dirty) this.sql.exec(`DELETE FROM members WHERE mpid = ?`, c.member.mpid);
    return true;
  }

  /** Pending count and oldest queue time of an action. */
  stats(action: Action): { count: number; oldest: number | null } {
    const r = this.sql.exec<{ n: number; oldest: number | null }>(`SELECT count(*) AS n, min(queued_at) AS oldest FROM members WHERE dirty = 1 AND want = ?`, action).one();
    return { count: r.n, oldest: r.oldest };
  }

  /** The oldest pending changes of the given actions, at most `limit`, each with the change time it carries. */
  take(actions: Action[], limit: number): { change: MembershipChange; ts: number }[] {
    if (!actions.length || limit <= 0) return [];
    const rows = this.sql
      .exec<Row>(`SELECT * FROM members WHERE dirty = 1 AND want IN (${actions.map(() => "?").join(", ")}) ORDER BY queued_at, mpid LIMIT ?`, ...actions, limit)
      .toArray();
    return rows.map((r) => ({ change: { action: r.want, member: r.member ? (JSON.parse(r.member) as AudienceMember) : empty(r.mpid) }, ts: r.ts }));
  }

  /**
   * Records what reached the partner. A user whose wanted state changed since keeps pending; an erased user's
   * row is deleted once the removal is recorded. `handled`: the change did not reach the partner but is done
   * with (a dead letter, a row the partner or module refused) — the partner's state is unknown ("dead"): not
   * counted as uploaded, and a replay of the same change is pending again.
   */
  settle(items: { mpid: string; action: Action }[], opts: { handled?: boolean } = {}): void {
    for (const { mpid, action: sentAction } of items) {
      const action = opts.handled ? "dead" : sentAction;
      this.sql.exec(
        `UPDATE members SET sent = ?, dirty = (want <> ?), queued_at = CASE WHEN want <> ? THEN queued_at ELSE NULL END,
         member = CASE WHEN want = 'delete' AND ? = 'delete' THEN NULL ELSE member END WHERE mpid = ?`,
        action,
        sentAction,
        sentAction,
        sentAction,
        mpid,
      );
      this.sql.exec(`DELETE FROM members WHERE mpid = ? AND forget = 1 AND dirty = 0`, mpid);
    }
  }

  /** Drops removed users' rows older than TOMBSTONE_MS (bounded per call). */
  prune(now: number): void {
    this.sql.exec(`DELETE FROM members WHERE mpid IN (SELECT mpid FROM members WHERE dirty = 0 AND want = 'delete' AND ts < ? LIMIT 1000)`, now - TOMBSTONE_MS);
  }

  /** Users uploaded as members (for the partner's documented removal on disconnect), after `after`. */
  uploaded(after: string, limit: number): AudienceMember[] {
    return this.sql
      .exec<Row>(`SELECT * FROM members WHERE sent = 'add' AND mpid > ? ORDER BY mpid LIMIT ?`, after, limit)
      .toArray()
      .map((r) => (r.member ? (JSON.parse(r.member) as AudienceMember) : empty(r.mpid)));
  }

  meta(key: string): string | undefined {
    return this.sql.exec<{ value: string }>(`SELECT value FROM meta WHERE key = ?`, key).toArray()[0]?.value;
  }

  setMeta(key: string, value: string | null): void {
    if (value === null) this.sql.exec(`DELETE FROM meta WHERE key = ?`, key);
    else this.sql.exec(`INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value);
  }
}

const empty = (mpid: string): AudienceMember => ({ mpid, user_identities: {}, device_identities: {}, user_attributes: {} });
