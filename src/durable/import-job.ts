/**
 * ImportJob: one object per CSV import (src/imports/); holds where the import stopped (checkpoint) and its first
 * rejected rows. The import's parse steps are its only writer: each commit stores the checkpoint, the counts and
 * the new rejected rows in one transaction, after the rows before the checkpoint were queued.
 * Multipart uploads keep their parts' ETags and hashes here until completed.
 * Growth: one checkpoint row, one row per uploaded part, at most `REJECTED_KEPT` rejected rows (each < 80 KB); deleted with nothing else.
 */
import { DurableObject } from "cloudflare:workers";

/** Rejected rows kept per import (issue 24: the first 1,000, downloadable as CSV). */
export const REJECTED_KEPT = 1_000;

/** Where an import stopped: every record up to here (in file order) was queued or rejected. */
export type ImportCheckpoint = {
  /** Zip entry index (0 for .csv and .csv.gz) whose records are being read. */
  entry: number;
  /** Records of that entry consumed, the header included. */
  records: number;
  /** Byte offset just past the last consumed record (plain .csv: a resumed step reads from here). */
  offset: number;
  /** Last line consumed in that entry. */
  line: number;
  /** The entry's header cells, once read. */
  header: string[] | null;
  rowsRead: number;
  rowsAccepted: number;
  rowsRejected: number;
};

export type UploadedPart = { n: number; etag: string; sha256: string; size: number };

export type RejectedRow = { file: string; line: number; reason: string; row: string };

export class ImportJob extends DurableObject<Env> {
  private sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    ctx.blockConcurrencyWhile(async () => {
      this.sql.exec(`CREATE TABLE IF NOT EXISTS checkpoint (id INTEGER PRIMARY KEY CHECK (id = 1), value TEXT NOT NULL)`);
      this.sql.exec(`CREATE TABLE IF NOT EXISTS parts (n INTEGER PRIMARY KEY, etag TEXT NOT NULL, sha256 TEXT NOT NULL, size INTEGER NOT NULL)`);
      this.sql.exec(`CREATE TABLE IF NOT EXISTS rejected (seq INTEGER PRIMARY KEY AUTOINCREMENT, file TEXT NOT NULL, line INTEGER NOT NULL, reason TEXT NOT NULL, row TEXT NOT NULL)`);
    });
  }

  /** The last committed checkpoint, or null before the first commit. */
  checkpoint(): ImportCheckpoint | null {
    const r = this.sql.exec<{ value: string }>(`SELECT value FROM checkpoint WHERE id = 1`).toArray()[0];
    return r ? (JSON.parse(r.value) as ImportCheckpoint) : null;
  }

  /** Stores `cp` and keeps `rejected` rows while fewer than REJECTED_KEPT are kept, in one transaction. */
  commit(cp: ImportCheckpoint, rejected: RejectedRow[]): void {
    this.ctx.storage.transactionSync(() => {
      let kept = this.sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM rejected`).one().n;
      for (const r of rejected) {
        if (kept >= REJECTED_KEPT) break;
        this.sql.exec(`INSERT INTO rejected (file, line, reason, row) VALUES (?, ?, ?, ?)`, r.file, r.line, r.reason, r.row);
        kept++;
      }
      this.sql.exec(`INSERT INTO checkpoint (id, value) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET value = excluded.value`, JSON.stringify(cp));
    });
  }

  /** Records an uploaded multipart part (a part uploaded again replaces it). */
  putPart(n: number, etag: string, sha256: string, size: number): void {
    this.sql.exec(`INSERT INTO parts (n, etag, sha256, size) VALUES (?, ?, ?, ?) ON CONFLICT (n) DO UPDATE SET etag = excluded.etag, sha256 = excluded.sha256, size = excluded.size`, n, etag, sha256, size);
  }

  /** The uploaded parts in part order. */
  parts(): UploadedPart[] {
    return this.sql.exec<UploadedPart>(`SELECT n, etag, sha256, size FROM parts ORDER BY n`).toArray();
  }

  /** The kept rejected rows in file order (at most `limit`). */
  rejected(limit = REJECTED_KEPT): RejectedRow[] {
    return this.sql.exec<RejectedRow>(`SELECT file, line, reason, row FROM rejected ORDER BY seq LIMIT ?`, limit).toArray();
  }
}
