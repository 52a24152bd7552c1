/**
 * The in-isolate store behind the configuration cache (src/db/config-cache.ts): entries with a TTL, concurrent
 * misses sharing one load, and `invalidateConfig()` for writers. No queries here, so query modules that write
 * configuration can invalidate it without importing the readers. A load is shared as plain data
 * (src/lib/shared-load.ts): a request never awaits another request's promise, and a load whose request was torn
 * down is given up after `sharedLoadLimits.staleMs` instead of holding every request of its key.
 */
import { type LoadMap, loadOnce, type SharedLoad } from "../lib/shared-load";

/** How long a configuration read is reused in one isolate. */
export const CONFIG_TTL_MS = 30_000;
/** Unknown API keys are remembered briefly so bad credentials cannot make a D1 query per request. */
export const NEGATIVE_TTL_MS = 5_000;

type Ttl<T> = (v: T) => number;
/** A load and how long its value lives (from when it started). */
type Entry = { load: SharedLoad<unknown>; ttl: Ttl<unknown> };
const cache = new Map<string, Entry>();

const defaultTtl = (v: unknown) => (v == null ? NEGATIVE_TTL_MS : CONFIG_TTL_MS);

/**
 * `cache` as `loadOnce` reads it, for loads whose value lives `ttl(value)`: an expired value reads as absent (a load in
 * flight never expires here; `loadOnce` gives it up once stale). One view per `ttl` function.
 */
const views = new WeakMap<Ttl<never>, LoadMap<string, unknown>>();
function withTtl<T>(ttl: Ttl<T>): LoadMap<string, T> {
  let view = views.get(ttl);
  if (!view) {
    view = {
      get(key) {
        const e = cache.get(key);
        const d = e?.load.done;
        return e && (!d?.ok || e.load.started + e.ttl(d.value) > Date.now()) ? e.load : undefined;
      },
      set: (key, load) => cache.set(key, { load, ttl: ttl as Ttl<unknown> }),
      delete: (key) => cache.delete(key),
    };
    views.set(ttl, view);
  }
  return view as LoadMap<string, T>;
}

/** `load()` once per `key` while fresh; null results live NEGATIVE_TTL_MS unless `ttl` says otherwise; a failed read is never kept. */
export function cached<T>(key: string, load: () => Promise<T>, ttl: Ttl<T> = defaultTtl): Promise<T> {
  return loadOnce(withTtl(ttl), key, load);
}

/** Drops every cached configuration entry (call after a configuration write). */
export function invalidateConfig(): void {
  cache.clear();
}
