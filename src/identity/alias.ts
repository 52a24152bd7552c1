/** Alias request validation (mparticle-api.md §3.6), pure. */
import { DAY_MS } from "../lib/time";

/** Longest alias window (the Web SDK's `aliasMaxWindow` default: 90 days). */
export const ALIAS_MAX_WINDOW_MS = 90 * DAY_MS;

export type AliasRoles = { source: { start: number; end: number; destination: string }[]; destination: boolean };

export type AliasCheck = {
  source: string;
  destination: string;
  start?: number;
  end?: number;
  sourceExists: boolean;
  destinationExists: boolean;
  sourceRoles: AliasRoles;
  destinationRoles: AliasRoles;
  now: number;
};

/** The validated window, or the reason the request is refused (400). */
export function validateAlias(a: AliasCheck): { start: number; end: number } | { error: string } {
  if (a.source === a.destination) return { error: "source_mpid and destination_mpid must differ." };
  const end = a.end ?? a.now;
  const start = a.start ?? a.now - ALIAS_MAX_WINDOW_MS;
  if (start > end) return { error: "Invalid time range: start_unixtime_ms is after end_unixtime_ms." };
  if (end > a.now + 60_000) return { error: "Invalid time range: end_unixtime_ms is in the future." };
  if (start < a.now - ALIAS_MAX_WINDOW_MS) return { error: "Invalid time range: start_unixtime_ms is older than the 90-day alias window." };
  if (!a.sourceExists) return { error: `source_mpid ${a.source} was not found.` };
  if (!a.destinationExists) return { error: `destination_mpid ${a.destination} was not found.` };
  if (a.sourceRoles.destination) return { error: "The source MPID was previously the destination of an alias request." };
  if (a.destinationRoles.source.length) return { error: "The destination MPID was previously the source of an alias request." };
  if (a.sourceRoles.source.some((w) => w.start <= end && start <= w.end)) {
    return { error: "The source MPID was already aliased for an overlapping time window." };
  }
  return { start, end };
}
