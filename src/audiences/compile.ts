/**
 * A workspace's audience definitions compiled for evaluation: audiences in dependency order (an audience
 * after the audiences its criteria reference), and the event counters their event leaves need — one counter
 * per distinct (event spec, workspaces, bucket width), shared by every leaf that asks the same.
 * Compiled once per (workspace, version) in an isolate.
 */
import { sha256HexSync } from "../lib/crypto";
import { type Criteria, DEFAULT_WITHIN, type EventLeaf, forEachLeaf, WITHIN_UNITS } from "./criteria";

/**
 * One audience as the profile receives it (D1 row). `criteria` is the validated `Criteria` as JSON text, as
 * stored: parsed once per set version where it is compiled, cheap to pass over RPC, and no recursive type
 * in the object's RPC signatures (which makes the stub types too deep for TypeScript).
 */
export interface AudienceDefinition {
  id: number;
  name: string;
  workspaceIds: number[];
  criteria: string;
}
/** A workspace's audiences at one version (bumped by every write that touches the workspace's audiences). */
export interface AudienceSet {
  workspaceId: number;
  version: number;
  audiences: AudienceDefinition[];
}

/** An event counter kept in time buckets by the profile. */
export type CounterSpec = {
  key: string;
  event: EventLeaf["event"];
  /** The event spec's strings in lower case (matching is case-insensitive). */
  match: { type: string; customType: string | null; name: string | null };
  workspaceIds: number[];
  bucketMs: number;
  retentionMs: number;
};
/** An event leaf bound to its counter: count predicate over the window. */
export type CompiledEventLeaf = { counter: string; windowMs: number; bucketMs: number; operator: NonNullable<EventLeaf["count"]>["operator"]; value: number };

export type CompiledAudience = Omit<AudienceDefinition, "criteria"> & { criteria: Criteria; events: Map<EventLeaf, CompiledEventLeaf> };
export type CompiledSet = { workspaceId: number; version: number; audiences: CompiledAudience[]; counters: CounterSpec[] };

/** Bucket widths; a window uses the largest that is at most 1/50 of it (membership ends within one bucket). */
const BUCKETS_MS = [1_000, 10_000, 60_000, 600_000, 3_600_000, 21_600_000, 86_400_000];
const BUCKETS_PER_WINDOW = 50;

export function bucketFor(windowMs: number): number {
  let pick = BUCKETS_MS[0]!;
  for (const b of BUCKETS_MS) if (b * BUCKETS_PER_WINDOW <= windowMs) pick = b;
  return pick;
}

/** The window of an event leaf in ms (default 30 days). */
export function windowOf(leaf: EventLeaf): number {
  const w = leaf.within ?? DEFAULT_WITHIN;
  return w.within * WITHIN_UNITS[w.within_unit];
}

const compiled = new Map<string, CompiledSet>();

/** Compiles `set` (memoized by workspace and version; a new version replaces the old entry). */
export function compileSet(set: AudienceSet): CompiledSet {
  const cacheKey = `${set.workspaceId}:${set.version}`;
  const hit = compiled.get(cacheKey);
  if (hit) return hit;
  const counters = new Map<string, CounterSpec>();
  const audiences = orderByDependency(set.audiences).map((a): CompiledAudience => {
    const events = new Map<EventLeaf, CompiledEventLeaf>();
    const workspaceIds = [...a.workspaceIds].sort((x, y) => x - y);
    const criteria = JSON.parse(a.criteria) as Criteria;
    forEachLeaf(criteria, (leaf) => {
      if (!("event" in leaf)) return;
      const windowMs = windowOf(leaf);
      const bucketMs = bucketFor(windowMs);
      const key = sha256HexSync(JSON.stringify([leaf.event, workspaceIds, bucketMs])).slice(0, 16);
      const c = counters.get(key);
      if (c) c.retentionMs = Math.max(c.retentionMs, windowMs);
      else {
        const e = leaf.event;
        const match = { type: e.event_type.toLowerCase(), customType: e.custom_event_type?.toLowerCase() ?? null, name: e.event_name?.toLowerCase() ?? null };
        counters.set(key, { key, event: e, match, workspaceIds, bucketMs, retentionMs: windowMs });
      }
      events.set(leaf, { counter: key, windowMs, bucketMs, operator: leaf.count?.operator ?? "greater_than", value: leaf.count?.value ?? 0 });
    });
    return { ...a, criteria, events };
  });
  for (const k of compiled.keys()) if (k.startsWith(`${set.workspaceId}:`)) compiled.delete(k);
  if (compiled.size > 500) compiled.clear();
  const out = { workspaceId: set.workspaceId, version: set.version, audiences, counters: [...counters.values()] };
  compiled.set(cacheKey, out);
  return out;
}

/** Audience ids a criteria tree references. */
export function referencedAudiences(c: Criteria): number[] {
  const out: number[] = [];
  forEachLeaf(c, (leaf) => {
    if ("audience" in leaf) out.push(leaf.audience.audience_id);
  });
  return out;
}

/** Audiences ordered so that a referenced audience of the same set comes first (cycles are refused on write). */
function orderByDependency(list: AudienceDefinition[]): AudienceDefinition[] {
  const byId = new Map(list.map((a) => [a.id, a]));
  const out: AudienceDefinition[] = [];
  const state = new Map<number, 1 | 2>();
  const visit = (a: AudienceDefinition) => {
    if (state.get(a.id)) return;
    state.set(a.id, 1);
    for (const id of referencedAudiences(JSON.parse(a.criteria) as Criteria)) {
      const dep = byId.get(id);
      if (dep && !state.get(id)) visit(dep);
    }
    state.set(a.id, 2);
    out.push(a);
  };
  for (const a of [...list].sort((x, y) => x.id - y.id)) visit(a);
  return out;
}
