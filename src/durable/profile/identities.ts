/**
 * Identities of a profile (user and device). Table `identities`: one row per (type, value), ~60 bytes;
 * grows with the user's identities, not with traffic.
 */
import { DEVICE_IDENTITY_TYPES, type Identity } from "../../identity/identity-types";
import { type KeepTypes, keepsType } from "../../identity/public-key";
import type { ProfileStore } from "./store";

/** Identity and profile "last seen" times are rewritten at most this often. */
export const LAST_SEEN_RESOLUTION_MS = 60_000;

export type ProfileIdentity = { type: string; value: string; firstSeen: number; createdThisBatch: boolean };
type IdentityRow = { type: string; value: string; first_seen: number; last_seen: number };

export class Identities {
  /**
   * The identities table as `SELECT … ORDER BY type, first_seen` returned it (same rows, same order); dropped
   * whenever a row is added or removed (the next read selects again), kept when only `last_seen` changes.
   */
  private idRows: IdentityRow[] | undefined;

  constructor(private readonly store: ProfileStore) {
    store.onReset(() => (this.idRows = undefined));
  }

  private rows(): IdentityRow[] {
    return (this.idRows ??= this.store.sql.exec<IdentityRow>(`SELECT type, value, first_seen, last_seen FROM identities ORDER BY type, first_seen`).toArray());
  }

  /** The identities, flagged when their key is in `created`. */
  list(created?: Set<string>): ProfileIdentity[] {
    return this.rows().map((r) => ({ type: r.type, value: r.value, firstSeen: r.first_seen, createdThisBatch: created?.has(`${r.type}\u0000${r.value}`) ?? false }));
  }

  /** The identities as (type, value). */
  plain(): Identity[] {
    return this.rows().map(({ type, value }) => ({ type, value }));
  }

  /** Deletes identity rows (the cached rows are dropped first: a failing statement leaves no stale copy). */
  delete(ids: Identity[]): void {
    if (ids.length) this.idRows = undefined;
    for (const r of ids) this.store.sql.exec(`DELETE FROM identities WHERE type = ? AND value = ?`, r.type, r.value);
  }

  /**
   * Adds identities (a user identity type keeps one value unless `multiValued`); returns the keys created
   * and pushes replaced values onto `replaced` (the caller releases them from the index). A value of a type
   * in `keep` that the profile already holds with another value is not added (nothing is replaced).
   */
  add(ids: Identity[], now: number, multiValued = false, replaced: Identity[] = [], keep?: KeepTypes): Set<string> {
    const created = new Set<string>();
    if (ids.length === 0) return created;
    const sql = this.store.sql;
    const current = new Map<string, IdentityRow>();
    for (const r of this.rows()) current.set(`${r.type}\u0000${r.value}`, r);
    for (const id of ids) {
      const k = `${id.type}\u0000${id.value}`;
      const row = current.get(k);
      if (row !== undefined) {
        if (now - row.last_seen >= LAST_SEEN_RESOLUTION_MS) {
          sql.exec(`UPDATE identities SET last_seen = ? WHERE type = ? AND value = ?`, now, id.type, id.value);
          // Same rows, same order: the cached copy (if this row is still in it) only needs the new time.
          row.last_seen = now;
        }
        continue;
      }
      if (!multiValued && !DEVICE_IDENTITY_TYPES.has(id.type)) {
        if (keepsType(keep, id.type) && this.rows().some((r) => r.type === id.type)) continue;
        this.idRows = undefined;
        for (const r of sql.exec<{ value: string }>(`SELECT value FROM identities WHERE type = ?`, id.type)) replaced.push({ type: id.type, value: r.value });
        sql.exec(`DELETE FROM identities WHERE type = ?`, id.type);
      }
      this.idRows = undefined;
      sql.exec(`INSERT INTO identities (type, value, first_seen, last_seen) VALUES (?, ?, ?, ?)`, id.type, id.value, now, now);
      created.add(k);
    }
    return created;
  }

  /** Every identity with its times, for an export. */
  exportRows(): { type: string; value: string; first_seen_ms: number; last_seen_ms: number }[] {
    return this.store.sql
      .exec<IdentityRow>(`SELECT type, value, first_seen, last_seen FROM identities ORDER BY type, first_seen`)
      .toArray()
      .map((r) => ({ type: r.type, value: r.value, first_seen_ms: r.first_seen, last_seen_ms: r.last_seen }));
  }
}
