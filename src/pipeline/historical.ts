/** `/v2/bulkevents/historical` rules (mparticle-api.md §1.5). */
import { HOUR_MS } from "../lib/time";

/** Historical events must be at least this old. */
export const HISTORICAL_MIN_AGE_MS = 72 * HOUR_MS;

type EventLike = { data?: { timestamp_unixtime_ms?: unknown } | null };

/**
 * Why a batch cannot be processed as historical, or null when it can: it needs events, every event needs
 * `data.timestamp_unixtime_ms`, and every timestamp must be at least 72 hours old.
 */
export function historicalViolation(batch: { events?: EventLike[] }, now: number, path = ""): string | null {
  const events = batch.events ?? [];
  if (events.length === 0) return `${path}events: a historical batch must contain at least one event.`;
  for (let i = 0; i < events.length; i++) {
    const ts = events[i]!.data?.timestamp_unixtime_ms;
    if (typeof ts !== "number") return `${path}events[${i}].data.timestamp_unixtime_ms: required for historical data.`;
    if (now - ts < HISTORICAL_MIN_AGE_MS) return `${path}events[${i}].data.timestamp_unixtime_ms: historical data must be at least 72 hours old.`;
  }
  return null;
}
