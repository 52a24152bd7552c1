/**
 * The audiences module of UserProfile (issue 19; docs/audiences.md). Per batch, after identities, attributes,
 * consent and calculated attributes: counts the batch's events into the audiences' bucketed counters,
 * evaluates the workspace's audiences (pure core in src/audiences/) and records every enter and exit with its
 * time. Recency windows end memberships through the object's alarm; changes leave through an outbox flushed to
 * the `audience-changes` queue after the transaction, and the profile registers once per workspace in the
 * ProfileDirectory so sweeps reach it.
 * Tables: `audience_sets` (the newest set per workspace, ~0.5 KB per audience), `audience_counts`,
 * `audience_counters`, `audience_batches` (batch parts counted, 30 days), `audience_members`, `audience_log`
 * (the last LOG_LIMIT changes), `audience_outbox` (until queued), `audience_next` (per workspace).
 */
import { type AudienceChange, type AudienceChangesMessage, type AudienceSet, compileSet, type CompiledSet, evaluateSet, type ProfileSnapshot } from "../../audiences";
import { DAY_MS } from "../../lib/time";
import { flushOutbox, outboxPending, unregisterProfile } from "./audience-outbox";
import { memberSnapshot } from "./audience-member";
import { MAX_BINDINGS } from "./store";
import { profileSnapshot } from "./audience-snapshot";
import { AudienceCounts, factsOf } from "./audience-counts";
import type { BatchContext, ProfileModuleDef, ProfileParts } from "./module";

/** Enter/exit records kept per profile (the newest; between trims up to LOG_TRIM_EVERY more wait in the table). */
const LOG_LIMIT = 200;
const LOG_TRIM_EVERY = 25;
/** Counted batch parts are remembered as long as event dedupe keys (30 days). */
const BATCH_KEY_MS = 30 * DAY_MS;
/** The name of the calculated attributes module, whose values audiences read. */
const CA_MODULE = "calculatedAttributes";

export interface AudienceMembership {
  audience_id: number;
  audience_name: string;
  expiration_timestamp_ms: number | null;
}
export interface AudiencesResult {
  changes: AudienceChange[];
}
type Member = { audience_id: number; workspace_ids: string; since: number; expires: number | null };

const finite = (t: number | undefined): number | null => (t !== undefined && Number.isFinite(t) ? t : null);

/** Reads values of another module of the object (calculated attributes), when it is registered. */
export type PeerView = (module: string, workspaceId: number, now: number) => unknown;

export class Audiences {
  private readonly counts: AudienceCounts;
  private peer: PeerView = () => undefined;

  /** Compiled newest set per workspace, as stored (null: none stored; this module is the only writer of `audience_sets`). */
  private readonly sets = new Map<number, { version: number; set: CompiledSet } | null>();
  /** `audience_next` as stored, read once per instance (this module is its only writer). */
  private next: Map<number, number> | undefined;
  /** `audience_members` as stored, read once per instance (this module is its only writer). */
  private members: Map<number, Member> | undefined;
  /**
   * Whether nothing is known to wait for a flush (no outbox row, no pending directory registration); false:
   * unknown or work waiting. A flush makes it unknown again.
   */
  private outboxEmpty = false;
  /** Outbox rows and registrations added by this instance (a flush that raced one cannot call the outbox empty). */
  private outboxWrites = 0;

  constructor(private readonly parts: ProfileParts) {
    this.counts = new AudienceCounts(parts.store);
    parts.store.onReset(() => {
      this.sets.clear();
      this.next = undefined;
      this.members = undefined;
      this.outboxEmpty = false;
    });
  }

  private nextTimes(): Map<number, number> {
    this.next ??= new Map(this.sql.exec<{ workspace_id: number; at: number }>(`SELECT workspace_id, at FROM audience_next`).toArray().map((r) => [r.workspace_id, r.at]));
    return this.next;
  }

  /**
   * Stores a workspace's next recency change (null: none). A stored time still ahead of `now` is kept when the
   * new one is later or none: the alarm then comes early, evaluates (a no-op) and stores the true time. Recency
   * windows move later with every qualifying event, so this spares a write (and an alarm re-arm) per batch.
   */
  private setNext(workspaceId: number, at: number | null, now: number): void {
    const next = this.nextTimes();
    const stored = next.get(workspaceId) ?? null;
    if (stored === at) return;
    if (stored !== null && stored > now && (at === null || at > stored)) return;
    if (at === null) {
      this.sql.exec(`DELETE FROM audience_next WHERE workspace_id = ?`, workspaceId);
      next.delete(workspaceId);
    } else {
      this.sql.exec(`INSERT INTO audience_next (workspace_id, at) VALUES (?, ?) ON CONFLICT (workspace_id) DO UPDATE SET at = excluded.at`, workspaceId, at);
      next.set(workspaceId, at);
    }
  }

  /** Lets the module read other modules' views (the object wires it after creating them all). */
  connect(peer: PeerView): void {
    this.peer = peer;
  }

  private get sql() {
    return this.parts.store.sql;
  }

  /** The newest set of a workspace: `given` when newer than the stored one (then stored), else the stored one. */
  private setFor(workspaceId: number, given: AudienceSet | undefined): CompiledSet | null {
    let cached = this.sets.get(workspaceId);
    if (cached === undefined) {
      // Read once per instance, absence included (a batch without audience inputs reads nothing again).
      const row = this.sql.exec<{ version: number; json: string }>(`SELECT version, json FROM audience_sets WHERE workspace_id = ?`, workspaceId).toArray()[0];
      this.sets.set(workspaceId, (cached = row ? { version: row.version, set: compileSet(JSON.parse(row.json) as AudienceSet) } : null));
    }
    if (given && given.workspaceId === workspaceId && (!cached || given.version > cached.version)) {
      this.sql.exec(`INSERT INTO audience_sets (workspace_id, version, json) VALUES (?, ?, ?) ON CONFLICT (workspace_id) DO UPDATE SET version = excluded.version, json = excluded.json`, workspaceId, given.version, JSON.stringify(given));
      this.sets.set(workspaceId, (cached = { version: given.version, set: compileSet(given) }));
    }
    return cached?.set ?? null;
  }

  private memberMap(): Map<number, Member> {
    this.members ??= new Map(this.sql.exec<Member>(`SELECT audience_id, workspace_ids, since, expires FROM audience_members`).toArray().map((m) => [m.audience_id, m]));
    return this.members;
  }

  private snapshot(workspaceId: number, identities: { type: string; value: string }[], now: number): ProfileSnapshot {
    return profileSnapshot(this.parts, (k) => this.counts.buckets(k), (w) => this.peer(CA_MODULE, w, now), workspaceId, identities);
  }

  /** Evaluates the set now, records enters/exits (log, outbox) and the next recency change; returns the changes. */
  evaluate(set: CompiledSet, identities: { type: string; value: string }[], now: number): AudienceChange[] {
    const members = this.memberMap();
    const stored = new Map(members);
    const r = evaluateSet(set, this.snapshot(set.workspaceId, identities, now), (id) => stored.has(id), now);
    const changes: AudienceChange[] = [];
    const inSet = new Set(set.audiences.map((a) => a.id));
    for (const a of set.audiences) {
      const was = stored.get(a.id);
      if (r.members.has(a.id)) {
        if (!was) changes.push({ audience_id: a.id, action: "add", timestamp_ms: now });
        const workspace_ids = a.workspaceIds.join(",");
        // Written when the user enters (or the audience's workspaces change), not when the expiry moves: recency
        // audiences would rewrite the row with every batch. The view computes the expiry when it is read.
        if (!was || was.workspace_ids !== workspace_ids) {
          const expires = finite(r.changesAt.get(a.id));
          this.sql.exec(`INSERT INTO audience_members (audience_id, workspace_ids, since, expires) VALUES (?, ?, ?, ?) ON CONFLICT (audience_id) DO UPDATE SET workspace_ids = excluded.workspace_ids, expires = excluded.expires`, a.id, workspace_ids, now, expires);
          members.set(a.id, { audience_id: a.id, workspace_ids, since: was?.since ?? now, expires });
        }
      } else if (was) changes.push({ audience_id: a.id, action: "delete", timestamp_ms: now });
    }
    // Memberships of audiences this workspace no longer has (deleted, or the workspace removed from them) end too.
    for (const m of stored.values()) if (!inSet.has(m.audience_id) && m.workspace_ids.split(",").map(Number).includes(set.workspaceId)) changes.push({ audience_id: m.audience_id, action: "delete", timestamp_ms: now });
    for (const c of changes) {
      if (c.action === "delete") {
        this.sql.exec(`DELETE FROM audience_members WHERE audience_id = ?`, c.audience_id);
        members.delete(c.audience_id);
      }
    }
    if (changes.length) {
      // The log in multi-row statements (3 bindings a row); trimmed to LOG_LIMIT when its sequence crosses a multiple of LOG_TRIM_EVERY.
      let last = 0;
      const per = Math.floor(MAX_BINDINGS / 3);
      for (let k = 0; k < changes.length; k += per) {
        const chunk = changes.slice(k, k + per);
        last = this.sql.exec<{ seq: number }>(`INSERT INTO audience_log (audience_id, action, at) VALUES ${chunk.map(() => "(?, ?, ?)").join(", ")} RETURNING seq`, ...chunk.flatMap((c) => [c.audience_id, c.action, now])).toArray().at(-1)!.seq;
      }
      if (Math.floor(last / LOG_TRIM_EVERY) !== Math.floor((last - changes.length) / LOG_TRIM_EVERY)) {
        this.sql.exec(`DELETE FROM audience_log WHERE seq <= ?`, last - LOG_LIMIT);
      }
      const body: AudienceChangesMessage = { v: 1, type: "audience_changes", mpid: this.parts.store.meta("mpid") ?? "", changes, workspace_id: set.workspaceId, member: this.member(set.workspaceId, identities) };
      this.sql.exec(`INSERT INTO audience_outbox (body) VALUES (?)`, JSON.stringify(body));
      this.outboxEmpty = false;
      this.outboxWrites++;
    }
    this.setNext(set.workspaceId, Number.isFinite(r.nextChangeAt) ? r.nextChangeAt : null, now);
    return changes;
  }

  /** The member snapshot audience outputs upload (identities, the workspace's live attributes). */
  private member(workspaceId: number, identities: { type: string; value: string }[], memberships?: number[]) {
    const attrs: Record<string, unknown> = {};
    for (const [name, a] of this.parts.attributes.of(workspaceId)) if (!a.deleted) attrs[name] = a.value;
    return memberSnapshot(identities, attrs, memberships ?? this.membershipsIn(workspaceId));
  }

  /** The audiences of a workspace the user is in now (ids, ascending). */
  private membershipsIn(workspaceId: number): number[] {
    return [...this.memberMap().values()]
      .sort((x, y) => x.audience_id - y.audience_id)
      .filter((m) => m.workspace_ids.split(",").map(Number).includes(workspaceId))
      .map((m) => m.audience_id);
  }

  /**
   * Erasure: every membership ends (one message per workspace with the member as last known, so outputs can
   * remove the user downstream). Sent straight to the queue before the storage is dropped; a failure throws.
   */
  async endAll(env: Env): Promise<void> {
    const members = [...this.memberMap().values()];
    if (!members.length) return;
    const now = Date.now();
    const mpid = this.parts.store.meta("mpid") ?? "";
    const identities = this.parts.identities.plain();
    const byWs = new Map<number, number[]>();
    for (const m of members) {
      const ws = Number(m.workspace_ids.split(",")[0]);
      byWs.set(ws, [...(byWs.get(ws) ?? []), m.audience_id]);
    }
    const bodies = [...byWs].map(([ws, ids]): AudienceChangesMessage => ({
      v: 1,
      type: "audience_changes",
      mpid,
      changes: ids.map((audience_id) => ({ audience_id, action: "delete" as const, timestamp_ms: now })),
      workspace_id: ws,
      member: this.member(ws, identities, []),
      erasure: true,
    }));
    await flushOutbox(this.parts.store, env, undefined);
    await env.AUDIENCE_CHANGES.sendBatch(bodies.map((b) => ({ body: JSON.stringify(b), contentType: "text" as const })));
  }

  ingest(ctx: BatchContext<AudienceSet>): AudiencesResult {
    const ws = ctx.workspaceId;
    if (!this.parts.store.meta(`directory:${ws}`)) {
      this.parts.store.setMeta(`directory:${ws}`, "pending");
      this.outboxEmpty = false;
      this.outboxWrites++;
    }
    const set = this.setFor(ws, ctx.config);
    if (!set) return { changes: [] };
    this.counts.start(set, this.parts.history, new Set(ctx.events.map((e) => e.id)), ctx.now);
    const key = ctx.keyed ? `${ctx.batchId}:${ctx.events[0]?.id ?? ""}` : null;
    this.counts.count(set, key, ctx.events.map((e) => factsOf(ws, e)), ctx.now);
    this.pruneDaily(ctx.now);
    return { changes: this.evaluate(set, ctx.identities, ctx.now) };
  }

  /** A sweep (ProfileDirectory): evaluates `given` (or the stored set when newer) with no batch. */
  sweep(given: AudienceSet, now: number): AudienceChange[] {
    const set = this.setFor(given.workspaceId, given);
    if (!set) return [];
    this.counts.start(set, this.parts.history, new Set(), now);
    return this.evaluate(set, this.parts.identities.list(), now);
  }

  private pruneDaily(now: number) {
    if (now - Number(this.parts.store.meta("audiences_pruned_at") ?? 0) < DAY_MS) return;
    const sets = this.sql.exec<{ json: string }>(`SELECT json FROM audience_sets`).toArray().map((r) => compileSet(JSON.parse(r.json) as AudienceSet));
    this.counts.prune(sets, now, BATCH_KEY_MS);
    this.parts.store.setMeta("audiences_pruned_at", String(now));
  }

  /** Whether a flush has work (outbox rows, a pending directory registration); remembered while nothing is added. */
  pending(): boolean {
    if (this.outboxEmpty) return false;
    const pending = outboxPending(this.parts.store);
    if (!pending) this.outboxEmpty = true;
    return pending;
  }

  nextAlarm(): number | null {
    const pending = this.pending();
    let next: number | null = null;
    for (const at of this.nextTimes().values()) if (next === null || at < next) next = at;
    if (pending) return Math.min(Date.now(), next ?? Infinity);
    return next;
  }

  /** Workspaces whose recency changes are due: evaluated again with their stored set. */
  alarm({ now }: { now: number }): AudiencesResult {
    const due = [...this.nextTimes()].filter(([, at]) => at <= now).map(([w]) => w);
    const changes: AudienceChange[] = [];
    for (const workspace_id of due) {
      const set = this.setFor(workspace_id, undefined);
      if (set) changes.push(...this.evaluate(set, this.parts.identities.list(), now));
      else this.setNext(workspace_id, null, now);
    }
    return { changes };
  }

  /** After a batch or alarm (outside the transaction): the outbox to the queue, directory registrations. */
  async flush(env: Env, selfName: string | undefined): Promise<void> {
    this.outboxEmpty = false;
    const writes = this.outboxWrites;
    // Drained (every row it read sent, every registration made) with nothing added meanwhile: known empty, so
    // the next batches' pending() need not count the outbox again.
    if ((await flushOutbox(this.parts.store, env, selfName)) && writes === this.outboxWrites) this.outboxEmpty = true;
  }

  /** Removes the profile from every workspace directory it registered in (erasure). */
  unregister(env: Env, selfName: string | undefined): Promise<void> {
    return unregisterProfile(this.parts.store, env, selfName);
  }

  /**
   * Memberships shown in a workspace (Profile API, Web SDK): audiences of its newest set the user is in, each
   * with the time it ends without new data (evaluated now: the stored row keeps the membership, not its expiry).
   */
  view(workspaceId: number, now: number, config?: AudienceSet): AudienceMembership[] {
    const set = this.setFor(workspaceId, config);
    if (!set) return [];
    const members = this.memberMap();
    const shown = set.audiences.filter((a) => members.has(a.id)).sort((x, y) => x.id - y.id);
    if (!shown.length) return [];
    this.counts.start(set, this.parts.history, new Set(), now);
    const r = evaluateSet(set, this.snapshot(workspaceId, this.parts.identities.list(), now), (id) => members.has(id), now);
    return shown.map((a) => ({ audience_id: a.id, audience_name: a.name, expiration_timestamp_ms: r.members.has(a.id) ? finite(r.changesAt.get(a.id)) : members.get(a.id)!.expires }));
  }

  /** Enter/exit records, newest first. */
  log(limit = 50): { audience_id: number; action: string; at: number }[] {
    return this.sql.exec<{ audience_id: number; action: string; at: number }>(`SELECT audience_id, action, at FROM audience_log ORDER BY seq DESC LIMIT ?`, limit).toArray();
  }
}

export const audiencesModule = {
  name: "audiences",
  schema: [
    [
      `CREATE TABLE IF NOT EXISTS audience_sets (workspace_id INTEGER PRIMARY KEY, version INTEGER NOT NULL, json TEXT NOT NULL)`,
      `CREATE TABLE IF NOT EXISTS audience_counters (counter TEXT PRIMARY KEY, since INTEGER NOT NULL)`,
      `CREATE TABLE IF NOT EXISTS audience_counts (counter TEXT NOT NULL, bucket INTEGER NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (counter, bucket))`,
      `CREATE TABLE IF NOT EXISTS audience_batches (batch_key TEXT PRIMARY KEY, at INTEGER NOT NULL)`,
      `CREATE TABLE IF NOT EXISTS audience_members (audience_id INTEGER PRIMARY KEY, workspace_ids TEXT NOT NULL, since INTEGER NOT NULL, expires INTEGER)`,
      `CREATE TABLE IF NOT EXISTS audience_log (seq INTEGER PRIMARY KEY AUTOINCREMENT, audience_id INTEGER NOT NULL, action TEXT NOT NULL, at INTEGER NOT NULL)`,
      `CREATE TABLE IF NOT EXISTS audience_outbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, body TEXT NOT NULL)`,
      `CREATE TABLE IF NOT EXISTS audience_next (workspace_id INTEGER PRIMARY KEY, at INTEGER NOT NULL)`,
    ],
    // v2: counter buckets and counted batch keys WITHOUT ROWID (written with every batch: one B-tree each instead of
    // a table plus its primary-key index)
    [
      `CREATE TABLE audience_counts_v2 (counter TEXT NOT NULL, bucket INTEGER NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (counter, bucket)) WITHOUT ROWID`,
      `INSERT INTO audience_counts_v2 (counter, bucket, n) SELECT counter, bucket, n FROM audience_counts`,
      `DROP TABLE audience_counts`,
      `ALTER TABLE audience_counts_v2 RENAME TO audience_counts`,
      `CREATE TABLE audience_batches_v2 (batch_key TEXT PRIMARY KEY, at INTEGER NOT NULL) WITHOUT ROWID`,
      `INSERT INTO audience_batches_v2 (batch_key, at) SELECT batch_key, at FROM audience_batches`,
      `DROP TABLE audience_batches`,
      `ALTER TABLE audience_batches_v2 RENAME TO audience_batches`,
    ],
  ],
  create: (parts: ProfileParts) => new Audiences(parts),
} satisfies ProfileModuleDef<"audiences", AudienceSet, AudiencesResult, AudienceMembership[]>;
