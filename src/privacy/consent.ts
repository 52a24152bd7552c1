/**
 * Consent state (mparticle-api.md §2.10, seed 002 "Data privacy controls"), pure: reading a batch's
 * `consent_state` against the workspace's privacy settings, the GPC record, and merging records into a
 * user's stored state (newer wins). The UserProfile object loads, calls `mergeConsent`, and stores.
 */
import { CCPA_PURPOSE, normalizePurpose, type PrivacyConfig, purposeRejection, type Regulation } from "./config";

/** One stored decision of a user for one regulation + purpose. */
export type ConsentRecord = {
  consented: boolean;
  document: string | null;
  timestamp_unixtime_ms: number;
  location: string | null;
  hardware_id: string | null;
};

export type ConsentEntry = { regulation: Regulation; purpose: string; record: ConsentRecord };

/** A user's consent state in the batch format: GDPR purposes by name, CCPA `data_sale_opt_out`. */
export type ConsentState = { gdpr?: Record<string, ConsentRecord>; ccpa?: { data_sale_opt_out?: ConsentRecord } };

/** A consent state as outputs read it (fields may be missing in batches not built from a profile). */
export type ConsentStateLike = { gdpr?: Record<string, Partial<ConsentRecord>>; ccpa?: { data_sale_opt_out?: Partial<ConsentRecord> } };

/** One change a batch made: the record before (null: none) and after. */
export type ConsentChange = { regulation: Regulation; purpose: string; old: ConsentRecord | null; new: ConsentRecord };

/** Document recorded for consent derived from a `Sec-GPC: 1` request header. */
export const GPC_DOCUMENT = "global_privacy_control";

/** What the profile's ingest applies: explicit entries, the GPC entry, and the key that makes a redelivery idempotent. */
export type ConsentInput = {
  /** Batch id + part offset: a redelivered part gets the changes it made the first time. */
  key: string;
  entries: ConsentEntry[];
  gpc?: ConsentEntry;
};

/** Key of one regulation + purpose in a map of records. */
export const consentKey = (regulation: string, purpose: string) => `${regulation}\u0000${purpose}`;

const str = (v: unknown): string | null => (typeof v === "string" && v !== "" ? v : null);

/**
 * A batch purpose object as a record; null when `consented` is not a boolean or `timestamp_unixtime_ms` is
 * missing or not a number (both required, mparticle-api.md §2.10): an undated record given the receipt time
 * would beat every dated decision the user made before, so it is dropped instead.
 */
function toRecord(v: unknown): ConsentRecord | null {
  if (!v || typeof v !== "object") return null;
  const o = v as Record<string, unknown>;
  if (typeof o.consented !== "boolean") return null;
  if (typeof o.timestamp_unixtime_ms !== "number" || !Number.isFinite(o.timestamp_unixtime_ms)) return null;
  return { consented: o.consented, document: str(o.document), timestamp_unixtime_ms: Math.trunc(o.timestamp_unixtime_ms), location: str(o.location), hardware_id: str(o.hardware_id) };
}

/**
 * The entries of a batch's `consent_state` the workspace accepts, and counts of the rest by drop reason
 * (`consent_regulation_disabled`, `consent_unknown_purpose`, `consent_invalid`: no boolean `consented` or no
 * numeric `timestamp_unixtime_ms`). Purpose names are trimmed and lowercased; two names that normalize alike
 * keep the newer record.
 */
export function consentEntries(consentState: unknown, cfg: PrivacyConfig): { entries: ConsentEntry[]; dropped: Record<string, number> } {
  const dropped: Record<string, number> = {};
  const drop = (reason: string) => (dropped[reason] = (dropped[reason] ?? 0) + 1);
  const byKey = new Map<string, ConsentEntry>();
  if (!consentState || typeof consentState !== "object") return { entries: [], dropped };
  for (const [regulation, purposes] of Object.entries(consentState as Record<string, unknown>)) {
    if (!purposes || typeof purposes !== "object") continue;
    for (const [name, value] of Object.entries(purposes as Record<string, unknown>)) {
      if (value === null || value === undefined) continue;
      const purpose = normalizePurpose(name);
      const rejected = purposeRejection(cfg, regulation, purpose);
      if (rejected) {
        drop(rejected);
        continue;
      }
      const record = toRecord(value);
      if (!record) {
        drop("consent_invalid");
        continue;
      }
      const key = consentKey(regulation, purpose);
      const prev = byKey.get(key);
      if (!prev || record.timestamp_unixtime_ms >= prev.record.timestamp_unixtime_ms) byKey.set(key, { regulation: regulation as Regulation, purpose, record });
    }
  }
  return { entries: [...byKey.values()], dropped };
}

/**
 * The consent a `Sec-GPC: 1` request records under the workspace's mapping, at receipt time, or null when
 * GPC is not mapped or the batch carries an explicit decision for the same purpose (the explicit decision
 * wins: it is the user's own choice for this business, which CCPA regulations let prevail over the
 * browser-wide signal).
 */
export function gpcEntry(cfg: PrivacyConfig, receivedAt: number, explicit: ConsentEntry[]): ConsentEntry | null {
  const g = cfg.gpc;
  if (!g || purposeRejection(cfg, g.regulation, g.purpose)) return null;
  if (explicit.some((e) => e.regulation === g.regulation && e.purpose === g.purpose)) return null;
  return { regulation: g.regulation, purpose: g.purpose, record: { consented: g.consented, document: GPC_DOCUMENT, timestamp_unixtime_ms: receivedAt, location: null, hardware_id: null } };
}

const sameContent = (a: ConsentRecord, b: ConsentRecord) => a.consented === b.consented && a.document === b.document && a.location === b.location && a.hardware_id === b.hardware_id;

/**
 * Merges a batch's entries into the stored records (keyed by `consentKey`). Rules:
 * - no stored record: stored (a change);
 * - older than the stored record: ignored (counted in `stale`);
 * - same decision, document, location and hardware id as stored, newer: the newer record is stored (`writes`)
 *   but it is no change (no notification), so an older, different record cannot win afterwards;
 * - same content and time as stored: nothing;
 * - otherwise, newer or equally old: replaces the stored record (equal timestamps: the later-received one wins).
 * GPC is applied last and only when the stored decision differs from what GPC records, with the same rules.
 * `writes` holds every record to store (the changed ones and the re-dated ones), one per key.
 */
export function mergeConsent(
  stored: ReadonlyMap<string, ConsentRecord>,
  entries: ConsentEntry[],
  gpc?: ConsentEntry | null,
): { changes: ConsentChange[]; writes: ConsentEntry[]; stale: number } {
  const current = new Map(stored);
  const changes = new Map<string, ConsentChange>();
  const writes = new Map<string, ConsentEntry>();
  let stale = 0;
  const apply = (e: ConsentEntry) => {
    const k = consentKey(e.regulation, e.purpose);
    const old = current.get(k) ?? null;
    if (old && e.record.timestamp_unixtime_ms < old.timestamp_unixtime_ms) {
      stale++;
      return;
    }
    if (old && sameContent(old, e.record)) {
      if (e.record.timestamp_unixtime_ms === old.timestamp_unixtime_ms) return;
      current.set(k, e.record);
      writes.set(k, e);
      const earlier = changes.get(k);
      if (earlier) changes.set(k, { ...earlier, new: e.record });
      return;
    }
    current.set(k, e.record);
    writes.set(k, e);
    const first = changes.get(k);
    changes.set(k, { regulation: e.regulation, purpose: e.purpose, old: first ? first.old : old, new: e.record });
  };
  for (const e of entries) apply(e);
  if (gpc && current.get(consentKey(gpc.regulation, gpc.purpose))?.consented !== gpc.record.consented) apply(gpc);
  return { changes: [...changes.values()], writes: [...writes.values()], stale };
}

/** Stored records as a batch-format consent state (empty regulations omitted). */
export function toConsentState(records: Iterable<ConsentEntry>): ConsentState {
  const state: ConsentState = {};
  for (const { regulation, purpose, record } of records) {
    if (regulation === "gdpr") (state.gdpr ??= {})[purpose] = record;
    else if (regulation === "ccpa" && purpose === CCPA_PURPOSE) state.ccpa = { data_sale_opt_out: record };
  }
  return state;
}

/** True when the state holds no record. */
export function isEmptyConsent(s: ConsentState): boolean {
  return !s.ccpa?.data_sale_opt_out && Object.keys(s.gdpr ?? {}).length === 0;
}

/** The record of one regulation + purpose in a state, or undefined. */
export function recordOf(s: ConsentState, regulation: Regulation, purpose: string): ConsentRecord | undefined {
  return regulation === "gdpr" ? s.gdpr?.[purpose] : purpose === CCPA_PURPOSE ? s.ccpa?.data_sale_opt_out : undefined;
}
