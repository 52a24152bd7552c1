/** Stable, cheap shard selection (FNV-1a, 32 bit): the same key always maps to the same shard of `n`. */

/** FNV-1a hash of a string (UTF-16 code units), unsigned 32 bit. */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** The shard (0 … n-1) of `key` among `n`; n ≤ 1 is one shard. */
export function shardOf(key: string, n: number): number {
  return n > 1 ? fnv1a(key) % n : 0;
}

/** A positive integer from a [vars] string, else `fallback` (so a missing or bad value never breaks the hot path). */
export function countVar(value: unknown, fallback: number, max = 4096): number {
  const n = Number(value);
  return Number.isInteger(n) && n >= 1 && n <= max ? n : fallback;
}
