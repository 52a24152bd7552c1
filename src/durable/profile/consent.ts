/**
 * Consent per workspace (rules: `src/privacy/consent.ts`). Table `consent`: one row per (workspace,
 * regulation, purpose); `consent_changes`: the changes each batch part made (kept 30 days, for redeliveries).
 */
import { type ConsentChange, type ConsentEntry, type ConsentInput, type ConsentRecord, type ConsentState, consentKey, mergeConsent, toConsentState } from "../../privacy/consent";
import type { ProfileStore } from "./store";

export type ConsentResult = {
  /** The workspace's consent state after this batch. */
  consent: ConsentState;
  /** Consent records this batch part changed (the same list again when the part is redelivered). */
  consentChanges: ConsentChange[];
  /** Consent records ignored because the stored record is newer. */
  consentStale: number;
};

export class Consent {
  /** Consent records per workspace as `of` read them; dropped when a batch writes consent. */
  private cache = new Map<number, Map<string, ConsentEntry>>();

  constructor(private readonly store: ProfileStore) {
    store.onReset(() => this.cache.clear());
  }

  /** The workspace's consent records (the cached map: callers copy it before changing it). */
  of(workspaceId: number): Map<string, ConsentEntry> {
    const cached = this.cache.get(workspaceId);
    if (cached) return cached;
    const out = new Map<string, ConsentEntry>();
    for (const r of this.store.sql.exec<{ regulation: string; purpose: string; consented: number; document: string | null; ts: number; location: string | null; hardware_id: string | null }>(
      `SELECT regulation, purpose, consented, document, ts, location, hardware_id FROM consent WHERE workspace_id = ? ORDER BY regulation, purpose`,
      workspaceId,
    )) {
      const record: ConsentRecord = { consented: r.consented === 1, document: r.document, timestamp_unixtime_ms: r.ts, location: r.location, hardware_id: r.hardware_id };
      out.set(consentKey(r.regulation, r.purpose), { regulation: r.regulation as ConsentEntry["regulation"], purpose: r.purpose, record });
    }
    this.cache.set(workspaceId, out);
    return out;
  }

  /** The workspace's consent state. */
  state(workspaceId: number): ConsentState {
    return toConsentState(this.of(workspaceId).values());
  }

  /**
   * Merges a batch's consent into the workspace's records (newer wins, `mergeConsent`) and remembers the
   * changes under the part's key, so a redelivered part reports the same changes instead of none.
   */
  apply(workspaceId: number, input: ConsentInput | undefined, now: number): ConsentResult {
    const sql = this.store.sql;
    let stored = this.of(workspaceId);
    if (!input || (input.entries.length === 0 && !input.gpc)) return { consent: toConsentState(stored.values()), consentChanges: [], consentStale: 0 };
    const before = sql.exec<{ changes: string }>(`SELECT changes FROM consent_changes WHERE batch_key = ?`, input.key).toArray()[0];
    if (before) return { consent: toConsentState(stored.values()), consentChanges: JSON.parse(before.changes) as ConsentChange[], consentStale: 0 };
    const records = new Map([...stored].map(([k, e]) => [k, e.record]));
    const { changes, writes, stale } = mergeConsent(records, input.entries, input.gpc);
    if (writes.length) {
      // The next read selects again (in SQLite's order); this answer is built on a copy.
      this.cache.delete(workspaceId);
      stored = new Map(stored);
    }
    // `writes`: the changed records and the re-dated ones (same decision, newer time: stored, not a change).
    for (const c of writes) {
      const r = c.record;
      sql.exec(
        `INSERT INTO consent (workspace_id, regulation, purpose, consented, document, ts, location, hardware_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (workspace_id, regulation, purpose) DO UPDATE SET consented = excluded.consented, document = excluded.document, ts = excluded.ts, location = excluded.location, hardware_id = excluded.hardware_id`,
        workspaceId, c.regulation, c.purpose, r.consented ? 1 : 0, r.document, r.timestamp_unixtime_ms, r.location, r.hardware_id,
      );
      stored.set(consentKey(c.regulation, c.purpose), { regulation: c.regulation, purpose: c.purpose, record: r });
    }
    if (changes.length) sql.exec(`INSERT INTO consent_changes (batch_key, workspace_id, changes, at) VALUES (?, ?, ?, ?)`, input.key, workspaceId, JSON.stringify(changes), now);
    return { consent: toConsentState(stored.values()), consentChanges: changes, consentStale: stale };
  }

  /** Drops redelivery records past `before`. */
  prune(before: number): void {
    this.store.sql.exec(`DELETE FROM consent_changes WHERE at < ?`, before);
  }
}
