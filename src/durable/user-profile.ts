/**
 * UserProfile: one object per identity scope + MPID. Holds identities (user and device), workspace-scoped
 * user attributes (timestamp, source, source priority), event dedupe keys, a bounded event history and
 * alias roles. Merge rules live in `profile-merge.ts`; identity decisions in `identity/strategy.ts`.
 */
import { DurableObject } from "cloudflare:workers";
import { DEVICE_IDENTITY_TYPES, type Identity } from "../identity/identity-types";
import { eligible, type StrategyConfig } from "../identity/strategy";
import { type KeepTypes, keepsType, publicKeyModifyRefusal } from "../identity/public-key";
import { DAY_MS } from "../lib/time";
import { type AttributeValue, type AttributeWrite, attributeWrites, liveAttributes, type StoredAttribute } from "./profile-merge";
import { migrateProfile } from "./user-profile-schema";
import { type ConsentChange, type ConsentEntry, type ConsentInput, type ConsentRecord, type ConsentState, consentKey, mergeConsent, toConsentState } from "../privacy/consent";
import type { ProfileExport } from "../privacy/export-types";

/** Event `source_message_id`s are remembered this long (mparticle-api.md §1.6: 30–60 days). */
export const MESSAGE_DEDUPE_MS = 30 * DAY_MS;
/** Events kept in a profile's history (for alias and user activity). */
export const HISTORY_LIMIT = 500;
/** Identity and profile "last seen" times are rewritten at most this often. */
const LAST_SEEN_RESOLUTION_MS = 60_000;
/** Durable Object SQL binds at most 100 parameters per statement. */
const MAX_BINDINGS = 100;

export type ProfileIdentity = { type: string; value: string; firstSeen: number; createdThisBatch: boolean };
export type HistoryEvent = { id: string; batchId: string; workspaceId: number; eventType: string; name: string | null; ts: number };

export type ProfileIngest = {
  mpid: string;
  workspaceId: number;
  batchId: string;
  /** Time of the batch's data (latest event time, else receipt): orders attribute writes. */
  ts: number;
  /** Identities to record (already cleared of unique values other profiles hold). */
  identities: Identity[];
  /** Keep several values per user identity type (best match strategy). */
  multiValued?: boolean;
  /** Types whose held value this batch may not replace (batches received with the public key: "all"). */
  keep?: KeepTypes;
  source?: { input: number; rank: number };
  userAttributes?: Record<string, AttributeValue>;
  deletedUserAttributes?: string[];
  /** `source_message_id` per event (null when absent), in event order. */
  messageIds: (string | null)[];
  /** History entries for the events of this batch (message id, type, name, time). */
  events?: Omit<HistoryEvent, "batchId" | "workspaceId">[];
  /** Consent records of the batch the workspace accepts, and the GPC record (`src/privacy/consent.ts`). */
  consent?: ConsentInput;
};

export type ProfileView = {
  mpid: string;
  createdAt: number;
  lastSeen: number;
  identities: ProfileIdentity[];
  attributes: Record<string, AttributeValue>;
  attributeSources: Record<string, { ts: number; source: number | null; rank: number }>;
  /** The workspace's consent state of the user (empty object when none). */
  consent: ConsentState;
};

export type ProfileIngestResult = {
  status: "ok";
  createdAt: number;
  identities: ProfileIdentity[];
  attributes: Record<string, AttributeValue>;
  duplicates: number[];
  /** Identity values this batch replaced (to release from the index). */
  replaced: Identity[];
  /** The workspace's consent state after this batch. */
  consent: ConsentState;
  /** Consent records this batch part changed (the same list again when the part is redelivered). */
  consentChanges: ConsentChange[];
  /** Consent records ignored because the stored record is newer. */
  consentStale: number;
};

/** What `ingestIf` checks before applying a batch (atomically: the object runs one call at a time). */
export type IngestExpectation = {
  /** Identities the profile must already hold (it must exist). */
  holds: Identity[];
  /** When set, the profile must also be eligible to answer a request carrying `holds` under this strategy. */
  eligibleFor?: StrategyConfig;
};

export type IngestIfResult = { status: "ok"; result: ProfileIngestResult } | { status: "mismatch"; exists: boolean; identities: Identity[] };

type AliasRoles = { source: { start: number; end: number; destination: string }[]; destination: boolean };
type IdentityRow = { type: string; value: string; first_seen: number; last_seen: number };

export class UserProfile extends DurableObject<Env> {
  private sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    ctx.blockConcurrencyWhile(async () => migrateProfile(this.sql));
  }

  /**
   * The meta table, read whole on first use (one statement instead of one per key on a fresh instance) and
   * kept by this instance (it is the only writer of its storage). Dropped when a transaction fails (its writes
   * were rolled back) and when the storage is erased.
   */
  private metaCache: Map<string, string> | undefined;
  /**
   * The identities table as `SELECT … ORDER BY type, first_seen` returned it (same rows, same order); dropped
   * whenever a row is added or removed (the next read selects again), kept when only `last_seen` changes.
   */
  private idRows: IdentityRow[] | undefined;
  /** Attributes per workspace as `attributesOf` read them; dropped when a batch adds a name. */
  private attrCache = new Map<number, Map<string, StoredAttribute>>();
  /** Consent records per workspace as `consentOf` read them; dropped when a batch writes consent. */
  private consentCache = new Map<number, Map<string, ConsentEntry>>();

  /** Forgets every cached read (a failed transaction rolled its writes back; the storage was erased). */
  private dropCaches() {
    this.metaCache = undefined;
    this.idRows = undefined;
    this.attrCache.clear();
    this.consentCache.clear();
  }

  private tx<T>(fn: () => T): T {
    try {
      return this.ctx.storage.transactionSync(fn);
    } catch (err) {
      this.dropCaches();
      throw err;
    }
  }

  private meta(key: string): string | undefined {
    this.metaCache ??= new Map(this.sql.exec<{ key: string; value: string }>(`SELECT key, value FROM meta`).toArray().map((r) => [r.key, r.value]));
    return this.metaCache.get(key);
  }

  private setMeta(key: string, value: string) {
    this.sql.exec(`INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`, key, value);
    this.metaCache?.set(key, value);
  }

  private ensure(mpid: string, now: number): number {
    let createdAt = Number(this.meta("created_at") ?? 0);
    if (!createdAt) {
      createdAt = now;
      this.setMeta("created_at", String(now));
      this.setMeta("mpid", mpid);
    }
    // last_seen is a coarse activity marker: rewritten at most once a minute.
    if (now - Number(this.meta("last_seen") ?? 0) >= LAST_SEEN_RESOLUTION_MS) this.setMeta("last_seen", String(now));
    return createdAt;
  }

  private identityRows(): IdentityRow[] {
    return (this.idRows ??= this.sql.exec<IdentityRow>(`SELECT type, value, first_seen, last_seen FROM identities ORDER BY type, first_seen`).toArray());
  }

  private identities(created?: Set<string>): ProfileIdentity[] {
    return this.identityRows().map((r) => ({ type: r.type, value: r.value, firstSeen: r.first_seen, createdThisBatch: created?.has(`${r.type}\u0000${r.value}`) ?? false }));
  }

  /** Deletes identity rows (the cached rows are dropped first: a failing statement leaves no stale copy). */
  private deleteIdentities(ids: Identity[]) {
    if (ids.length) this.idRows = undefined;
    for (const r of ids) this.sql.exec(`DELETE FROM identities WHERE type = ? AND value = ?`, r.type, r.value);
  }

  /**
   * Adds identities (a user identity type keeps one value unless `multiValued`); returns the keys created
   * and pushes replaced values onto `replaced` (the caller releases them from the index). A value of a type
   * in `keep` that the profile already holds with another value is not added (nothing is replaced).
   */
  private addIdentities(ids: Identity[], now: number, multiValued = false, replaced: Identity[] = [], keep?: KeepTypes): Set<string> {
    const created = new Set<string>();
    if (ids.length === 0) return created;
    const current = new Map<string, IdentityRow>();
    for (const r of this.identityRows()) current.set(`${r.type}\u0000${r.value}`, r);
    for (const id of ids) {
      const k = `${id.type}\u0000${id.value}`;
      const row = current.get(k);
      if (row !== undefined) {
        if (now - row.last_seen >= LAST_SEEN_RESOLUTION_MS) {
          this.sql.exec(`UPDATE identities SET last_seen = ? WHERE type = ? AND value = ?`, now, id.type, id.value);
          // Same rows, same order: the cached copy (if this row is still in it) only needs the new time.
          row.last_seen = now;
        }
        continue;
      }
      if (!multiValued && !DEVICE_IDENTITY_TYPES.has(id.type)) {
        if (keepsType(keep, id.type) && this.identityRows().some((r) => r.type === id.type)) continue;
        this.idRows = undefined;
        for (const r of this.sql.exec<{ value: string }>(`SELECT value FROM identities WHERE type = ?`, id.type)) replaced.push({ type: id.type, value: r.value });
        this.sql.exec(`DELETE FROM identities WHERE type = ?`, id.type);
      }
      this.idRows = undefined;
      this.sql.exec(`INSERT INTO identities (type, value, first_seen, last_seen) VALUES (?, ?, ?, ?)`, id.type, id.value, now, now);
      created.add(k);
    }
    return created;
  }

  /**
   * Claims event `source_message_id`s for this batch in multi-row statements (existing claims are kept as they
   * are); returns the event indexes
   * already claimed by another batch (a redelivery of the same batch id is not a duplicate).
   */
  private claimMessageIds(messageIds: (string | null)[], batchId: string, now: number): number[] {
    const rows = messageIds.map((id, i) => ({ id, i })).filter((r): r is { id: string; i: number } => !!r.id);
    const owner = new Map<string, string>();
    const per = Math.floor(MAX_BINDINGS / 3);
    for (let k = 0; k < rows.length; k += per) {
      const chunk = rows.slice(k, k + per);
      this.sql.exec(`INSERT OR IGNORE INTO seen_messages (id, batch_id, seen_at) VALUES ${chunk.map(() => "(?, ?, ?)").join(", ")}`, ...chunk.flatMap((r) => [r.id, batchId, now]));
      // Every row new (the usual case): all ours. Otherwise read who holds the ids (an earlier batch, or this one).
      if (this.sql.exec<{ n: number }>(`SELECT changes() AS n`).one().n === chunk.length) continue;
      const cursor = this.sql.exec<{ id: string; batch_id: string }>(
        `SELECT id, batch_id FROM seen_messages WHERE id IN (${chunk.map(() => "?").join(", ")})`,
        ...chunk.map((r) => r.id),
      );
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

  /** Appends events to the history in multi-row statements (ids already present are kept). */
  private appendHistory(events: Omit<HistoryEvent, "batchId" | "workspaceId">[], batchId: string, workspaceId: number) {
    const per = Math.floor(MAX_BINDINGS / 6);
    for (let k = 0; k < events.length; k += per) {
      const chunk = events.slice(k, k + per);
      this.sql.exec(
        `INSERT OR IGNORE INTO events (id, batch_id, workspace_id, event_type, name, ts) VALUES ${chunk.map(() => "(?, ?, ?, ?, ?, ?)").join(", ")}`,
        ...chunk.flatMap((e) => [e.id, batchId, workspaceId, e.eventType, e.name, e.ts]),
      );
    }
  }

  /** Whether the profile exists, and its identities. */
  summary(): { exists: boolean; identities: Identity[] } {
    const exists = Number(this.meta("created_at") ?? 0) > 0;
    return { exists, identities: this.identities().map(({ type, value }) => ({ type, value })) };
  }

  /**
   * Adds and removes identities (Identity API); creates the profile if needed. `keep`: types whose held
   * value is not replaced. `guard`: a modify with the public key, refused (nothing written) when it would
   * change or remove a login identity the profile holds now (`publicKeyModifyRefusal`).
   */
  applyIdentities(
    mpid: string,
    change: { add: Identity[]; remove: Identity[]; multiValued?: boolean; keep?: KeepTypes; guard?: StrategyConfig },
  ): { identities: Identity[]; replaced: Identity[]; refused?: string } {
    const now = Date.now();
    if (change.guard) {
      const refused = publicKeyModifyRefusal(this.summary().identities, change, change.guard);
      if (refused) return { identities: this.summary().identities, replaced: [], refused };
    }
    return this.tx(() => {
      this.ensure(mpid, now);
      this.deleteIdentities(change.remove);
      const replaced: Identity[] = [];
      this.addIdentities(change.add, now, change.multiValued, replaced, change.keep);
      return { identities: this.identities().map(({ type, value }) => ({ type, value })), replaced };
    });
  }

  /** Removes identities (another profile took a unique id); never creates the profile. */
  removeIdentities(ids: Identity[]): void {
    this.deleteIdentities(ids);
  }

  /**
   * `ingest`, only if the profile exists and meets `expect` (the resolver's known-user fast path: one call
   * instead of summary + ingest). Otherwise nothing is written and the profile's summary comes back, so the
   * caller decides with it as `summary()` would have let it.
   */
  ingestIf(expect: IngestExpectation, input: ProfileIngest): IngestIfResult {
    const { exists, identities } = this.summary();
    const held = new Set(identities.map((h) => `${h.type}\u0000${h.value}`));
    const ok = exists && expect.holds.every((id) => held.has(`${id.type}\u0000${id.value}`)) && (!expect.eligibleFor || eligible(identities, expect.holds, expect.eligibleFor));
    if (!ok) return { status: "mismatch", exists, identities };
    return { status: "ok", result: this.ingest(input) };
  }

  /** Applies one batch: identities, attributes, event dedupe, history. Idempotent for a redelivered batch id. */
  ingest(input: ProfileIngest): ProfileIngestResult {
    const now = Date.now();
    return this.tx(() => {
      const createdAt = this.ensure(input.mpid, now);
      const replaced: Identity[] = [];
      const created = this.addIdentities(input.identities, now, input.multiValued, replaced, input.keep);

      const current = this.attributesOf(input.workspaceId);
      const writes = attributeWrites(current, input.userAttributes, input.deletedUserAttributes, input.ts, input.source);
      const live = liveAttributes(current, writes);
      this.writeAttributes(input.workspaceId, current, writes);

      const duplicates = this.claimMessageIds(input.messageIds, input.batchId, now);
      const dup = new Set(duplicates);
      this.appendHistory((input.events ?? []).filter((_, i) => !dup.has(i)), input.batchId, input.workspaceId);
      const consent = this.applyConsent(input.workspaceId, input.consent, now);
      this.prune(now);
      return { status: "ok" as const, createdAt, identities: this.identities(created), attributes: live, duplicates, replaced, ...consent };
    });
  }

  /** The workspace's consent records (the cached map: callers copy it before changing it). */
  private consentOf(workspaceId: number): Map<string, ConsentEntry> {
    const cached = this.consentCache.get(workspaceId);
    if (cached) return cached;
    const out = new Map<string, ConsentEntry>();
    for (const r of this.sql.exec<{ regulation: string; purpose: string; consented: number; document: string | null; ts: number; location: string | null; hardware_id: string | null }>(
      `SELECT regulation, purpose, consented, document, ts, location, hardware_id FROM consent WHERE workspace_id = ? ORDER BY regulation, purpose`,
      workspaceId,
    )) {
      const record: ConsentRecord = { consented: r.consented === 1, document: r.document, timestamp_unixtime_ms: r.ts, location: r.location, hardware_id: r.hardware_id };
      out.set(consentKey(r.regulation, r.purpose), { regulation: r.regulation as ConsentEntry["regulation"], purpose: r.purpose, record });
    }
    this.consentCache.set(workspaceId, out);
    return out;
  }

  /**
   * Merges a batch's consent into the workspace's records (newer wins, `mergeConsent`) and remembers the
   * changes under the part's key, so a redelivered part reports the same changes instead of none.
   */
  private applyConsent(workspaceId: number, input: ConsentInput | undefined, now: number): Pick<ProfileIngestResult, "consent" | "consentChanges" | "consentStale"> {
    let stored = this.consentOf(workspaceId);
    if (!input || (input.entries.length === 0 && !input.gpc)) return { consent: toConsentState(stored.values()), consentChanges: [], consentStale: 0 };
    const before = this.sql.exec<{ changes: string }>(`SELECT changes FROM consent_changes WHERE batch_key = ?`, input.key).toArray()[0];
    if (before) return { consent: toConsentState(stored.values()), consentChanges: JSON.parse(before.changes) as ConsentChange[], consentStale: 0 };
    const records = new Map([...stored].map(([k, e]) => [k, e.record]));
    const { changes, writes, stale } = mergeConsent(records, input.entries, input.gpc);
    if (writes.length) {
      // The next read selects again (in SQLite's order); this answer is built on a copy.
      this.consentCache.delete(workspaceId);
      stored = new Map(stored);
    }
    // `writes`: the changed records and the re-dated ones (same decision, newer time: stored, not a change).
    for (const c of writes) {
      const r = c.record;
      this.sql.exec(
        `INSERT INTO consent (workspace_id, regulation, purpose, consented, document, ts, location, hardware_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (workspace_id, regulation, purpose) DO UPDATE SET consented = excluded.consented, document = excluded.document, ts = excluded.ts, location = excluded.location, hardware_id = excluded.hardware_id`,
        workspaceId, c.regulation, c.purpose, r.consented ? 1 : 0, r.document, r.timestamp_unixtime_ms, r.location, r.hardware_id,
      );
      stored.set(consentKey(c.regulation, c.purpose), { regulation: c.regulation, purpose: c.purpose, record: r });
    }
    if (changes.length) this.sql.exec(`INSERT INTO consent_changes (batch_key, workspace_id, changes, at) VALUES (?, ?, ?, ?)`, input.key, workspaceId, JSON.stringify(changes), now);
    return { consent: toConsentState(stored.values()), consentChanges: changes, consentStale: stale };
  }

  /**
   * Upserts attribute writes in multi-row statements and keeps `current` (the cached map of the workspace)
   * equal to what `attributesOf` would read back: the stored JSON text parsed again, same key order. A name
   * `current` lacks drops the cache instead (where SQLite would list it is its business).
   */
  private writeAttributes(workspaceId: number, current: Map<string, StoredAttribute>, writes: AttributeWrite[]) {
    if (writes.length === 0) return;
    const rows = writes.map((w) => ({ w, text: w.deleted ? null : JSON.stringify(w.value) }));
    let keep = this.attrCache.get(workspaceId) === current;
    this.attrCache.delete(workspaceId); // until every statement succeeded
    const per = Math.floor(MAX_BINDINGS / 7);
    for (let k = 0; k < rows.length; k += per) {
      const chunk = rows.slice(k, k + per);
      this.sql.exec(
        `INSERT INTO attributes (workspace_id, name, value, ts, deleted, source, rank) VALUES ${chunk.map(() => "(?, ?, ?, ?, ?, ?, ?)").join(", ")}
         ON CONFLICT (workspace_id, name) DO UPDATE SET value = excluded.value, ts = excluded.ts, deleted = excluded.deleted, source = excluded.source, rank = excluded.rank`,
        ...chunk.flatMap(({ w, text }) => [workspaceId, w.name, text, w.ts, w.deleted ? 1 : 0, w.source, w.rank]),
      );
    }
    for (const { w, text } of rows) {
      if (!current.has(w.name)) keep = false;
      if (!keep) break;
      current.set(w.name, { value: text === null ? null : storedValue(w.value, text), ts: w.ts, deleted: w.deleted, source: w.source, rank: w.rank });
    }
    if (keep) this.attrCache.set(workspaceId, current);
  }

  private attributesOf(workspaceId: number): Map<string, StoredAttribute> {
    const cached = this.attrCache.get(workspaceId);
    if (cached) return cached;
    const current = new Map<string, StoredAttribute>();
    for (const r of this.sql.exec<{ name: string; value: string | null; ts: number; deleted: number; source: number | null; rank: number | null }>(
      `SELECT name, value, ts, deleted, source, rank FROM attributes WHERE workspace_id = ?`,
      workspaceId,
    )) {
      current.set(r.name, { value: r.value === null ? null : JSON.parse(r.value), ts: r.ts, deleted: r.deleted === 1, source: r.source ?? undefined, rank: r.rank ?? undefined });
    }
    this.attrCache.set(workspaceId, current);
    return current;
  }

  /** Deletes dedupe keys past their window and history past its bound, at most once a day. */
  private prune(now: number) {
    const last = Number(this.meta("pruned_at") ?? 0);
    if (now - last < DAY_MS) return;
    this.sql.exec(`DELETE FROM seen_messages WHERE seen_at < ?`, now - MESSAGE_DEDUPE_MS);
    this.sql.exec(`DELETE FROM consent_changes WHERE at < ?`, now - MESSAGE_DEDUPE_MS);
    this.sql.exec(`DELETE FROM events WHERE id NOT IN (SELECT id FROM events ORDER BY ts DESC LIMIT ?)`, HISTORY_LIMIT);
    this.setMeta("pruned_at", String(now));
  }

  /** The stored profile: identities, and the attributes of one workspace with their timestamps and sources. */
  profile(workspaceId: number): ProfileView | null {
    const createdAt = Number(this.meta("created_at") ?? 0);
    if (!createdAt) return null;
    const attrs = this.attributesOf(workspaceId);
    const attributes: Record<string, AttributeValue> = {};
    const attributeSources: ProfileView["attributeSources"] = {};
    for (const [name, a] of attrs) {
      if (a.deleted) continue;
      attributes[name] = a.value;
      attributeSources[name] = { ts: a.ts, source: a.source ?? null, rank: a.rank ?? 1 };
    }
    const consent = toConsentState(this.consentOf(workspaceId).values());
    return { mpid: this.meta("mpid") ?? "", createdAt, lastSeen: Number(this.meta("last_seen") ?? createdAt), identities: this.identities(), attributes, attributeSources, consent };
  }

  /** History events selected by `clause` (a fixed WHERE / ORDER BY / LIMIT text with its bindings). */
  private historyRows(clause: string, ...bindings: number[]): HistoryEvent[] {
    return this.sql
      .exec<{ id: string; batch_id: string; workspace_id: number; event_type: string; name: string | null; ts: number }>(
        `SELECT id, batch_id, workspace_id, event_type, name, ts FROM events ${clause}`,
        ...bindings,
      )
      .toArray()
      .map((r) => ({ id: r.id, batchId: r.batch_id, workspaceId: r.workspace_id, eventType: r.event_type, name: r.name, ts: r.ts }));
  }

  /** Recent events, newest first. */
  history(limit = 100): HistoryEvent[] {
    return this.historyRows(`ORDER BY ts DESC LIMIT ?`, limit);
  }

  /** Alias roles this profile has played (validation of mparticle-api.md §3.6). */
  aliasRoles(): AliasRoles {
    return JSON.parse(this.meta("alias_roles") ?? '{"source":[],"destination":false}') as AliasRoles;
  }

  /** Records a role after validation (source window or destination). */
  recordAliasRole(role: { source?: { start: number; end: number; destination: string }; destination?: boolean }): void {
    const r = this.aliasRoles();
    if (role.source) r.source.push(role.source);
    if (role.destination) r.destination = true;
    this.setMeta("alias_roles", JSON.stringify(r));
  }

  /** Events in [start, end] and the first-seen time, for an alias to another profile. */
  exportForAlias(start: number, end: number): { events: HistoryEvent[]; createdAt: number } {
    return { events: this.historyRows(`WHERE ts >= ? AND ts <= ? ORDER BY ts`, start, end), createdAt: Number(this.meta("created_at") ?? 0) };
  }

  /** Receives an alias: copies events and takes the earlier first-seen time; identities, attributes, consent are not copied. */
  importAlias(mpid: string, data: { events: HistoryEvent[]; createdAt: number }): number {
    const now = Date.now();
    return this.tx(() => {
      const createdAt = this.ensure(mpid, now);
      if (data.createdAt && data.createdAt < createdAt) this.setMeta("created_at", String(data.createdAt));
      for (const e of data.events) {
        this.sql.exec(`INSERT OR IGNORE INTO events (id, batch_id, workspace_id, event_type, name, ts) VALUES (?, ?, ?, ?, ?, ?)`, e.id, e.batchId, e.workspaceId, e.eventType, e.name, e.ts);
      }
      return data.events.length;
    });
  }

  /**
   * Erasure (DSR): drops the object's whole storage (every table, meta, alarm) and recreates an empty schema,
   * so a later request finds no profile and starts clean. Returns what existed, for index and partner cleanup.
   */
  async eraseAll(): Promise<{ existed: boolean; mpid: string | null; identities: Identity[] }> {
    const existed = Number(this.meta("created_at") ?? 0) > 0;
    const mpid = this.meta("mpid") ?? null;
    const identities = this.identities().map(({ type, value }) => ({ type, value }));
    await this.ctx.blockConcurrencyWhile(async () => {
      await this.ctx.storage.deleteAlarm();
      await this.ctx.storage.deleteAll();
      this.dropCaches();
      migrateProfile(this.sql);
    });
    return { existed, mpid, identities };
  }

  /**
   * Access / portability (DSR): everything stored about the user that `workspaceId` may see — identities
   * (user and device), that workspace's attributes and events, and the rows of any other table (consent…),
   * restricted to the workspace where the table has a `workspace_id` column. Null when there is no profile.
   */
  exportAll(workspaceId: number): ProfileExport | null {
    const createdAt = Number(this.meta("created_at") ?? 0);
    if (!createdAt) return null;
    const ids = this.sql
      .exec<{ type: string; value: string; first_seen: number; last_seen: number }>(`SELECT type, value, first_seen, last_seen FROM identities ORDER BY type, first_seen`)
      .toArray()
      .map((r) => ({ type: r.type, value: r.value, first_seen_ms: r.first_seen, last_seen_ms: r.last_seen }));
    const attributes = this.sql
      .exec<{ name: string; value: string | null; ts: number; source: number | null }>(`SELECT name, value, ts, source FROM attributes WHERE workspace_id = ? AND deleted = 0 ORDER BY name`, workspaceId)
      .toArray()
      .map((r) => ({ name: r.name, value: r.value === null ? null : (JSON.parse(r.value) as AttributeValue), updated_ms: r.ts, source_input_id: r.source }));
    const events = this.sql
      .exec<{ id: string; batch_id: string; event_type: string; name: string | null; ts: number }>(`SELECT id, batch_id, event_type, name, ts FROM events WHERE workspace_id = ? ORDER BY ts`, workspaceId)
      .toArray()
      .map((r) => ({ id: r.id, batch_id: r.batch_id, event_type: r.event_type, name: r.name, timestamp_ms: r.ts }));
    const other: ProfileExport["other"] = {};
    const known = new Set(["meta", "identities", "attributes", "events", "seen_messages"]);
    const tables = this.sql.exec<{ name: string }>(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_cf\\_%' ESCAPE '\\' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'`).toArray();
    for (const { name } of tables) {
      if (known.has(name)) continue;
      const cursor = this.sql.exec<Record<string, SqlStorageValue>>(`SELECT * FROM "${name.replaceAll('"', '""')}"`);
      const scoped = cursor.columnNames.includes("workspace_id");
      other[name] = cursor
        .toArray()
        .filter((r) => !scoped || Number(r.workspace_id) === workspaceId)
        .map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v instanceof ArrayBuffer ? [...new Uint8Array(v)].map((b) => b.toString(16).padStart(2, "0")).join("") : v])));
    }
    return {
      mpid: this.meta("mpid") ?? "",
      created_ms: createdAt,
      last_seen_ms: Number(this.meta("last_seen") ?? createdAt),
      user_identities: ids.filter((i) => !DEVICE_IDENTITY_TYPES.has(i.type)),
      device_identities: ids.filter((i) => DEVICE_IDENTITY_TYPES.has(i.type)),
      user_attributes: attributes,
      events,
      alias_roles: this.aliasRoles(),
      other,
    };
  }
}

/** What `JSON.parse(text)` gives back for `value` (`text` is its JSON): strings, booleans and finite numbers as they are. */
function storedValue(value: AttributeValue, text: string): AttributeValue {
  if (typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number" && Number.isFinite(value) && !Object.is(value, -0)) return value;
  return JSON.parse(text) as AttributeValue;
}

/** Object name for a profile: scope + MPID. */
export function userProfileName(scope: string, mpid: string): string {
  return `${scope}|${mpid}`;
}
