/** Milliseconds per unit, for readable constants. */
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** Start of the UTC hour containing `ms`, as an ISO string like "2026-11-22T05:00:00Z" (counter bucket key). */
export function hourBucket(ms: number): string {
  return new Date(ms - (ms % HOUR_MS)).toISOString().replace(".000Z", "Z");
}
