/**
 * A load (a D1 read, a compile, a key import) that one request starts and the isolate's other requests reuse,
 * shared as plain data: its outcome is written on the entry when it settles, and a request that finds it still in
 * flight polls the entry on its own timer (src/lib/wait.ts). A request torn down mid-load (client gone, object
 * reset) never settles its load, not even a `crypto.subtle` import, so a load in flight for
 * `sharedLoadLimits.staleMs` (2 s) is taken as lost and the caller loads again (reproduced in
 * test/worker/shared-load-contexts.test.ts: awaiting such a load hung every later request of the key).
 */
import { sleep } from "./wait";

/** A load in flight this long is taken as lost (its request was torn down). Mutable for tests only. */
export const sharedLoadLimits = { staleMs: 2_000 };
/** How often a request waiting for another's load looks at it. */
const POLL_MS = 1;

export type SharedLoad<T> = { started: number; done?: { ok: true; value: T } | { ok: false; error: unknown } };

/** Shares `p` (this request's own load) as plain data. */
export function share<T>(p: Promise<T>, started = Date.now()): SharedLoad<T> {
  const l: SharedLoad<T> = { started };
  p.then(
    (value) => void (l.done = { ok: true, value }),
    (error: unknown) => void (l.done = { ok: false, error }),
  );
  return l;
}

/** The settled load's value (rejects with its error). */
export function settled<T>(l: SharedLoad<T>): Promise<T> {
  const d = l.done!;
  return d.ok ? Promise.resolve(d.value) : Promise.reject(d.error);
}

/** Waits (polling on this request's own timer) until `l` settles: true, or false once it is stale (load again). */
export async function waitShared(l: SharedLoad<unknown>, staleMs = sharedLoadLimits.staleMs): Promise<boolean> {
  while (!l.done) {
    if (Date.now() - l.started >= staleMs) return false;
    await sleep(POLL_MS);
  }
  return true;
}

export type LoadMap<K, T> = { get(k: K): SharedLoad<T> | undefined; set(k: K, v: SharedLoad<T>): unknown; delete(k: K): unknown };

/** `keepFailures`: a failed load is kept (answered again) instead of forgotten; `staleMs`: see `waitShared`. */
export type LoadOnceOptions = { keepFailures?: boolean; staleMs?: number };

/**
 * `load()` once per `key` of `map` (a Map, a WeakMap, or an adapter such as an LRU or a single slot), its outcome
 * shared as plain data; a request finding it in flight waits for it (`waitShared`), and loads again once it is stale.
 * A failed load is forgotten unless `keepFailures`.
 */
export function loadOnce<K, T>(map: LoadMap<K, T>, key: K, load: () => Promise<T>, opts: LoadOnceOptions = {}): Promise<T> {
  const hit = map.get(key);
  return hit?.done ? settled(hit) : loadInFlight(map, key, load, opts); // a hit: no async frame
}

async function loadInFlight<K, T>(map: LoadMap<K, T>, key: K, load: () => Promise<T>, opts: LoadOnceOptions): Promise<T> {
  const hit = map.get(key);
  if (hit && (hit.done || (await waitShared(hit, opts.staleMs)))) return settled(hit);
  const again = map.get(key);
  if (again && again !== hit) return loadOnce(map, key, load, opts); // another request loads it now
  const p = load();
  const mine = share(p);
  map.set(key, mine);
  if (!opts.keepFailures)
    p.catch(() => {
      if (map.get(key) === mine) map.delete(key);
    });
  return p;
}
