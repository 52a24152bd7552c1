/**
 * UserProfile: one object per identity scope + MPID, the entry of a user's data (one RPC per batch). Its
 * parts live in `profile/`: identities, attributes (merge rules in `profile-merge.ts`), history (dedupe keys
 * and events), consent, and the per-batch modules registered in `profile/modules.ts` (calculated attributes,
 * audiences), each with its own tables; identity decisions are in `identity/strategy.ts`.
 */
import { DurableObject } from "cloudflare:workers";
import { DEVICE_IDENTITY_TYPES, type Identity } from "../identity/identity-types";
import { eligible, type StrategyConfig } from "../identity/strategy";
import { type KeepTypes, publicKeyModifyRefusal } from "../identity/public-key";
import { DAY_MS } from "../lib/time";
import { migrateProfile } from "./user-profile-schema";
import type { ProfileExport } from "../privacy/export-types";
import { ProfileStore } from "./profile/store";
import { Identities, LAST_SEEN_RESOLUTION_MS } from "./profile/identities";
import { Attributes } from "./profile/attributes";
import { Consent } from "./profile/consent";
import { History, MESSAGE_DEDUPE_MS } from "./profile/history";
import { type ModuleInputs, PROFILE_MODULES } from "./profile/modules";
import { workspaceModuleInputs } from "./profile/module-inputs";
import { type CalculatedAttributes, calculatedAttributesModule, type StoredSeed } from "./profile/calculated-attributes";
import type { CaSpec } from "../schema/calculated-attribute";
import type { AnyModuleDef, ProfileModule, ProfileParts } from "./profile/module";
import { type AudienceMembership, type Audiences, audiencesModule } from "./profile/audiences";
import type { AudienceSet } from "../audiences";
import type { HistoryEvent, IngestExpectation, IngestIfResult, ProfileIngest, ProfileIngestResult, ProfileView } from "./profile/types";

export { HISTORY_LIMIT, MESSAGE_DEDUPE_MS } from "./profile/history";
export type { EventDetail, HistoryEvent, IngestExpectation, IngestIfResult, ProfileEvent, ProfileIdentity, ProfileIngest, ProfileIngestResult, ProfileView } from "./profile/types";

type AliasRoles = { source: { start: number; end: number; destination: string }[]; destination: boolean };
type RunningModule = { name: string; instance: ProfileModule<unknown, unknown, unknown> };

export class UserProfile extends DurableObject<Env> {
  private readonly store: ProfileStore;
  private readonly parts: ProfileParts;
  private readonly modules: RunningModule[];
  private readonly calculated: CalculatedAttributes;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.store = new ProfileStore(ctx.storage);
    this.parts = { store: this.store, identities: new Identities(this.store), attributes: new Attributes(this.store), consent: new Consent(this.store), history: new History(this.store) };
    const defs: readonly AnyModuleDef[] = PROFILE_MODULES;
    this.modules = defs.map((d) => ({ name: d.name, instance: d.create(this.parts) }));
    this.calculated = this.modules.find((m) => m.name === calculatedAttributesModule.name)!.instance as unknown as CalculatedAttributes;
    // Audiences read calculated attribute values through the other modules' views.
    const peer = (name: string, workspaceId: number, now: number) => this.modules.find((m) => m.name === name)?.instance.view(workspaceId, now, undefined);
    for (const m of this.modules) (m.instance as Partial<Audiences>).connect?.(peer);
    ctx.blockConcurrencyWhile(async () => migrateProfile(this.store.sql, defs));
  }

  private ensure(mpid: string, now: number): number {
    const store = this.store;
    let createdAt = store.createdAt();
    if (!createdAt) {
      createdAt = now;
      store.setMeta("created_at", String(now));
      store.setMeta("mpid", mpid);
    }
    // last_seen is a coarse activity marker: rewritten at most once a minute.
    if (now - Number(store.meta("last_seen") ?? 0) >= LAST_SEEN_RESOLUTION_MS) store.setMeta("last_seen", String(now));
    return createdAt;
  }

  /** Whether the profile exists, and its identities. */
  summary(): { exists: boolean; identities: Identity[] } {
    return { exists: this.store.createdAt() > 0, identities: this.parts.identities.plain() };
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
    return this.store.tx(() => {
      this.ensure(mpid, now);
      this.parts.identities.delete(change.remove);
      const replaced: Identity[] = [];
      this.parts.identities.add(change.add, now, change.multiValued, replaced, change.keep);
      return { identities: this.parts.identities.plain(), replaced };
    });
  }

  /** Removes identities (another profile took a unique id); never creates the profile. */
  removeIdentities(ids: Identity[]): void {
    this.parts.identities.delete(ids);
  }

  /**
   * `ingest`, only if the profile exists and meets `expect` (the resolver's known-user fast path: one call
   * instead of summary + ingest). Otherwise nothing is written and the profile's summary comes back, so the
   * caller decides with it as `summary()` would have let it.
   */
  async ingestIf(expect: IngestExpectation, input: ProfileIngest): Promise<IngestIfResult> {
    const ready = await this.withModuleInputs(input);
    const { exists, identities } = this.summary();
    const held = new Set(identities.map((h) => `${h.type}\u0000${h.value}`));
    const ok = exists && expect.holds.every((id) => held.has(`${id.type}\u0000${id.value}`)) && (!expect.eligibleFor || eligible(identities, expect.holds, expect.eligibleFor));
    if (!ok) return { status: "mismatch", exists, identities };
    const result = this.apply(ready);
    await this.afterBatch();
    return { status: "ok", result };
  }

  /**
   * Applies one batch: identities, attributes, event dedupe, history, consent, then each registered module
   * (in one transaction). Idempotent for a redelivered batch id.
   */
  async ingest(input: ProfileIngest): Promise<ProfileIngestResult> {
    const result = this.apply(await this.withModuleInputs(input));
    await this.afterBatch();
    return result;
  }

  /**
   * After a batch's transaction: audience changes (and a new profile's directory registration) leave at once,
   * inside the batch's call. The batch is acknowledged only after this call answers, so a crash before the
   * outbox is sent means a redelivery, whose call sends it; a send that fails leaves it to the alarm.
   */
  private async afterBatch(): Promise<void> {
    try {
      await this.flushPending();
    } catch {
      // The rows stay in the outbox: scheduleAlarm sees them and sets the alarm now (it retries).
    }
    this.scheduleAlarm();
  }

  /** Sends the audiences outbox when it has work; one flush at a time (a batch's call and the alarm never send the same rows twice). */
  private flushPending(): Promise<void> {
    const run = this.flushChain.then(async () => {
      if (this.audiences().pending()) await this.audiences().flush(this.env, this.ctx.id.name);
    });
    this.flushChain = run.catch(() => undefined);
    return run;
  }
  private flushChain: Promise<void> = Promise.resolve();

  /** `input` with its modules' inputs read from the configuration cache when it asks for that. */
  private async withModuleInputs(input: ProfileIngest): Promise<ProfileIngest> {
    if (input.moduleInputs !== "workspace" || input.modules) return input;
    return { ...input, modules: await workspaceModuleInputs(this.env, input.workspaceId) };
  }

  private apply(input: ProfileIngest): ProfileIngestResult {
    const now = Date.now();
    const { identities, attributes, history, consent } = this.parts;
    const result = this.store.tx(() => {
      const createdAt = this.ensure(input.mpid, now);
      const replaced: Identity[] = [];
      const created = identities.add(input.identities, now, input.multiValued, replaced, input.keep);
      const live = attributes.apply(input.workspaceId, input.userAttributes, input.deletedUserAttributes, input.ts, input.source);
      const { duplicates, allIds, seenBefore } = history.claimMessageIds(input.messageIds, input.batchId, now);
      const dup = new Set(duplicates);
      const events = (input.events ?? []).filter((_, i) => !dup.has(i));
      const added = history.append(events, input.batchId, input.workspaceId);
      // A redelivered batch part (its ids all claimed before, or its history row already there) counts nothing again.
      const replay = events.length > 0 && (seenBefore || added === 0);
      const fresh = replay ? [] : events;
      const consented = consent.apply(input.workspaceId, input.consent, now);
      this.prune(now);
      const ids = identities.list(created);
      const modules: Record<string, unknown> = {};
      for (const m of this.modules) {
        const config = (input.modules as Record<string, unknown> | undefined)?.[m.name];
        modules[m.name] = m.instance.ingest({ batchId: input.batchId, config, now, workspaceId: input.workspaceId, events: fresh, keyed: !allIds, attributes: live, identities: ids, consent: consented.consent, earlier: modules });
      }
      return { status: "ok" as const, createdAt, identities: ids, attributes: live, duplicates, replaced, ...consented, modules: modules as ProfileIngestResult["modules"] };
    });
    return result;
  }

  /** Sets the object's alarm to the earliest time a module asks for (or deletes it); written only when it moves earlier. */
  private scheduleAlarm(): void {
    let at: number | null = null;
    for (const m of this.modules) {
      const t = m.instance.nextAlarm?.() ?? null;
      if (t !== null && (at === null || t < at)) at = t;
    }
    const current = this.store.meta("alarm_at");
    if (String(at ?? "") === (current ?? "")) return;
    // An alarm still ahead is kept when the wanted time is later (or none): it comes early, the modules find
    // nothing due and the alarm is set again. Windows move later with most batches; this spares a re-arm each.
    if (current && Number(current) > Date.now() && (at === null || at > Number(current))) return;
    // Storage writes of an object are ordered and confirmed before its answer leaves (output gate).
    if (at === null) {
      void this.ctx.storage.deleteAlarm();
      this.store.deleteMeta("alarm_at");
    } else {
      void this.ctx.storage.setAlarm(at);
      this.store.setMeta("alarm_at", String(at));
    }
  }

  /** The modules' alarm: each module that asked recomputes (windows that decay without new events). */
  override async alarm(): Promise<void> {
    const now = Date.now();
    this.store.tx(() => {
      this.store.deleteMeta("alarm_at");
      const earlier: Record<string, unknown> = {};
      for (const m of this.modules) earlier[m.name] = m.instance.alarm?.({ now, earlier });
    });
    // Outside the transaction: audience changes to their queue, directory registration (a failure retries the alarm).
    await this.flushPending();
    this.scheduleAlarm();
  }

  private audiences(): Audiences {
    return this.modules.find((m) => m.name === audiencesModule.name)!.instance as unknown as Audiences;
  }

  /** A sweep's evaluation of the workspace's audiences (ProfileDirectory); nothing happens when there is no profile. */
  evaluateAudiences(set: AudienceSet): { changes: number } {
    if (!this.store.createdAt()) return { changes: 0 };
    const changes = this.store.tx(() => this.audiences().sweep(set, Date.now()));
    this.scheduleAlarm();
    return { changes: changes.length };
  }

  /** The user's memberships among the workspace's audiences (Web SDK audience call); null when there is no profile. */
  audienceMemberships(workspaceId: number, set?: AudienceSet): AudienceMembership[] | null {
    if (!this.store.createdAt()) return null;
    return this.audiences().view(workspaceId, Date.now(), set);
  }

  /** The latest enter/exit records of the user, newest first. */
  audienceLog(limit = 50): { audience_id: number; action: string; at: number }[] {
    return this.audiences().log(limit);
  }

  /** Deletes dedupe keys past their window and history past its bound, at most once a day. */
  private prune(now: number) {
    const last = Number(this.store.meta("pruned_at") ?? 0);
    if (now - last < DAY_MS) return;
    this.parts.history.prune(now);
    this.parts.consent.prune(now - MESSAGE_DEDUPE_MS);
    this.store.setMeta("pruned_at", String(now));
  }

  /** The stored profile: identities, the attributes of one workspace with their timestamps and sources, consent, modules' views. */
  profile(workspaceId: number, inputs?: Partial<ModuleInputs>): ProfileView | null {
    const createdAt = this.store.createdAt();
    if (!createdAt) return null;
    const { attributes, attributeSources } = this.parts.attributes.view(workspaceId);
    const consent = this.parts.consent.state(workspaceId);
    const now = Date.now();
    // A module may bring its state up to date for the view (a definition activated since the user's last batch).
    const modules = this.store.tx(() => {
      const out: Record<string, unknown> = {};
      for (const m of this.modules) out[m.name] = m.instance.view(workspaceId, now, (inputs as Record<string, unknown> | undefined)?.[m.name]);
      return out;
    });
    if (inputs) this.scheduleAlarm();
    return {
      mpid: this.store.meta("mpid") ?? "",
      createdAt,
      lastSeen: Number(this.store.meta("last_seen") ?? createdAt),
      identities: this.parts.identities.list(),
      attributes,
      attributeSources,
      consent,
      modules: modules as ProfileView["modules"],
    };
  }

  /**
   * Seeds calculated attributes (Seeding API) and recomputes them with live data from the cutoff; creates the
   * profile if needed. `specs`: the workspace's active definitions.
   */
  seedCalculated(mpid: string, workspaceId: number, seeds: { name: string; seed: StoredSeed }[], specs: CaSpec[]): void {
    const now = Date.now();
    this.store.tx(() => {
      this.ensure(mpid, now);
      this.calculated.seed(workspaceId, seeds, specs, now);
    });
    this.scheduleAlarm();
  }

  /** Recent events, newest first. */
  history(limit = 100): HistoryEvent[] {
    return this.parts.history.rows(`ORDER BY ts DESC LIMIT ?`, limit);
  }

  /** Alias roles this profile has played (validation of mparticle-api.md §3.6). */
  aliasRoles(): AliasRoles {
    return JSON.parse(this.store.meta("alias_roles") ?? '{"source":[],"destination":false}') as AliasRoles;
  }

  /** Records a role after validation (source window or destination). */
  recordAliasRole(role: { source?: { start: number; end: number; destination: string }; destination?: boolean }): void {
    const r = this.aliasRoles();
    if (role.source) r.source.push(role.source);
    if (role.destination) r.destination = true;
    this.store.setMeta("alias_roles", JSON.stringify(r));
  }

  /** Events in [start, end] and the first-seen time, for an alias to another profile. */
  exportForAlias(start: number, end: number): { events: HistoryEvent[]; createdAt: number } {
    return { events: this.parts.history.rows(`WHERE ts >= ? AND ts <= ? ORDER BY ts`, start, end), createdAt: this.store.createdAt() };
  }

  /** Receives an alias: copies events and takes the earlier first-seen time; identities, attributes, consent are not copied. */
  importAlias(mpid: string, data: { events: HistoryEvent[]; createdAt: number }): number {
    const now = Date.now();
    return this.store.tx(() => {
      const createdAt = this.ensure(mpid, now);
      if (data.createdAt && data.createdAt < createdAt) this.store.setMeta("created_at", String(data.createdAt));
      this.parts.history.import(data.events);
      return data.events.length;
    });
  }

  /**
   * Erasure (DSR): drops the object's whole storage (every table, meta, alarm) and recreates an empty schema,
   * so a later request finds no profile and starts clean. Returns what existed, for index and partner cleanup.
   */
  async eraseAll(): Promise<{ existed: boolean; mpid: string | null; identities: Identity[] }> {
    const existed = this.store.createdAt() > 0;
    const mpid = this.store.meta("mpid") ?? null;
    const identities = this.parts.identities.plain();
    // The profile leaves the workspaces' directories first, and every audience it is in (its outputs remove it
    // downstream: docs/audience-outputs.md); a failure throws and the erasure is retried.
    await this.audiences().unregister(this.env, this.ctx.id.name);
    await this.audiences().endAll(this.env);
    await this.ctx.blockConcurrencyWhile(async () => {
      await this.ctx.storage.deleteAlarm();
      await this.ctx.storage.deleteAll();
      this.store.reset();
      migrateProfile(this.store.sql, PROFILE_MODULES);
    });
    return { existed, mpid, identities };
  }

  /**
   * Access / portability (DSR): everything stored about the user that `workspaceId` may see — identities
   * (user and device), that workspace's attributes and events, and the rows of any other table (consent,
   * modules' tables…), restricted to the workspace where the table has a `workspace_id` column. Null when there is no profile.
   */
  exportAll(workspaceId: number): ProfileExport | null {
    const createdAt = this.store.createdAt();
    if (!createdAt) return null;
    const sql = this.store.sql;
    const ids = this.parts.identities.exportRows();
    const other: ProfileExport["other"] = {};
    const known = new Set(["meta", "identities", "attributes", "event_batches", "seen_messages"]);
    const tables = sql.exec<{ name: string }>(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_cf\\_%' ESCAPE '\\' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'`).toArray();
    for (const { name } of tables) {
      if (known.has(name)) continue;
      const cursor = sql.exec<Record<string, SqlStorageValue>>(`SELECT * FROM "${name.replaceAll('"', '""')}"`);
      const scoped = cursor.columnNames.includes("workspace_id");
      other[name] = cursor
        .toArray()
        .filter((r) => !scoped || Number(r.workspace_id) === workspaceId)
        .map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v instanceof ArrayBuffer ? [...new Uint8Array(v)].map((b) => b.toString(16).padStart(2, "0")).join("") : v])));
    }
    return {
      mpid: this.store.meta("mpid") ?? "",
      created_ms: createdAt,
      last_seen_ms: Number(this.store.meta("last_seen") ?? createdAt),
      user_identities: ids.filter((i) => !DEVICE_IDENTITY_TYPES.has(i.type)),
      device_identities: ids.filter((i) => DEVICE_IDENTITY_TYPES.has(i.type)),
      user_attributes: this.parts.attributes.exportRows(workspaceId),
      events: this.parts.history.exportRows(workspaceId),
      alias_roles: this.aliasRoles(),
      other,
    };
  }
}

/** Object name for a profile: scope + MPID. */
export function userProfileName(scope: string, mpid: string): string {
  return `${scope}|${mpid}`;
}
