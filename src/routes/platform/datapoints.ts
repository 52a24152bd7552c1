/**
 * Data points and service filters of an app: /v1/apps/{id}/datapoints, /v1/apps/{id}/{service} (the
 * `sendNewDataPointsByDefault` service filter) and /v1/apps/{id}/{service}/datapoints (data point filters).
 */
import { Hono } from "hono";
import { z } from "zod";
import { addDataPoints, type DataPointRow, getServiceFilter, listDataPoints, listFilters, setFilters, setServiceFilter } from "../../db/queries/filters";
import { DATA_POINT_TYPES } from "../../lib/filters";
import { findService } from "./catalog";
import { db, found, ok, type PlatformContext, type PlatformEnv, readBody } from "./common";
import { appOf } from "./platforms";

const NEEDS_EVENT_TYPE = new Set(["Event", "EventAttribute", "Commerce", "CommerceAttribute"]);

export const DataPoint = z
  .object({
    type: z.enum(DATA_POINT_TYPES),
    name: z.string().min(1).max(256),
    event_type: z.string().max(64).nullish(),
    attribute_name: z.string().max(256).nullish(),
  })
  .superRefine((d, ctx) => {
    if (NEEDS_EVENT_TYPE.has(d.type) && !d.event_type) ctx.addIssue({ code: "custom", path: ["event_type"], message: `required for type ${d.type}` });
    if (d.type.endsWith("Attribute") && d.type !== "UserAttribute" && !d.attribute_name) ctx.addIssue({ code: "custom", path: ["attribute_name"], message: `required for type ${d.type}` });
  });
export const DataPointFilter = z.intersection(DataPoint, z.object({ enabled: z.boolean().optional(), is_enabled: z.boolean().optional(), isEnabled: z.boolean().optional() }));

export const DataPoints = z.array(DataPoint).max(1000);
export const DataPointFilters = z.array(DataPointFilter).max(1000);
export const ServiceFilter = z.strictObject({ sendNewDataPointsByDefault: z.boolean() });

const row = (d: z.output<typeof DataPoint>): DataPointRow => ({
  type: d.type,
  name: d.name,
  // Only Event/EventAttribute/Commerce* carry an event type (the seed: ignored for other types).
  eventType: NEEDS_EVENT_TYPE.has(d.type) ? (d.event_type ?? "") : "",
  attributeName: d.type.endsWith("Attribute") && d.type !== "UserAttribute" ? (d.attribute_name ?? "") : "",
});
const view = (r: DataPointRow) => ({ type: r.type, name: r.name, event_type: r.eventType || null, attribute_name: r.attributeName || null });

function serviceOf(c: PlatformContext) {
  return found(findService(c.req.param("service") ?? ""), `Service ${c.req.param("service")}`).slug;
}

export const dataPointsRoutes = new Hono<PlatformEnv>();

dataPointsRoutes.get("/:id{[0-9]+}/datapoints", async (c) => ok(c, (await listDataPoints(db(c), (await appOf(c)).id)).map(view)));

dataPointsRoutes.put("/:id{[0-9]+}/datapoints", async (c) => {
  const points = await readBody(c, DataPoints);
  const app = await appOf(c);
  await addDataPoints(db(c), app.id, points.map(row));
  return ok(c, (await listDataPoints(db(c), app.id)).map(view));
});

dataPointsRoutes.get("/:id{[0-9]+}/:service", async (c) => {
  const app = await appOf(c);
  const service = serviceOf(c);
  return ok(c, { service, sendNewDataPointsByDefault: await getServiceFilter(db(c), app.id, service) });
});

dataPointsRoutes.put("/:id{[0-9]+}/:service", async (c) => {
  const b = await readBody(c, ServiceFilter);
  const app = await appOf(c);
  const service = serviceOf(c);
  await setServiceFilter(db(c), app.id, service, b.sendNewDataPointsByDefault);
  return ok(c, { service, sendNewDataPointsByDefault: b.sendNewDataPointsByDefault });
});

// Every known data point with its filter state for the service (no filter = enabled).
dataPointsRoutes.get("/:id{[0-9]+}/:service/datapoints", async (c) => {
  const app = await appOf(c);
  const service = serviceOf(c);
  const [known, filters] = await Promise.all([listDataPoints(db(c), app.id), listFilters(db(c), app.id, service)]);
  const k = (r: DataPointRow) => `${r.type}|${r.name}|${r.eventType}|${r.attributeName}`;
  const state = new Map(filters.map((f) => [k(f), f.enabled]));
  return ok(c, known.map((p) => ({ ...view(p), enabled: state.get(k(p)) ?? true })));
});

dataPointsRoutes.put("/:id{[0-9]+}/:service/datapoints", async (c) => {
  const body = await readBody(c, DataPointFilters);
  const app = await appOf(c);
  const service = serviceOf(c);
  await setFilters(db(c), app.id, service, body.map((f) => ({ ...row(f), enabled: f.enabled ?? f.is_enabled ?? f.isEnabled ?? true })));
  return ok(c, (await listFilters(db(c), app.id, service)).map((f) => ({ ...view(f), enabled: f.enabled })));
});
