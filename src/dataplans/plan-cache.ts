/**
 * Data plans on hot paths (Web SDK config, ingest validation). A plan's version list comes through the config
 * cache (TTL `CONFIG_TTL_MS`, so a changed version takes effect within it); a version's document is parsed and
 * compiled once per (plan generation, version row, update time) and kept in an isolate-wide LRU.
 */
import { createDb } from "../db";
import { compilePlan, type CompiledPlan } from "./validator";
import { cached } from "../db/cache";
import { type LoadMap, loadOnce, type SharedLoad } from "../lib/shared-load";
import { findPlan, planVersionMetas, type PlanRow, type VersionMeta, versionDocument } from "../db/queries/data-plans";

/** A plan with its versions' metadata. */
export type CachedPlan = { plan: PlanRow; versions: VersionMeta[] };
/** A version's parsed document and its compiled validators. */
export type LoadedVersion = { document: Record<string, unknown>; compiled: CompiledPlan };

/** Compiled versions kept per isolate (our bound; a typical version compiles to well under 1 MB). */
export const COMPILED_CACHE_SIZE = 64;

/** A workspace's plan by slug, with its versions (null when there is none). */
export function cachedPlan(env: Env, workspaceId: number, planId: string): Promise<CachedPlan | null> {
  return cached(`plan:${workspaceId}:${planId}`, async () => {
    const db = createDb(env.DB);
    const plan = await findPlan(db, workspaceId, planId);
    return plan ? { plan, versions: await planVersionMetas(db, plan.id) } : null;
  });
}

/** Loads by content key, shared as plain data (src/lib/shared-load.ts): never one request's promise awaited by another. */
const compiled = new Map<string, SharedLoad<LoadedVersion | null>>();
/** `compiled` in LRU order: a hit, or a (re)load, goes last; past COMPILED_CACHE_SIZE the oldest go. */
const lru: LoadMap<string, LoadedVersion | null> = {
  get(key) {
    const hit = compiled.get(key);
    if (hit) {
      compiled.delete(key);
      compiled.set(key, hit);
    }
    return hit;
  },
  set(key, load) {
    compiled.delete(key);
    compiled.set(key, load);
    while (compiled.size > COMPILED_CACHE_SIZE) compiled.delete(compiled.keys().next().value!);
  },
  delete: (key) => compiled.delete(key),
};

/** The document and compiled validators of a version (loaded and compiled once per content). */
export function loadedVersion(env: Env, plan: PlanRow, v: VersionMeta): Promise<LoadedVersion | null> {
  return loadOnce(lru, `${plan.generation}:${v.id}:${v.updatedAt}`, () =>
    versionDocument(createDb(env.DB), v.id).then((text) => {
      if (text === null) return null;
      const document = JSON.parse(text) as Record<string, unknown>;
      return { document, compiled: compilePlan(document) };
    }),
  );
}
