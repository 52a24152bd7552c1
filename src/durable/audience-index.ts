/**
 * AudienceIndex: the members of an audience, sharded (a Worker cannot list Durable Objects), so connecting an
 * output can upload the current members first (backfill, docs/audience-outputs.md). One object per audience +
 * shard; the audience-changes consumer applies each invocation's changes in one call per shard. Per member: the
 * latest change (last write wins by change time, so redelivered or reordered messages settle the same way) and
 * the member snapshot it carried. A member who left stays as a small tombstone (no snapshot) for a day, so an
 * older "add" arriving late cannot bring them back (the alarm drops them; a deleted audience's members all end so).
 * Growth: one row per current member (~0.3–2 KB with the snapshot), spread over AUDIENCE_INDEX_SHARDS objects.
 */
import { DurableObject } from "cloudflare:workers";
import type { AudienceMember } from "../integrations/runtime/audience-types";
import { DAY_MS } from "../lib/time";
import { shardOf } from "../lib/shard";

/** Shards per audience: a backfill reads them one after another, a page at a time. */
export const AUDIENCE_INDEX_SHARDS = 16;
/** Most members one `page` call answers. */
export const INDEX_PAGE_MAX = 1000;

/** Shard of a member (FNV-1a of the MPID). */
export function indexShard(mpid: string): number {
  return shardOf(mpid, AUDIENCE_INDEX_SHARDS);
}

export const indexName = (audienceId: number, shard: number) => `${audienceId}:${shard}`;

/** One change as the index takes it: the member is required for adds (their data is what backfill uploads). */
export type IndexChange = { action: "add" | "delete"; ts: number; member: AudienceMember };

export class AudienceIndex extends DurableObject<Env> {
  private sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    ctx.blockConcurrencyWhile(async () => {
      this.sql.exec(`CREATE TABLE IF NOT EXISTS members (mpid TEXT PRIMARY KEY, present INTEGER NOT NULL, ts INTEGER NOT NULL, member TEXT)`);
    });
  }

  /** Applies changes (last write wins by `ts`); answers how many rows changed. Tombstones are pruned by the alarm a day later. */
  async apply(changes: IndexChange[]): Promise<number> {
    let n = 0;
    this.ctx.storage.transactionSync(() => {
      for (const c of changes) {
        const present = c.action === "add" ? 1 : 0;
        const r = this.sql.exec(
          `INSERT INTO members (mpid, present, ts, member) VALUES (?, ?, ?, ?)
           ON CONFLICT (mpid) DO UPDATE SET present = excluded.present, ts = excluded.ts, member = excluded.member WHERE excluded.ts >= members.ts`,
          c.member.mpid,
          present,
          c.ts,
          present ? JSON.stringify(c.member) : null,
        );
        n += r.rowsWritten > 0 ? 1 : 0;
      }
    });
    if (changes.some((c) => c.action === "delete") && (await this.ctx.storage.getAlarm()) === null) await this.ctx.storage.setAlarm(Date.now() + DAY_MS);
    return n;
  }

  /** Drops tombstones older than a day (bounded steps), and comes back while some are left. */
  override async alarm(): Promise<void> {
    this.sql.exec(`DELETE FROM members WHERE mpid IN (SELECT mpid FROM members WHERE present = 0 AND ts < ? LIMIT 5000)`, Date.now() - DAY_MS);
    const left = this.sql.exec<{ at: number | null }>(`SELECT min(ts) AS at FROM members WHERE present = 0`).one().at;
    if (left !== null) await this.ctx.storage.setAlarm(Math.max(Date.now() + 1000, left + DAY_MS));
  }

  /**
   * Current members after `after` (MPID order), at most `limit` (≤ INDEX_PAGE_MAX), with the time they joined;
   * each member as its JSON text (`AudienceMember`: attribute values are not an RPC-serializable type).
   */
  page(after: string, limit: number): { members: { member: string; ts: number }[]; next: string | null } {
    const rows = this.sql
      .exec<{ mpid: string; ts: number; member: string }>(`SELECT mpid, ts, member FROM members WHERE present = 1 AND mpid > ? ORDER BY mpid LIMIT ?`, after, Math.min(limit, INDEX_PAGE_MAX))
      .toArray();
    const full = rows.length === Math.min(limit, INDEX_PAGE_MAX);
    return { members: rows.map((r) => ({ member: r.member, ts: r.ts })), next: full ? rows[rows.length - 1]!.mpid : null };
  }
}
