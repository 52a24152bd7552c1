/**
 * Data Planning API (mparticle-api.md §7.1) at `/platform/v2/workspaces/{workspaceId}/plans`: plans, versions,
 * `POST /plans/validate`. Every write is one D1 batch (nothing half-stored) and invalidates this isolate's
 * config cache; other isolates see it within the cache TTL.
 */
import type { BatchItem } from "drizzle-orm/batch";
import { invalidateConfig } from "../../db/config-cache";
import { deletePlan, deleteVersions, findPlan, findVersion, insertPlan, listPlans, planVersionMetas, planVersions, putVersion, updatePlan } from "../../db/queries/data-plans";
import { PlanBody, PlanPatch, slugOf, ValidateBody, VersionBody, VersionPatch } from "../../dataplans/api";
import { compilePlan, validateBatch } from "../../dataplans/validator";
import { NotFoundError } from "../../lib/errors";
import { ConflictError, db, readJson, v2App, type V2Context } from "./common";
import { planView, versionView } from "./plan-views";
import { summaryRoutes } from "./plan-summary";
import { checkPlanId, checkQuarantine, newVersionWrites, patchedVersionWrite } from "./version-writes";

export { PLAN_UPLOAD_MAX_BYTES } from "../../dataplans/api";

export const plansRoutes = v2App();

const by = (c: V2Context) => c.get("token").clientId;

async function planOr404(c: V2Context) {
  const planId = c.req.param("planId") ?? "";
  const plan = await findPlan(db(c), c.get("workspaceId"), planId);
  if (!plan) throw new NotFoundError(`Data plan "${planId}" not found.`);
  return plan;
}

function versionParam(c: V2Context): number {
  const raw = c.req.param("version") ?? "";
  const v = Number(raw);
  if (!/^[1-9]\d{0,8}$/.test(raw)) throw new NotFoundError(`Version ${raw} not found.`);
  return v;
}

/** A unique-index failure means the plan or version was created meanwhile. */
async function write(c: V2Context, stmts: BatchItem<"sqlite">[], conflict: string): Promise<void> {
  try {
    await db(c).batch(stmts as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
  } catch (err) {
    if (/UNIQUE constraint failed/i.test(String(err))) throw new ConflictError(conflict);
    throw err;
  }
  invalidateConfig();
}

plansRoutes.post("/validate", async (c) => {
  const body = await readJson(c, ValidateBody);
  return c.json({ results: validateBatch(compilePlan(body.document), body.batch), batch: body.batch });
});

plansRoutes.get("/", async (c) => c.json((await listPlans(db(c), c.get("workspaceId"))).map((p) => planView(p.plan, p.versions))));

plansRoutes.post("/", async (c) => {
  const body = await readJson(c, PlanBody);
  const planId = slugOf(body.data_plan_name);
  checkPlanId(body.data_plan_id, planId);
  const ws = c.get("workspaceId");
  const versions = newVersionWrites(planId, body.data_plan_versions ?? [], [], by(c));
  await checkQuarantine(db(c), ws, versions.map((v) => v.quarantineConnectionId));
  const now = Date.now();
  const d = db(c);
  await write(c, [insertPlan(d, ws, { planId, name: body.data_plan_name, description: body.data_plan_description ?? null, by: by(c) }, now), ...versions.map((v) => putVersion(d, ws, planId, v, now))], `Data plan "${planId}" exists already.`);
  const plan = (await findPlan(d, ws, planId))!;
  return c.json(planView(plan, await planVersions(d, plan.id)), 200);
});

plansRoutes.get("/:planId", async (c) => {
  const plan = await planOr404(c);
  return c.json(planView(plan, await planVersions(db(c), plan.id)));
});

plansRoutes.patch("/:planId", async (c) => {
  const body = await readJson(c, PlanPatch);
  const plan = await planOr404(c);
  checkPlanId(body.data_plan_id, plan.planId);
  const d = db(c);
  const ws = c.get("workspaceId");
  // Versions named in the body are replaced (or created); the others stay.
  const existing = await planVersions(d, plan.id);
  const writes = (body.data_plan_versions ?? []).map((v) => {
    const row = v.version === undefined ? undefined : existing.find((e) => e.version === v.version);
    return row ? patchedVersionWrite(plan.planId, row, v, by(c)) : newVersionWrites(plan.planId, [v], existing.map((e) => e.version), by(c))[0]!;
  });
  await checkQuarantine(d, ws, writes.map((v) => v.quarantineConnectionId));
  const now = Date.now();
  await write(c, [updatePlan(d, plan.id, { name: body.data_plan_name, description: body.data_plan_description, by: by(c) }, now), ...writes.map((v) => putVersion(d, ws, plan.planId, v, now))], "A version was created meanwhile; retry.");
  return c.json(planView((await findPlan(d, ws, plan.planId))!, await planVersions(d, plan.id)));
});

plansRoutes.delete("/:planId", async (c) => {
  const plan = await planOr404(c);
  await write(c, deletePlan(db(c), plan.id), "");
  return c.body(null, 204);
});

plansRoutes.post("/:planId/versions", async (c) => {
  const body = await readJson(c, VersionBody);
  const plan = await planOr404(c);
  const d = db(c);
  const taken = (await planVersionMetas(d, plan.id)).map((v) => v.version);
  if (body.version !== undefined && taken.includes(body.version)) throw new ConflictError(`Version ${body.version} of data plan "${plan.planId}" exists already.`);
  const [w] = newVersionWrites(plan.planId, [body], taken, by(c));
  await checkQuarantine(d, c.get("workspaceId"), [w!.quarantineConnectionId]);
  await write(c, [putVersion(d, c.get("workspaceId"), plan.planId, w!, Date.now())], `Version ${w!.version} of data plan "${plan.planId}" exists already.`);
  return c.json(versionView(plan, (await findVersion(d, plan.id, w!.version))!), 200);
});

plansRoutes.get("/:planId/versions/:version", async (c) => {
  const plan = await planOr404(c);
  const v = await findVersion(db(c), plan.id, versionParam(c));
  if (!v) throw new NotFoundError(`Version ${c.req.param("version")} of data plan "${plan.planId}" not found.`);
  return c.json(versionView(plan, v));
});

plansRoutes.patch("/:planId/versions/:version", async (c) => {
  const body = await readJson(c, VersionPatch);
  const plan = await planOr404(c);
  const d = db(c);
  const row = await findVersion(d, plan.id, versionParam(c));
  if (!row) throw new NotFoundError(`Version ${c.req.param("version")} of data plan "${plan.planId}" not found.`);
  const w = patchedVersionWrite(plan.planId, row, body, by(c));
  await checkQuarantine(d, c.get("workspaceId"), [w.quarantineConnectionId]);
  await write(c, [putVersion(d, c.get("workspaceId"), plan.planId, w, Date.now())], "");
  return c.json(versionView(plan, (await findVersion(d, plan.id, row.version))!));
});

plansRoutes.delete("/:planId/versions/:version", async (c) => {
  const plan = await planOr404(c);
  const version = versionParam(c);
  if (!(await findVersion(db(c), plan.id, version))) throw new NotFoundError(`Version ${version} of data plan "${plan.planId}" not found.`);
  await write(c, deleteVersions(db(c), plan.id, [version]), "");
  return c.body(null, 204);
});

plansRoutes.route("/", summaryRoutes);
