/**
 * The calculated attributes module of UserProfile (issue 19): per batch, each active definition of the
 * workspace (sent by the ingest consumer, one versioned snapshot per batch) takes the batch's events; a
 * definition new to this profile (or re-activated: another revision) is first computed from the history
 * (backfill) and seeds. Windows decay through the object's alarm. Tables: `ca_states` (one row per user ×
 * workspace: every active definition's accumulator or ≤ 20 buckets, a few hundred bytes to a few KB each, as one
 * JSON text written once per batch), `ca_seeds` (one row per seeded definition). Pure cores: `ca-match.ts`, `ca-acc.ts`, `ca-state.ts`, `ca-seed.ts`.
 */
import type { CaSpec, CalculationType } from "../../schema/calculated-attribute";
import type { Acc, CaValue } from "./ca-acc";
import { type Observation, observe } from "./ca-match";
import { type CaState, currentValue, emptyState, expire, firstExpiryAfter, nextExpiry, observeAll } from "./ca-state";
import type { ProfileModule, ProfileModuleDef, ProfileParts } from "./module";
import type { ProfileEvent } from "./events";

/** What the ingest consumer sends: the workspace's active definitions and the version of that snapshot. */
export type CaInput = { version: string; specs: CaSpec[] };
/** The user's calculated values (by CA name) after the batch. */
export type CaResult = { values: Record<string, CaValue> };
/** A stored seed: the calculation and cutoff it was made for (it counts only while the definition keeps both). */
export type StoredSeed = { calc: CalculationType; cutoff: number; acc: Acc };

type Entry = { name: string; state: CaState };

class CalculatedAttributes implements ProfileModule<CaInput, CaResult, Record<string, CaValue>> {
  /** States per workspace → CA id, as stored. */
  private cache = new Map<number, Map<number, Entry>>();
  /**
   * Values per workspace as `values()` computed them, until a state of the workspace changes or `until` (the
   * earliest time a window bucket leaves its window: the only way time alone changes a value).
   */
  private valueCache = new Map<number, { values: Record<string, CaValue>; until: number }>();
  /**
   * Per state (as held in `cache`): its value as `values()` computed it and until when it holds (the state
   * unchanged); per entry: its JSON text as last written. Both dropped when a batch or alarm changes the state.
   */
  private stateValues = new WeakMap<CaState, { value: CaValue | null; until: number }>();
  private entryTexts = new WeakMap<Entry, string>();

  constructor(private readonly parts: ProfileParts) {
    parts.store.onReset(() => {
      this.cache.clear();
      this.valueCache.clear();
      this.stateValues = new WeakMap();
      this.entryTexts = new WeakMap();
      this.workspaces = undefined;
    });
  }

  /** Forgets what was computed from an entry's state (the caller changed it). */
  private touched(e: Entry): void {
    this.stateValues.delete(e.state);
    this.entryTexts.delete(e);
  }

  private states(workspaceId: number): Map<number, Entry> {
    let m = this.cache.get(workspaceId);
    if (m) return m;
    m = new Map();
    const row = this.parts.store.sql.exec<{ states: string }>(`SELECT states FROM ca_states WHERE workspace_id = ?`, workspaceId).toArray()[0];
    if (row) for (const [id, e] of Object.entries(JSON.parse(row.states) as Record<string, Entry>)) m.set(Number(id), e);
    this.cache.set(workspaceId, m);
    return m;
  }

  /** Stores states: the workspace's row is written whole, once (a batch touching 20 definitions is one row written). */
  private saveAll(workspaceId: number, entries: [number, Entry][]): void {
    const states = this.states(workspaceId);
    for (const [id, e] of entries) states.set(id, e);
    this.write(workspaceId, states);
  }

  private write(workspaceId: number, states: Map<number, Entry>): void {
    this.valueCache.delete(workspaceId);
    if (!states.size) {
      this.parts.store.sql.exec(`DELETE FROM ca_states WHERE workspace_id = ?`, workspaceId);
      this.workspaces?.delete(workspaceId);
      return;
    }
    const json = this.statesText(states);
    this.parts.store.sql.exec(`INSERT INTO ca_states (workspace_id, states) VALUES (?, ?) ON CONFLICT (workspace_id) DO UPDATE SET states = excluded.states`, workspaceId, json);
    this.workspaces?.add(workspaceId);
  }

  /**
   * `JSON.stringify(Object.fromEntries(states))`, from each entry's text as last written when it did not change
   * (integer keys ascending, as JSON.stringify orders an object's array-index keys).
   */
  private statesText(states: Map<number, Entry>): string {
    const ids = [...states.keys()];
    if (!ids.every((id) => Number.isInteger(id) && id >= 0 && id < 4294967295)) return JSON.stringify(Object.fromEntries(states));
    ids.sort((a, b) => a - b);
    let out = "{";
    for (const id of ids) {
      const e = states.get(id)!;
      let text = this.entryTexts.get(e);
      if (text === undefined) this.entryTexts.set(e, (text = JSON.stringify(e)));
      out += `${out.length > 1 ? "," : ""}"${id}":${text}`;
    }
    return `${out}}`;
  }

  private seedOf(workspaceId: number, name: string): StoredSeed | null {
    const row = this.parts.store.sql.exec<{ seed: string }>(`SELECT seed FROM ca_seeds WHERE workspace_id = ? AND name = ?`, workspaceId, name).toArray()[0];
    return row ? (JSON.parse(row.seed) as StoredSeed) : null;
  }

  /** A definition's state computed from the history (and the seed, when it matches the definition). */
  private backfill(workspaceId: number, spec: CaSpec, history: ProfileEvent[], now: number): CaState {
    const s = emptyState(spec);
    const seed = this.seedOf(workspaceId, spec.name);
    if (seed && seed.calc === spec.calc && seed.cutoff === spec.cutoffMs && spec.windowMs === null) s.seed = seed.acc;
    for (const e of history) observeAll(s, observe(spec, e), now);
    return s;
  }

  /**
   * Brings the workspace's states in line with `specs`: a definition without state (or under another revision)
   * is backfilled, one no longer active is dropped. Returns the ids backfilled (the history held this batch).
   */
  private sync(workspaceId: number, specs: CaSpec[], now: number): Set<number> {
    const states = this.states(workspaceId);
    const fresh = new Set<number>();
    let history: ProfileEvent[] | undefined;
    for (const spec of specs) {
      const e = states.get(spec.id);
      if (e && e.state.r === spec.revision && e.name === spec.name) continue;
      history ??= this.parts.history.replay(workspaceId);
      states.set(spec.id, { name: spec.name, state: this.backfill(workspaceId, spec, history, now) });
      fresh.add(spec.id);
    }
    const active = new Set(specs.map((s) => s.id));
    const gone = [...states.keys()].filter((id) => !active.has(id));
    for (const id of gone) states.delete(id);
    if (fresh.size || gone.length) this.write(workspaceId, states);
    return fresh;
  }

  /** The workspace's values at `now` (by name, sorted); callers must not change the answer (it is cached). */
  private values(workspaceId: number, now: number): Record<string, CaValue> {
    const cached = this.valueCache.get(workspaceId);
    if (cached && now < cached.until) return cached.values;
    const out: Record<string, CaValue> = {};
    let until = Infinity;
    for (const e of [...this.states(workspaceId).values()].sort((a, b) => (a.name < b.name ? -1 : 1))) {
      // A state's value holds until a bucket counting now leaves its window, while the state is unchanged.
      let v = this.stateValues.get(e.state);
      if (!v || now >= v.until) this.stateValues.set(e.state, (v = { value: currentValue(e.state, now), until: firstExpiryAfter(e.state, now) ?? Infinity }));
      if (v.value !== null) out[e.name] = v.value;
      if (v.until < until) until = v.until;
    }
    this.valueCache.set(workspaceId, { values: out, until });
    return out;
  }

  ingest(ctx: { config: CaInput | undefined; workspaceId: number; events: ProfileEvent[]; now: number }): CaResult {
    const { config, workspaceId, now } = ctx;
    if (!config) return { values: this.values(workspaceId, now) };
    const fresh = this.sync(workspaceId, config.specs, now);
    const states = this.states(workspaceId);
    const dirty: [number, Entry][] = [];
    for (const spec of config.specs) {
      if (fresh.has(spec.id)) continue;
      const e = states.get(spec.id)!;
      let obs: Observation[] | undefined;
      for (const ev of ctx.events) {
        const o = observe(spec, ev);
        if (o.length) obs = obs ? obs.concat(o) : o;
      }
      const expired = expire(e.state, now);
      // Written only when the state changed (an observation that changes nothing, e.g. a larger value for `min`, is not).
      const changed = obs !== undefined && observeAll(e.state, obs, now);
      if (changed || expired) {
        this.touched(e);
        dirty.push([spec.id, e]);
      }
    }
    if (dirty.length) this.saveAll(workspaceId, dirty);
    return { values: this.values(workspaceId, now) };
  }

  /** Workspaces with stored states, read once per instance (a profile seldom spans more than one). */
  private workspaces: Set<number> | undefined;
  private allWorkspaces(): number[] {
    this.workspaces ??= new Set(this.parts.store.sql.exec<{ w: number }>(`SELECT workspace_id AS w FROM ca_states`).toArray().map((r) => r.w));
    return [...this.workspaces];
  }

  nextAlarm(): number | null {
    let at: number | null = null;
    for (const w of this.allWorkspaces()) {
      for (const e of this.states(w).values()) {
        const t = nextExpiry(e.state);
        if (t !== null && (at === null || t < at)) at = t;
      }
    }
    return at;
  }

  alarm({ now }: { now: number }): Record<number, Record<string, CaValue>> {
    const out: Record<number, Record<string, CaValue>> = {};
    for (const w of this.allWorkspaces()) {
      const dirty = [...this.states(w)].filter(([, e]) => expire(e.state, now));
      for (const [, e] of dirty) this.touched(e);
      if (dirty.length) this.saveAll(w, dirty);
      out[w] = this.values(w, now);
    }
    return out;
  }

  view(workspaceId: number, now: number, config: CaInput | undefined): Record<string, CaValue> {
    if (config) this.sync(workspaceId, config.specs, now);
    return this.values(workspaceId, now);
  }

  /**
   * Stores seeds (Seeding API) and recomputes the seeded definitions from the history with live data from the
   * cutoff on. `specs`: the workspace's active definitions (a seed of a draft definition waits for activation).
   */
  seed(workspaceId: number, seeds: { name: string; seed: StoredSeed }[], specs: CaSpec[], now: number): void {
    for (const { name, seed } of seeds) {
      this.parts.store.sql.exec(
        `INSERT INTO ca_seeds (workspace_id, name, seed, at) VALUES (?, ?, ?, ?) ON CONFLICT (workspace_id, name) DO UPDATE SET seed = excluded.seed, at = excluded.at`,
        workspaceId, name, JSON.stringify(seed), now,
      );
    }
    const seeded = new Set(seeds.map((s) => s.name));
    const history = this.parts.history.replay(workspaceId);
    this.sync(workspaceId, specs, now);
    const reseeded = specs.filter((spec) => seeded.has(spec.name)).map((spec): [number, Entry] => [spec.id, { name: spec.name, state: this.backfill(workspaceId, spec, history, now) }]);
    if (reseeded.length) this.saveAll(workspaceId, reseeded);
  }
}

/** Per workspace: `ca_states` (user × workspace: its active definitions' states), `ca_seeds` (user × seeded definition). */
export const calculatedAttributesModule = {
  name: "calculatedAttributes",
  schema: [
    [
      `CREATE TABLE IF NOT EXISTS ca_state (workspace_id INTEGER NOT NULL, ca_id INTEGER NOT NULL, name TEXT NOT NULL, state TEXT NOT NULL, PRIMARY KEY (workspace_id, ca_id))`,
      `CREATE TABLE IF NOT EXISTS ca_seeds (workspace_id INTEGER NOT NULL, name TEXT NOT NULL, seed TEXT NOT NULL, at INTEGER NOT NULL, PRIMARY KEY (workspace_id, name))`,
    ],
    // v2: one row per workspace holding every definition's state (written once per batch instead of a row per
    // definition: 20 definitions cost one row write, not 20 upserts).
    [
      `CREATE TABLE IF NOT EXISTS ca_states (workspace_id INTEGER PRIMARY KEY, states TEXT NOT NULL)`,
      `INSERT INTO ca_states (workspace_id, states) SELECT workspace_id, json_group_object(ca_id, json_object('name', name, 'state', json(state))) FROM ca_state GROUP BY workspace_id`,
      `DROP TABLE ca_state`,
    ],
  ],
  create: (parts: ProfileParts) => new CalculatedAttributes(parts),
} as const satisfies ProfileModuleDef<"calculatedAttributes", CaInput, CaResult, Record<string, CaValue>>;

export type { CalculatedAttributes };
