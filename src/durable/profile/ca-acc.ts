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
  addChanged(acc, calc, o);
  return acc;
}

/**
 * Adds one observation to `acc`; whether it wrote anything (false: `acc` is exactly as it was, so its stored
 * text and value are too). A write of an equal value still answers true.
 */
export function addChanged(acc: Acc, calc: CalculationType, o: Observation): boolean {
  switch (calc) {
    case "count": acc.n = (acc.n ?? 0) + 1; return true;
    case "sum": { const x = numOf(o.value); if (Number.isFinite(x)) { acc.s = (acc.s ?? 0) + x; return true; } return false; }
    case "min": { const x = numOf(o.value); if (Number.isFinite(x) && (acc.mn === undefined || x < acc.mn)) { acc.mn = x; return true; } return false; }
    case "max": { const x = numOf(o.value); if (Number.isFinite(x) && (acc.mx === undefined || x > acc.mx)) { acc.mx = x; return true; } return false; }
    case "average": { const x = numOf(o.value); if (Number.isFinite(x)) { acc.s = (acc.s ?? 0) + x * o.weight; acc.w = (acc.w ?? 0) + o.weight; return true; } return false; }
    case "first_occurrence": if (!acc.f || o.ts < acc.f[0]) { acc.f = [o.ts, o.value]; return true; } return false;
    case "last_occurrence": if (!acc.l || o.ts >= acc.l[0]) { acc.l = [o.ts, o.value]; return true; } return false;
    case "first_occurrence_timestamp": if (acc.ft === undefined || o.ts < acc.ft) { acc.ft = o.ts; return true; } return false;
    case "last_occurrence_timestamp": if (acc.lt === undefined || o.ts > acc.lt) { acc.lt = o.ts; return true; } return false;
    case "unique_list":
    case "unique_values_count": {
      if (o.value === null) return false;
      const created = acc.u === undefined;
      const u = (acc.u ??= []);
      if (u.length < (calc === "unique_list" ? UNIQUE_LIST_LIMIT : DISTINCT_LIMIT) && !u.includes(o.value)) { u.push(o.value); return true; }
      return created;
    }
    case "most_frequent": {
      if (o.value === null) return false;
      const created = acc.q === undefined;
      const q = (acc.q ??= {});
      if (o.value in q || Object.keys(q).length < DISTINCT_LIMIT) { q[o.value] = (q[o.value] ?? 0) + o.weight; return true; }
      return created;
    }
  }
}

/** The accumulators together, in arrival order (`parts[0]` earliest), as a new accumulator (inputs unchanged). */
export function fold(parts: Acc[], calc: CalculationType): Acc {
  const out: Acc = {};
  const limit = calc === "unique_list" ? UNIQUE_LIST_LIMIT : DISTINCT_LIMIT;
  let seen: Set<string> | undefined;
  let distinct = 0;
  for (const p of parts) {
    if (p.n !== undefined) out.n = (out.n ?? 0) + p.n;
    if (p.s !== undefined) out.s = (out.s ?? 0) + p.s;
    if (p.w !== undefined) out.w = (out.w ?? 0) + p.w;
    if (p.mn !== undefined && (out.mn === undefined || p.mn < out.mn)) out.mn = p.mn;
    if (p.mx !== undefined && (out.mx === undefined || p.mx > out.mx)) out.mx = p.mx;
    if (p.f && (!out.f || p.f[0] < out.f[0])) out.f = p.f;
    if (p.l && (!out.l || p.l[0] >= out.l[0])) out.l = p.l;
    if (p.ft !== undefined && (out.ft === undefined || p.ft < out.ft)) out.ft = p.ft;
    if (p.lt !== undefined && (out.lt === undefined || p.lt > out.lt)) out.lt = p.lt;
    if (p.u) {
      const u = (out.u ??= []);
      seen ??= new Set();
      for (const v of p.u) if (u.length < limit && !seen.has(v)) (seen.add(v), u.push(v));
    }
    if (p.q) {
      const q = (out.q ??= {});
      for (const k in p.q) {
        if (k in q) q[k]! += p.q[k]!;
        else if (distinct < DISTINCT_LIMIT) (q[k] = p.q[k]!, distinct++);
      }
    }
  }
  return out;
}

/** `a` and `b` together (`a` earlier in arrival order), as a new accumulator. */
export function merge(a: Acc, b: Acc, calc: CalculationType): Acc {
  return fold([a, b], calc);
}

/**
 * A number as a value string (float noise of sums removed: 0.1 + 0.2 → "0.3"). An integer below 1e15 has at most
 * 15 digits, so `toPrecision(15)` keeps it exactly: its string directly.
 */
const numStr = (x: number) => (Number.isInteger(x) && Math.abs(x) < 1e15 ? String(x) : String(Number(x.toPrecision(15))));
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
