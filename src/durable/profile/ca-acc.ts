/**
 * Accumulators of calculated attributes (audiences.md §3): what each calculation keeps, how two merge (time
 * buckets of a window, a seed and live data) and the value as a string. Only the fields a calculation needs
 * are set, so the state stays small. Pure.
 */
import type { CalculationType } from "../../schema/calculated-attribute";
import type { Observation } from "./ca-match";

/** Unique lists keep at most this many values (§3: after 100 distinct values nothing new is collected). */
export const UNIQUE_LIST_LIMIT = 100;
/** Distinct values kept for `unique_values_count` and `most_frequent` (a bound of ours: storage per user). */
export const DISTINCT_LIMIT = 1000;

export type Acc = {
  /** count */
  n?: number;
  /** sum; average: weighted sum */
  s?: number;
  /** average: total weight */
  w?: number;
  mn?: number;
  mx?: number;
  /** first / last occurrence: [time, value] */
  f?: [number, string | null];
  l?: [number, string | null];
  /** first / last occurrence timestamp */
  ft?: number;
  lt?: number;
  /** unique list / unique values: values in arrival order */
  u?: string[];
  /** most frequent: value → weight */
  q?: Record<string, number>;
};

const numOf = (v: string | null) => (v === null || v.trim() === "" ? NaN : Number(v));

/** Adds one observation (returns `acc`, changed). */
export function add(acc: Acc, calc: CalculationType, o: Observation): Acc {
  switch (calc) {
    case "count": acc.n = (acc.n ?? 0) + 1; break;
    case "sum": { const x = numOf(o.value); if (Number.isFinite(x)) acc.s = (acc.s ?? 0) + x; break; }
    case "min": { const x = numOf(o.value); if (Number.isFinite(x) && (acc.mn === undefined || x < acc.mn)) acc.mn = x; break; }
    case "max": { const x = numOf(o.value); if (Number.isFinite(x) && (acc.mx === undefined || x > acc.mx)) acc.mx = x; break; }
    case "average": { const x = numOf(o.value); if (Number.isFinite(x)) { acc.s = (acc.s ?? 0) + x * o.weight; acc.w = (acc.w ?? 0) + o.weight; } break; }
    case "first_occurrence": if (!acc.f || o.ts < acc.f[0]) acc.f = [o.ts, o.value]; break;
    case "last_occurrence": if (!acc.l || o.ts >= acc.l[0]) acc.l = [o.ts, o.value]; break;
    case "first_occurrence_timestamp": if (acc.ft === undefined || o.ts < acc.ft) acc.ft = o.ts; break;
    case "last_occurrence_timestamp": if (acc.lt === undefined || o.ts > acc.lt) acc.lt = o.ts; break;
    case "unique_list":
    case "unique_values_count": {
      if (o.value === null) break;
      const u = (acc.u ??= []);
      if (u.length < (calc === "unique_list" ? UNIQUE_LIST_LIMIT : DISTINCT_LIMIT) && !u.includes(o.value)) u.push(o.value);
      break;
    }
    case "most_frequent": {
      if (o.value === null) break;
      const q = (acc.q ??= {});
      if (o.value in q || Object.keys(q).length < DISTINCT_LIMIT) q[o.value] = (q[o.value] ?? 0) + o.weight;
      break;
    }
  }
  return acc;
}

/** `a` and `b` together (`a` earlier in arrival order), as a new accumulator. */
export function merge(a: Acc, b: Acc, calc: CalculationType): Acc {
  const out: Acc = { ...a };
  if (b.n !== undefined) out.n = (a.n ?? 0) + b.n;
  if (b.s !== undefined) out.s = (a.s ?? 0) + b.s;
  if (b.w !== undefined) out.w = (a.w ?? 0) + b.w;
  if (b.mn !== undefined && (a.mn === undefined || b.mn < a.mn)) out.mn = b.mn;
  if (b.mx !== undefined && (a.mx === undefined || b.mx > a.mx)) out.mx = b.mx;
  if (b.f && (!a.f || b.f[0] < a.f[0])) out.f = b.f;
  if (b.l && (!a.l || b.l[0] >= a.l[0])) out.l = b.l;
  if (b.ft !== undefined && (a.ft === undefined || b.ft < a.ft)) out.ft = b.ft;
  if (b.lt !== undefined && (a.lt === undefined || b.lt > a.lt)) out.lt = b.lt;
  if (b.u) {
    const limit = calc === "unique_list" ? UNIQUE_LIST_LIMIT : DISTINCT_LIMIT;
    const u = [...(a.u ?? [])];
    for (const v of b.u) if (u.length < limit && !u.includes(v)) u.push(v);
    out.u = u;
  }
  if (b.q) {
    const q = { ...(a.q ?? {}) };
    for (const [k, v] of Object.entries(b.q)) if (k in q || Object.keys(q).length < DISTINCT_LIMIT) q[k] = (q[k] ?? 0) + v;
    out.q = q;
  }
  return out;
}

/** A number as a value string (float noise of sums removed: 0.1 + 0.2 → "0.3"). */
const numStr = (x: number) => String(Number(x.toPrecision(15)));
const iso = (t: number) => new Date(t).toISOString();

/** A calculated value: a string (numbers and timestamps too), or a unique list of strings. */
export type CaValue = string | string[];

/**
 * The calculated value (§3), or null when there is none yet: counts and sums are "0" without data;
 * timestamps ISO 8601 UTC; unique lists as a list of strings sorted alphabetically (as the Profile API shows
 * them); most-frequent ties broken alphabetically.
 */
export function valueOf(acc: Acc, calc: CalculationType): CaValue | null {
  switch (calc) {
    case "count": return String(acc.n ?? 0);
    case "sum": return numStr(acc.s ?? 0);
    case "min": return acc.mn === undefined ? null : numStr(acc.mn);
    case "max": return acc.mx === undefined ? null : numStr(acc.mx);
    case "average": return acc.w ? numStr((acc.s ?? 0) / acc.w) : null;
    case "first_occurrence": return acc.f ? acc.f[1] : null;
    case "last_occurrence": return acc.l ? acc.l[1] : null;
    case "first_occurrence_timestamp": return acc.ft === undefined ? null : iso(acc.ft);
    case "last_occurrence_timestamp": return acc.lt === undefined ? null : iso(acc.lt);
    case "unique_list": return acc.u?.length ? [...acc.u].sort() : null;
    case "unique_values_count": return String(acc.u?.length ?? 0);
    case "most_frequent": {
      let best: string | null = null;
      let top = -Infinity;
      for (const [k, v] of Object.entries(acc.q ?? {})) if (v > top || (v === top && best !== null && k < best)) [best, top] = [k, v];
      return best;
    }
  }
}
