/** Chunking by partner limits (events per request, bytes per request). */
import { jsonBytes } from "../../lib/queue";

const enc = new TextEncoder();

export type ChunkLimits<T> = {
  /** Most items per chunk. */
  maxItems: number;
  /** Most bytes per chunk (sum of `size(item)` plus `overheadBytes`); unlimited when absent. */
  maxBytes?: number;
  /** Bytes of the envelope around the items (e.g. `{"api_key":…,"events":[]}`). */
  overheadBytes?: number;
  /** Size of one item; defaults to its JSON byte length plus one comma. */
  size?: (item: T) => number;
};

/**
 * Splits items into chunks within both limits, keeping order. An item bigger than `maxBytes` on its own
 * gets a chunk of its own (the partner's answer decides its fate).
 */
export function chunk<T>(items: T[], limits: ChunkLimits<T>): T[][] {
  const { maxItems, maxBytes, overheadBytes = 0 } = limits;
  const size = limits.size ?? ((t: T) => jsonBytes(t) + 1);
  const out: T[][] = [];
  let cur: T[] = [];
  let bytes = overheadBytes;
  for (const item of items) {
    const s = maxBytes === undefined ? 0 : size(item);
    if (cur.length && (cur.length >= maxItems || (maxBytes !== undefined && bytes + s > maxBytes))) {
      out.push(cur);
      cur = [];
      bytes = overheadBytes;
    }
    cur.push(item);
    bytes += s;
  }
  if (cur.length) out.push(cur);
  return out;
}

const NON_ASCII = /[^\x00-\x7f]/;

/** UTF-8 byte length of a string (fast path for ASCII). */
export function utf8Length(s: string): number {
  return NON_ASCII.test(s) ? enc.encode(s).byteLength : s.length;
}

/** One body item, serialised once, with where it came from. */
export type SerializedItem<M> = { json: string; meta: M };

/** Serialises items and chunks them so that `[a,b,…]` stays within the limits; returns the JSON array texts with their metas. */
export function chunkJsonArray<M>(items: SerializedItem<M>[], maxItems: number, maxBytes: number, overheadBytes = 2): { body: string; metas: M[] }[] {
  return chunk(items, { maxItems, maxBytes, overheadBytes, size: (i) => utf8Length(i.json) + 1 }).map((c) => ({
    body: `[${c.map((i) => i.json).join(",")}]`,
    metas: c.map((i) => i.meta),
  }));
}
