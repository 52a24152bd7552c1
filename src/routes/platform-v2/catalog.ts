/**
 * GET /platform/v2/workspaces/{workspaceId}/catalog: every event, event attribute, user attribute and identity
 * type seen (src/pipeline/catalog.ts), with first/last seen, counts per environment, and the plans whose latest
 * version covers it — so a plan can be drafted from real traffic.
 */
import { z } from "zod";
import { listPlans } from "../../db/queries/data-plans";
import { loadedVersion } from "../../dataplans/plan-cache";
import type { CompiledPlan } from "../../dataplans/validator";
import { db, parseWith, v2App } from "./common";

export const CatalogQuery = z.object({
  kind: z.enum(["event", "event_attribute", "user_attribute", "identity"]).optional(),
  environment: z.enum(["development", "production"]).optional(),
});

type Row = { kind: string; name: string; environment: string; first_seen: number; last_seen: number; count: number };

const propsOf = (schema: unknown): Set<string> => new Set(Object.keys((schema as { properties?: object } | undefined)?.properties ?? {}));

/** Whether a compiled version plans the catalog entry. */
function covers(plan: CompiledPlan, kind: string, name: string): boolean {
  switch (kind) {
    case "event":
      return plan.points.has(name);
    case "event_attribute": {
      const slash = name.lastIndexOf("/");
      const point = plan.points.get(name.slice(0, slash));
      const data = (point?.schema.properties as { data?: { properties?: { custom_attributes?: unknown } } } | undefined)?.data;
      return !!point && propsOf(data?.properties?.custom_attributes).has(name.slice(slash + 1));
    }
    case "user_attribute":
      return propsOf(plan.points.get("user_attributes")?.schema).has(name);
    case "identity": {
      const p = propsOf(plan.points.get("user_identities")?.schema);
      return p.has(name) || (name === "customer_id" && p.has("customerid"));
    }
    default:
      return false;
  }
}

export const catalogRoutes = v2App();

catalogRoutes.get("/", async (c) => {
  const q = parseWith(CatalogQuery, c.req.query());
  const ws = c.get("workspaceId");
  const where = ["workspace_id = ?"];
  const binds: unknown[] = [ws];
  if (q.kind) where.push("kind = ?"), binds.push(q.kind);
  if (q.environment) where.push("environment = ?"), binds.push(q.environment);
  const [{ results }, plans] = await Promise.all([
    c.env.DB.prepare(`SELECT kind, name, environment, first_seen, last_seen, count FROM data_catalog WHERE ${where.join(" AND ")} ORDER BY kind, name`).bind(...binds).all<Row>(),
    listPlans(db(c), ws),
  ]);
  // Each plan's latest version decides coverage.
  const latest = (
    await Promise.all(
      plans.map(async ({ plan, versions }) => {
        const v = versions[versions.length - 1];
        const loaded = v ? await loadedVersion(c.env, plan, v) : null;
        return loaded ? { id: plan.planId, version: v!.version, compiled: loaded.compiled } : null;
      }),
    )
  ).filter((x) => x !== null);
  const entries = new Map<string, { kind: string; name: string; first_seen: number; last_seen: number; environments: Record<string, { count: number; first_seen: number; last_seen: number }> }>();
  for (const r of results) {
    const key = `${r.kind}\u0000${r.name}`;
    const e = entries.get(key) ?? { kind: r.kind, name: r.name, first_seen: r.first_seen, last_seen: r.last_seen, environments: {} };
    e.first_seen = Math.min(e.first_seen, r.first_seen);
    e.last_seen = Math.max(e.last_seen, r.last_seen);
    e.environments[r.environment] = { count: r.count, first_seen: r.first_seen, last_seen: r.last_seen };
    entries.set(key, e);
  }
  return c.json({
    entries: [...entries.values()].map((e) => {
      const by = latest.filter((p) => covers(p.compiled, e.kind, e.name)).map((p) => ({ data_plan_id: p.id, version: p.version }));
      return { ...e, planned: by.length > 0, planned_by: by };
    }),
  });
});
