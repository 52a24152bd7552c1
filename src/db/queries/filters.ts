/** Service filters, data point filters and known data points of apps (read with the connections of an input). */
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "..";
import { buildFilters, type ConnectionFilters, type DataPointKey, type DataPointType } from "../../lib/filters";
import { invalidateConfig } from "../cache";
import { dataPointFilters, dataPoints, serviceFilters } from "../schema";

export type DataPointRow = { type: string; name: string; eventType: string; attributeName: string };
export type FilterRow = DataPointRow & { enabled: boolean };

const key = (r: DataPointRow): DataPointKey => ({ type: r.type as DataPointType, name: r.name, eventType: r.eventType, attributeName: r.attributeName });

/** Filters per connection for `(connection, app, integration)` triples; connections without any filter get none. */
export async function loadConnectionFilters(db: Db, conns: { id: number; appId: number | null; integration: string }[]): Promise<Map<number, ConnectionFilters>> {
  const out = new Map<number, ConnectionFilters>();
  const appIds = [...new Set(conns.map((c) => c.appId).filter((a): a is number => a !== null))];
  if (!appIds.length) return out;
  const [svc, dpf, known] = await db.batch([
    db.select().from(serviceFilters).where(inArray(serviceFilters.appId, appIds)),
    db.select().from(dataPointFilters).where(inArray(dataPointFilters.appId, appIds)),
    db.select().from(dataPoints).where(inArray(dataPoints.appId, appIds)),
  ]);
  for (const c of conns) {
    if (c.appId === null) continue;
    const s = svc.find((r) => r.appId === c.appId && r.integration === c.integration);
    const fs = dpf.filter((r) => r.appId === c.appId && r.integration === c.integration);
    if (!s && !fs.length) continue;
    out.set(c.id, buildFilters(s?.sendNewDataPointsByDefault ?? true, fs.map((f) => ({ ...key(f), enabled: f.enabled })), known.filter((k) => k.appId === c.appId).map(key)));
  }
  return out;
}

/** Known data points of an app. */
export function listDataPoints(db: Db, appId: number) {
  return db.select().from(dataPoints).where(eq(dataPoints.appId, appId)).orderBy(dataPoints.id);
}

/** Registers data points (existing ones are kept). */
export async function addDataPoints(db: Db, appId: number, points: DataPointRow[]): Promise<void> {
  if (!points.length) return;
  await db.batch(points.map((p) => db.insert(dataPoints).values({ appId, ...p }).onConflictDoNothing()) as [never, ...never[]]);
  invalidateConfig();
}

/** The service filter of an app for an integration (default: send new data points). */
export async function getServiceFilter(db: Db, appId: number, integration: string): Promise<boolean> {
  const rows = await db.select().from(serviceFilters).where(and(eq(serviceFilters.appId, appId), eq(serviceFilters.integration, integration))).limit(1);
  return rows[0]?.sendNewDataPointsByDefault ?? true;
}

/** Sets `sendNewDataPointsByDefault`. */
export async function setServiceFilter(db: Db, appId: number, integration: string, sendNew: boolean): Promise<void> {
  await db
    .insert(serviceFilters)
    .values({ appId, integration, sendNewDataPointsByDefault: sendNew })
    .onConflictDoUpdate({ target: [serviceFilters.appId, serviceFilters.integration], set: { sendNewDataPointsByDefault: sendNew, updatedAt: Date.now() } });
  invalidateConfig();
}

/** Data point filters of an app for an integration. */
export function listFilters(db: Db, appId: number, integration: string) {
  return db.select().from(dataPointFilters).where(and(eq(dataPointFilters.appId, appId), eq(dataPointFilters.integration, integration))).orderBy(dataPointFilters.id);
}

/** Upserts data point filters; unknown data points are registered too (as the seed says). */
export async function setFilters(db: Db, appId: number, integration: string, filters: FilterRow[]): Promise<void> {
  if (!filters.length) return;
  const stmts = filters.flatMap((f) => [
    db.insert(dataPoints).values({ appId, type: f.type, name: f.name, eventType: f.eventType, attributeName: f.attributeName }).onConflictDoNothing(),
    db
      .insert(dataPointFilters)
      .values({ appId, integration, ...f })
      .onConflictDoUpdate({
        target: [dataPointFilters.appId, dataPointFilters.integration, dataPointFilters.type, dataPointFilters.name, dataPointFilters.eventType, dataPointFilters.attributeName],
        set: { enabled: sql`excluded.enabled`, updatedAt: Date.now() },
      }),
  ]);
  await db.batch(stmts as [never, ...never[]]);
  invalidateConfig();
}
