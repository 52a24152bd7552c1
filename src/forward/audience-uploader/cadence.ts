/**
 * When an audience connection's pending changes are due (pure; unit-tested in cadence.test.ts). Per action:
 * when the oldest pending change has waited the partner's `maxWaitSeconds` — or as soon as `maxPending` changes
 * are pending — but never sooner than `minIntervalSeconds` after the last upload of that action. The
 * connection setting `flush_interval_s` (ours) caps both waits, for development and tests.
 */
import type { AudienceCadence } from "../../integrations/runtime/audience-types";

export type ActionPending = { count: number; oldest: number | null; lastUpload: number | null };
export type CadenceInput = {
  cadence: AudienceCadence;
  flushIntervalSeconds?: number;
  /** During a backfill pending adds are due at once (still within `minIntervalSeconds`). */
  backfill?: boolean;
  add: ActionPending;
  delete: ActionPending;
  now: number;
};

/** Per action, the time its pending changes are due (Infinity: nothing pending). */
export function dueTimes(i: CadenceInput): { add: number; delete: number } {
  const cap = (s: number | undefined) => (i.flushIntervalSeconds === undefined ? s : Math.min(s ?? Infinity, i.flushIntervalSeconds));
  const wait = cap(i.cadence.maxWaitSeconds)!;
  const minInterval = i.cadence.minIntervalSeconds === undefined ? undefined : cap(i.cadence.minIntervalSeconds);
  const full = i.add.count + i.delete.count >= i.cadence.maxPending;
  const due = (a: ActionPending, backfill: boolean) => {
    if (!a.count || a.oldest === null) return Infinity;
    const at = full || backfill ? i.now : a.oldest + wait * 1000;
    return minInterval === undefined || a.lastUpload === null ? at : Math.max(at, a.lastUpload + minInterval * 1000);
  };
  return { add: due(i.add, i.backfill === true), delete: due(i.delete, false) };
}

/** The earliest due time of either action (Infinity: nothing pending). */
export function nextDue(i: CadenceInput): number {
  const d = dueTimes(i);
  return Math.min(d.add, d.delete);
}
