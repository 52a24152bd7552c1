/**
 * IdentityIndex: one object per identity scope + identity type + hash(value); holds the MPID that owns the
 * value. Claims are compare-and-set, so two racing claims end with exactly one owner.
 */
import { DurableObject } from "cloudflare:workers";
import { sha256Hex } from "../lib/crypto";

export class IdentityIndex extends DurableObject<Env> {
  private sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    // Schema v1. A later version adds its statements here, guarded by what already exists.
    ctx.blockConcurrencyWhile(async () => {
      this.sql.exec(`CREATE TABLE IF NOT EXISTS owner (k INTEGER PRIMARY KEY CHECK (k = 1), mpid TEXT NOT NULL, claimed_at INTEGER NOT NULL)`);
    });
  }

  /** The owning MPID, or null. */
  lookup(): string | null {
    const row = this.sql.exec<{ mpid: string }>(`SELECT mpid FROM owner WHERE k = 1`).toArray()[0];
    return row?.mpid ?? null;
  }

  /** Claims the value for `mpid` if unowned; returns the owner after the call (which may be another MPID). */
  claim(mpid: string): string {
    this.sql.exec(`INSERT INTO owner (k, mpid, claimed_at) VALUES (1, ?, ?) ON CONFLICT(k) DO NOTHING`, mpid, Date.now());
    return this.lookup()!;
  }

  /** Releases the value if `mpid` owns it; returns whether it did. */
  release(mpid: string): boolean {
    return this.sql.exec(`DELETE FROM owner WHERE k = 1 AND mpid = ?`, mpid).rowsWritten > 0;
  }
}

/** Object name for an identity value: no raw PII in names, only its hash. */
export async function identityIndexName(scope: string, type: string, value: string): Promise<string> {
  return `${scope}|${type}|${await sha256Hex(value)}`;
}
