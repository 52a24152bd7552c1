/**
 * IdentityIndex: one object per identity scope + identity type + hash(value); holds the MPIDs that hold the
 * value, most recently seen first. For a unique identity type there is at most one: claims are
 * compare-and-set, so two racing claims end with exactly one owner.
 */
import { DurableObject } from "cloudflare:workers";
import { sha256HexSync } from "../lib/crypto";

/** Most owners remembered for a shared (non-unique) value, e.g. a device used by many users. */
const MAX_SHARED_OWNERS = 50;
/** Owners returned by `lookup()`. */
const LOOKUP_LIMIT = 20;
const OWNERS_TABLE = `CREATE TABLE IF NOT EXISTS owners (mpid TEXT PRIMARY KEY, seen_at INTEGER NOT NULL)`;
/** Records an owner, or refreshes its `seen_at`. */
const UPSERT_OWNER = `INSERT INTO owners (mpid, seen_at) VALUES (?, ?) ON CONFLICT(mpid) DO UPDATE SET seen_at = excluded.seen_at`;

export class IdentityIndex extends DurableObject<Env> {
  private sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    // One table; `CREATE … IF NOT EXISTS` is the whole cold-start cost (no schema probing).
    ctx.blockConcurrencyWhile(async () => {
      this.sql.exec(OWNERS_TABLE);
    });
  }

  /** The MPIDs holding the value, most recently seen first. */
  lookup(): string[] {
    return this.sql.exec<{ mpid: string }>(`SELECT mpid FROM owners ORDER BY seen_at DESC, mpid LIMIT ?`, LOOKUP_LIMIT).toArray().map((r) => r.mpid);
  }

  /**
   * Records `mpid` as holding the value. For a unique type it only succeeds when nobody else holds it
   * (compare-and-set). Returns the owners after the call, most recent first.
   */
  claim(mpid: string, unique: boolean): string[] {
    const now = Date.now();
    if (unique) {
      const others = this.sql.exec(`SELECT 1 FROM owners WHERE mpid != ? LIMIT 1`, mpid).toArray().length > 0;
      if (!others) this.sql.exec(UPSERT_OWNER, mpid, now);
      return this.lookup();
    }
    this.sql.exec(UPSERT_OWNER, mpid, now);
    this.sql.exec(`DELETE FROM owners WHERE mpid NOT IN (SELECT mpid FROM owners ORDER BY seen_at DESC LIMIT ?)`, MAX_SHARED_OWNERS);
    return this.lookup();
  }

  /**
   * Takes a unique value over from owners that no longer hold it, only if they are exactly `stale` and
   * claimed it more than `graceMs` ago (a fresh claim whose profile write is still under way is kept).
   * Returns the owners after the call.
   */
  takeOverIfStale(mpid: string, stale: string[], graceMs: number): string[] {
    const cutoff = Date.now() - graceMs;
    const others = this.sql.exec<{ mpid: string; seen_at: number }>(`SELECT mpid, seen_at FROM owners WHERE mpid != ?`, mpid).toArray();
    if (others.length && others.every((o) => stale.includes(o.mpid) && o.seen_at < cutoff)) this.takeOver(mpid);
    return this.lookup();
  }

  /** Makes `mpid` the only owner (a modify that takes a unique id); returns the previous other owners. */
  takeOver(mpid: string): string[] {
    const previous = this.lookup().filter((m) => m !== mpid);
    this.sql.exec(`DELETE FROM owners WHERE mpid != ?`, mpid);
    this.sql.exec(UPSERT_OWNER, mpid, Date.now());
    return previous;
  }

  /** Removes `mpid` from the owners; returns whether it was one. */
  release(mpid: string): boolean {
    return this.sql.exec(`DELETE FROM owners WHERE mpid = ?`, mpid).rowsWritten > 0;
  }

  /**
   * Erasure (DSR): removes `mpid`, and when no owner is left drops the object's whole storage so nothing of
   * the value's history remains. Returns whether `mpid` was an owner.
   */
  async erase(mpid: string): Promise<boolean> {
    const was = this.release(mpid);
    if (this.sql.exec(`SELECT 1 FROM owners LIMIT 1`).toArray().length === 0) {
      await this.ctx.blockConcurrencyWhile(async () => {
        await this.ctx.storage.deleteAll();
        this.sql.exec(OWNERS_TABLE);
      });
    }
    return was;
  }

  /** Every owner (no lookup limit), most recent first: erasure checks each for a dangling entry. */
  owners(): { mpid: string; seenAt: number }[] {
    return this.sql.exec<{ mpid: string; seen_at: number }>(`SELECT mpid, seen_at FROM owners ORDER BY seen_at DESC, mpid`).toArray().map((r) => ({ mpid: r.mpid, seenAt: r.seen_at }));
  }
}

/** Value hashes remembered per isolate (a known user's identities recur batch after batch); cleared when full. */
const HASH_MEMO_MAX = 4096;
const valueHashes = new Map<string, string>();

/** Hex SHA-256 of an identity value, memoized per isolate (bounded). */
export function identityValueHash(value: string): string {
  let h = valueHashes.get(value);
  if (h === undefined) {
    h = sha256HexSync(value);
    if (valueHashes.size >= HASH_MEMO_MAX) valueHashes.clear();
    valueHashes.set(value, h);
  }
  return h;
}

/** Object name for an identity value: no raw PII in names, only its hash. */
export function identityIndexNameSync(scope: string, type: string, value: string): string {
  return `${scope}|${type}|${identityValueHash(value)}`;
}

/** `identityIndexNameSync` for callers that await it. */
export async function identityIndexName(scope: string, type: string, value: string): Promise<string> {
  return identityIndexNameSync(scope, type, value);
}
