/**
 * The state of one calculated attribute of one user: an accumulator (no window) or time buckets (a `within`
 * window), and the seed. A window is cut into `WINDOW_BUCKETS` buckets: a bucket counts until its end leaves
 * the window, so a value decays within one bucket (1/20 of the window) of the exact time. Pure.
 */
import type { CaSpec, CalculationType } from "../../schema/calculated-attribute";
import { type Acc, add, addChanged, type CaValue, fold, valueOf } from "./ca-acc";
import type { Observation } from "./ca-match";

/** Buckets per window (decay precision: one bucket). */
export const WINDOW_BUCKETS = 20;
/** The shortest bucket. */
const MIN_BUCKET_MS = 1000;

export type CaState = {
  /** The definition's revision this state was computed under. */
  r: number;
  calc: CalculationType;
  /** Window length (ms) or null. */
  win: number | null;
  /** Bucket width (ms) of a window. */
  bw: number;
  /** Seeding cutoff: with a seed, live data counts from this time. */
  cut: number | null;
  /** Accumulator without a window. */
  a?: Acc;
  /** Window buckets: [start, accumulator], oldest first. */
  b?: [number, Acc][];
  /** The seed (data before the cutoff), as an accumulator. */
  seed?: Acc;
};

/** An empty state for `spec`. */
export function emptyState(spec: CaSpec): CaState {
  const win = spec.windowMs;
  return { r: spec.revision, calc: spec.calc, win, bw: win ? Math.max(MIN_BUCKET_MS, Math.ceil(win / WINDOW_BUCKETS)) : 0, cut: spec.cutoffMs, ...(win ? { b: [] } : { a: {} }) };
}

/**
 * Adds observations seen at `now` (outside the window or before a seeded cutoff: ignored); whether the state
 * changed (false: it is exactly as it was).
 */
export function observeAll(s: CaState, obs: Observation[], now: number): boolean {
  let changed = false;
  for (const o of obs) {
    if (s.seed && s.cut !== null && o.ts < s.cut) continue;
    if (s.win === null) {
      if (s.a === undefined) changed = true;
      if (addChanged((s.a ??= {}), s.calc, o)) changed = true;
      continue;
    }
    if (o.ts <= now - s.win) continue;
    const start = Math.floor(o.ts / s.bw) * s.bw;
    if (s.b === undefined) changed = true;
    const b = (s.b ??= []);
    let i = b.length - 1;
    while (i >= 0 && b[i]![0] > start) i--;
    if (i >= 0 && b[i]![0] === start) {
      if (addChanged(b[i]![1], s.calc, o)) changed = true;
    } else {
      b.splice(i + 1, 0, [start, add({}, s.calc, o)]);
      changed = true;
    }
  }
  return changed;
}

/** Drops buckets whose end left the window; whether any was dropped. */
export function expire(s: CaState, now: number): boolean {
  if (s.win === null || !s.b?.length) return false;
  const edge = now - s.win;
  // Nothing left the window (most batches): the buckets stay as they are.
  if (s.b.every(([start]) => start + s.bw > edge)) return false;
  s.b = s.b.filter(([start]) => start + s.bw > edge);
  return true;
}

/** When the oldest bucket leaves the window (the alarm time), or null. */
export function nextExpiry(s: CaState): number | null {
  if (s.win === null || !s.b?.length) return null;
  return s.b[0]![0] + s.bw + s.win;
}

/**
 * The first time after `now` at which a bucket that counts at `now` leaves the window (the value can change
 * then without new data), or null.
 */
export function firstExpiryAfter(s: CaState, now: number): number | null {
  if (s.win === null || !s.b?.length) return null;
  const edge = now - s.win;
  for (const [start] of s.b) if (start + s.bw > edge) return start + s.bw + s.win;
  return null;
}

/** The value at `now` (buckets past the window left out), seed included. */
export function currentValue(s: CaState, now: number): CaValue | null {
  if (s.win === null) return valueOf(s.seed ? fold([s.seed, s.a ?? {}], s.calc) : (s.a ?? {}), s.calc);
  const edge = now - s.win;
  const parts: Acc[] = s.seed ? [s.seed] : [];
  for (const [start, a] of s.b ?? []) if (start + s.bw > edge) parts.push(a);
  return valueOf(parts.length === 1 ? parts[0]! : fold(parts, s.calc), s.calc);
}
