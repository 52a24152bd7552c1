/**
 * The in-isolate store behind the configuration cache (src/db/config-cache.ts): entries with a TTL, concurrent
 * misses sharing one load, and `invalidateConfig()` for writers. No queries here, so query modules that write
 * configuration can invalidate it without importing the readers.
 */

/** How long a configuration read is reused in one isolate. */
export const CONFIG_TTL_MS = 30_000;
/** Unknown API keys are remembered briefly so bad credentials cannot make a D1 query per request. */
export const NEGATIVE_TTL_MS = 5_000;

type Entry = { expires: number; value: Promise<unknown> };
const cache = new Map<string, Entry>();

/** `load()` once per `key` while fresh; null results live NEGATIVE_TTL_MS unless `ttl` says otherwise. */
export function cached<T>(key: string, load: () => Promise<T>, ttl = (v: T) => (v == null ? NEGATIVE_TTL_MS : CONFIG_TTL_MS)): Promise<T> {
  const now = Date.now();
  const hit = cache.get(key);
  if (hit && hit.expires > now) return hit.value as Promise<T>;
  const value = load();
  const entry: Entry = { expires: now + CONFIG_TTL_MS, value };
  cache.set(key, entry);
  value.then(
    (v) => (entry.expires = now + ttl(v)),
    () => cache.delete(key), // never cache a failed read
  );
  return value;
}

/** Drops every cached configuration entry (call after a configuration write). */
export function invalidateConfig(): void {
  cache.clear();
}
