/**
 * Input health (our addition): `GET /v1/inputs/{id}/counters?from=&to=`, the hourly counters of one
 * platform or feed input (ids as the apps' platforms and the feeds show them): ingest counts, data dropped
 * by reason (Web SDK, Pixel, consent) and Web SDK kit forwarding statistics. Account-scoped.
 */
import { Hono } from "hono";
import { z } from "zod";
import { inputCountersBetween, inputInAccount } from "../../db/queries/input-counters";
import { hourBucket } from "../../lib/time";
import { timeRange } from "../../lib/time-query";
import { db, found, idParam, ok, type PlatformContext, type PlatformEnv } from "./common";

/** Longest window one call reads (counters are kept 400 days; one call returns at most this many hours). */
export const INPUT_COUNTERS_MAX_DAYS = 31;

export const InputCountersQuery = z.object({
  from: z.string().optional().describe("Start (ms since epoch or ISO time); default 24 hours ago."),
  to: z.string().optional().describe("End (ms since epoch or ISO time); default now."),
});

function windowOf(c: PlatformContext): { from: number; to: number } {
  return timeRange((name) => c.req.query(name), { maxDays: INPUT_COUNTERS_MAX_DAYS });
}

type HourView = {
  input_id: number;
  hour: string;
  batches: number;
  events: number;
  duplicate_batches: number;
  duplicate_events: number;
  limit_corrections: number;
  unknown_users_dropped: number;
  drops: Record<string, number>;
  forwarding_stats: { module_id: number; message_type: number; count: number }[];
};

export const inputCountersRoutes = new Hono<PlatformEnv>();

inputCountersRoutes.get("/:id{[0-9]+}/counters", async (c) => {
  const input = found(await inputInAccount(db(c), c.get("account").id, idParam(c, "id")), "Input");
  const w = windowOf(c);
  const { ingest, drops, stats } = await inputCountersBetween(db(c), input.id, hourBucket(w.from), hourBucket(w.to));
  const hours = new Map<string, HourView>();
  const at = (hour: string): HourView => {
    let h = hours.get(hour);
    if (!h) {
      h = { input_id: input.id, hour, batches: 0, events: 0, duplicate_batches: 0, duplicate_events: 0, limit_corrections: 0, unknown_users_dropped: 0, drops: {}, forwarding_stats: [] };
      hours.set(hour, h);
    }
    return h;
  };
  for (const r of ingest) {
    Object.assign(at(r.hour), {
      batches: r.batches,
      events: r.events,
      duplicate_batches: r.duplicateBatches,
      duplicate_events: r.duplicateEvents,
      limit_corrections: r.limitCorrections,
      unknown_users_dropped: r.unknownUsersDropped,
    });
  }
  for (const r of drops) at(r.hour).drops[r.reason] = r.count;
  for (const r of stats) at(r.hour).forwarding_stats.push({ module_id: r.moduleId, message_type: r.messageType, count: r.count });
  return ok(c, [...hours.values()].sort((a, b) => a.hour.localeCompare(b.hour)));
});
