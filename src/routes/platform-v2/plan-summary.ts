/**
 * GET /plans/{planId}/versions/{version}/summary: the version's validation counts per hour, data point and
 * error type (written once per ingest consumer invocation) and its latest examples.
 */
import { z } from "zod";
import { findPlan, findVersion } from "../../db/queries/data-plans";
import { NotFoundError } from "../../lib/errors";
import { DAY_MS, hourBucket } from "../../lib/time";
import { db, parseWith, v2App } from "./common";

const time = z.union([z.string().regex(/^\d+$/).transform(Number), z.iso.datetime({ offset: true }).transform((s) => Date.parse(s))]);
export const SummaryQuery = z.object({
  from: time.optional().describe("ms since epoch or ISO time (default 24 h before `to`)"),
  to: time.optional().describe("ms since epoch or ISO time (default now)"),
});

export const summaryRoutes = v2App();

summaryRoutes.get("/:planId/versions/:version/summary", async (c) => {
  const q = parseWith(SummaryQuery, c.req.query());
  const planId = c.req.param("planId");
  const plan = await findPlan(db(c), c.get("workspaceId"), planId);
  if (!plan) throw new NotFoundError(`Data plan "${planId}" not found.`);
  const v = await findVersion(db(c), plan.id, Number(c.req.param("version")));
  if (!v) throw new NotFoundError(`Version ${c.req.param("version")} of data plan "${planId}" not found.`);
  const to = q.to ?? Date.now();
  const from = q.from ?? to - DAY_MS;
  const [{ results }, examples] = await Promise.all([
    c.env.DB.prepare(`SELECT hour, data_point, error_type, count FROM plan_validation_counts WHERE version_row_id = ? AND hour >= ? AND hour <= ? ORDER BY hour, data_point, error_type`)
      .bind(v.id, hourBucket(from), hourBucket(to))
      .all<{ hour: string; data_point: string; error_type: string; count: number }>(),
    c.env.DB.prepare(`SELECT examples FROM plan_validation_examples WHERE version_row_id = ?`).bind(v.id).first<{ examples: string }>(),
  ]);
  const totals: Record<string, Record<string, number>> = {};
  for (const r of results) (totals[r.data_point] ??= {})[r.error_type] = (totals[r.data_point]?.[r.error_type] ?? 0) + r.count;
  return c.json({
    data_plan_id: plan.planId,
    version: v.version,
    from: hourBucket(from),
    to: hourBucket(to),
    totals,
    hours: results,
    latest_examples: examples ? (JSON.parse(examples.examples) as unknown[]) : [],
  });
});
