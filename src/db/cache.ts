/**
 * The in-isolate store behind the configuration cache (src/db/config-cache.ts): entries with a TTL, concurrent
 * misses sharing one load, and `invalidateConfig()` for writers. No queries here, so query modules that write
 * configuration can invalidate it without importing the readers. A load is shared as plain data
 * (src/lib/shared-load.ts): a request never awaits another request's promise, and a load whose request was torn
 * down is given up after `sharedLoadLimits.staleMs` instead of holding every request of its key.
 */
import { settled, share, type SharedLoad, waitShared } from "../lib/shared-load";

/** How long a configuration read is reused in one isolate. */
export const CONFIG_TTL_MS = 30_000;
/** Unknown API keys are remembered briefly so bad credentials cannot make a D1 query per request. */
export const NEGATIVE_TTL_MS = 5_000;

type Ttl<T> = (v: T) => number;
type Entry = { expires: number; load: SharedLoad<unknown> };
const cache = new Map<string, Entry>();

const defaultTtl = (v: unknown) => (v == null ? NEGATIVE_TTL_MS : CONFIG_TTL_MS);

/** `load()` once per `key` while fresh; null results live NEGATIVE_TTL_MS unless `ttl` says otherwise. */
export function cached<T>(key: string, load: () => Promise<T>, ttl: Ttl<T> = defaultTtl): Promise<T> {
  const hit = cache.get(key);
  if (hit && hit.expires > Date.now()) return hit.load.done ? settled(hit.load as SharedLoad<T>) : waitFor(key, hit, load, ttl);
  return start(key, load, ttl);
}

/** This request loads `key` itself. */
function start<T>(key: string, load: () => Promise<T>, ttl: Ttl<T>): Promise<T> {
  const now = Date.now();
  const value = load();
  const entry: Entry = { expires: now + CONFIG_TTL_MS, load: share(value, now) };
  cache.set(key, entry);
  value.then(
    (v) => (entry.expires = now + ttl(v)),
    () => void (cache.get(key) === entry && cache.delete(key)), // never cache a failed read
  );
  return value;
}

/** Another request's load of `key`: its outcome, or this request's own load once that one is stale. */
async function waitFor<T>(key: string, entry: Entry, load: () => Promise<T>, ttl: Ttl<T>): Promise<T> {
  if (await waitShared(entry.load)) return settled(entry.load as SharedLoad<T>);
  return cache.get(key) === entry ? start(key, load, ttl) : cached(key, load, ttl);
}

/** Drops every cached configuration entry (call after a configuration write). */
export function invalidateConfig(): void {
  cache.clear();
}
