/**
 * Data plans and their versions (mparticle-api.md §7). Writes of one request go in one `db.batch` (nothing
 * half-stored); version rows reference their plan by a subquery on (workspace, slug), so a plan and its
 * versions are created in the same batch.
 */
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { Db } from "..";
import type { PlanBlocking } from "../../schema/plan-blocking";
import { accounts, connections, dataPlans, dataPlanVersions, inputs, planValidationCounts, planValidationExamples, workspaces } from "../schema";

export type PlanRow = typeof dataPlans.$inferSelect;
export type VersionRow = typeof dataPlanVersions.$inferSelect;
export type VersionMeta = Omit<VersionRow, "document">;

/** A version to write: everything but ids and timestamps. */
export type VersionWrite = {
  version: number;
  description: string | null;
  activatedEnvironment: "none" | "development" | "production";
  blocking: PlanBlocking;
  quarantineConnectionId: number | null;
  document: string;
  by: string | null;
};

/** The workspace's account when the workspace belongs to the organization, else null. */
export async function workspaceAccountInOrganization(db: Db, organizationId: number, workspaceId: number): Promise<number | null> {
  const rows = await db
    .select({ accountId: workspaces.accountId })
    .from(workspaces)
    .innerJoin(accounts, eq(accounts.id, workspaces.accountId))
    .where(and(eq(workspaces.id, workspaceId), eq(accounts.organizationId, organizationId)))
    .limit(1);
  return rows[0]?.accountId ?? null;
}

/** Whether a connection's input is in the workspace (a quarantine connection must be). */
export async function connectionInWorkspace(db: Db, workspaceId: number, connectionId: number): Promise<boolean> {
  const rows = await db.select({ id: connections.id }).from(connections).innerJoin(inputs, eq(inputs.id, connections.inputId)).where(and(eq(connections.id, connectionId), eq(inputs.workspaceId, workspaceId))).limit(1);
  return rows.length > 0;
}

const metaCols = {
  id: dataPlanVersions.id,
  planRowId: dataPlanVersions.planRowId,
  version: dataPlanVersions.version,
  description: dataPlanVersions.description,
  activatedEnvironment: dataPlanVersions.activatedEnvironment,
  blocking: dataPlanVersions.blocking,
  quarantineConnectionId: dataPlanVersions.quarantineConnectionId,
  createdBy: dataPlanVersions.createdBy,
  lastModifiedBy: dataPlanVersions.lastModifiedBy,
  createdAt: dataPlanVersions.createdAt,
  updatedAt: dataPlanVersions.updatedAt,
};

/** Plans of a workspace with their versions' metadata (no documents). */
export async function listPlans(db: Db, workspaceId: number): Promise<{ plan: PlanRow; versions: VersionMeta[] }[]> {
  const plans = await db.select().from(dataPlans).where(eq(dataPlans.workspaceId, workspaceId)).orderBy(asc(dataPlans.planId));
  if (!plans.length) return [];
  const versions = await db.select(metaCols).from(dataPlanVersions).where(inArray(dataPlanVersions.planRowId, plans.map((p) => p.id))).orderBy(asc(dataPlanVersions.version));
  return plans.map((plan) => ({ plan, versions: versions.filter((v) => v.planRowId === plan.id) }));
}

/** One plan by slug, or null. */
export async function findPlan(db: Db, workspaceId: number, planId: string): Promise<PlanRow | null> {
  const rows = await db.select().from(dataPlans).where(and(eq(dataPlans.workspaceId, workspaceId), eq(dataPlans.planId, planId))).limit(1);
  return rows[0] ?? null;
}

/** The versions of a plan, with documents when `documents`. */
export function planVersions(db: Db, planRowId: number): Promise<VersionRow[]> {
  return db.select().from(dataPlanVersions).where(eq(dataPlanVersions.planRowId, planRowId)).orderBy(asc(dataPlanVersions.version));
}

/** Version metadata of a plan (no documents). */
export function planVersionMetas(db: Db, planRowId: number): Promise<VersionMeta[]> {
  return db.select(metaCols).from(dataPlanVersions).where(eq(dataPlanVersions.planRowId, planRowId)).orderBy(asc(dataPlanVersions.version));
}

/** One version with its document, or null. */
export async function findVersion(db: Db, planRowId: number, version: number): Promise<VersionRow | null> {
  const rows = await db.select().from(dataPlanVersions).where(and(eq(dataPlanVersions.planRowId, planRowId), eq(dataPlanVersions.version, version))).limit(1);
  return rows[0] ?? null;
}

/** A version's document by row id (the ingest cache's miss path). */
export async function versionDocument(db: Db, versionRowId: number): Promise<string | null> {
  const rows = await db.select({ document: dataPlanVersions.document }).from(dataPlanVersions).where(eq(dataPlanVersions.id, versionRowId)).limit(1);
  return rows[0]?.document ?? null;
}

/** The row id of plan `planId` of the workspace, as a subquery (so versions can be written in the plan's batch). */
const planRowRef = (workspaceId: number, planId: string) => sql`(SELECT ${dataPlans.id} FROM ${dataPlans} WHERE ${dataPlans.workspaceId} = ${workspaceId} AND ${dataPlans.planId} = ${planId})`;

/** Statement: create a plan (fails on an existing slug: the unique index). */
export function insertPlan(db: Db, workspaceId: number, p: { planId: string; name: string; description: string | null; by: string | null }, now: number) {
  return db.insert(dataPlans).values({ workspaceId, planId: p.planId, name: p.name, description: p.description, createdBy: p.by, lastModifiedBy: p.by, createdAt: now, updatedAt: now });
}

/** Statement: create or rename a plan (the deprecated `settings.dataPlans` path). */
export function upsertPlan(db: Db, workspaceId: number, p: { planId: string; name: string; description: string | null; by: string | null }, now: number) {
  return insertPlan(db, workspaceId, p, now).onConflictDoUpdate({
    target: [dataPlans.workspaceId, dataPlans.planId],
    set: { name: p.name, description: p.description, lastModifiedBy: p.by, updatedAt: now },
  });
}

/** Statement: update a plan's name/description. */
export function updatePlan(db: Db, planRowId: number, patch: { name?: string; description?: string | null; by: string | null }, now: number) {
  const set: Partial<typeof dataPlans.$inferInsert> = { lastModifiedBy: patch.by, updatedAt: now };
  if (patch.name !== undefined) set.name = patch.name;
  if (patch.description !== undefined) set.description = patch.description;
  return db.update(dataPlans).set(set).where(eq(dataPlans.id, planRowId));
}

/** Statement: create or replace version `v.version` of plan `planId` of the workspace. */
export function putVersion(db: Db, workspaceId: number, planId: string, v: VersionWrite, now: number) {
  const values = {
    planRowId: planRowRef(workspaceId, planId) as unknown as number,
    version: v.version,
    description: v.description,
    activatedEnvironment: v.activatedEnvironment,
    blocking: v.blocking,
    quarantineConnectionId: v.quarantineConnectionId,
    document: v.document,
    createdBy: v.by,
    lastModifiedBy: v.by,
    createdAt: now,
    updatedAt: now,
  };
  const { planRowId: _p, version: _v, createdAt: _c, createdBy: _b, ...set } = values;
  return db.insert(dataPlanVersions).values(values).onConflictDoUpdate({ target: [dataPlanVersions.planRowId, dataPlanVersions.version], set });
}

/** Statements: delete versions of a plan (all, or those numbered in `only`), with their validation summaries. */
export function deleteVersions(db: Db, planRowId: number, only?: number[]): BatchItem<"sqlite">[] {
  const which = only ? and(eq(dataPlanVersions.planRowId, planRowId), inArray(dataPlanVersions.version, only)) : eq(dataPlanVersions.planRowId, planRowId);
  const ids = db.select({ id: dataPlanVersions.id }).from(dataPlanVersions).where(which);
  return [
    db.delete(planValidationCounts).where(inArray(planValidationCounts.versionRowId, ids)),
    db.delete(planValidationExamples).where(inArray(planValidationExamples.versionRowId, ids)),
    db.delete(dataPlanVersions).where(which),
  ];
}

/** Statements: delete a plan, its versions and their summaries. */
export function deletePlan(db: Db, planRowId: number): BatchItem<"sqlite">[] {
  return [...deleteVersions(db, planRowId), db.delete(dataPlans).where(eq(dataPlans.id, planRowId))];
}

/** Statements: every plan of the workspace replaced by slug from the deprecated `settings.dataPlans` map. */
export function legacyPlanWrites(db: Db, workspaceId: number, plans: Record<string, { data_plan_name?: string; data_plan_description?: string; versions: Record<string, VersionWrite> }>, now: number): BatchItem<"sqlite">[] {
  const out: BatchItem<"sqlite">[] = [];
  for (const [planId, p] of Object.entries(plans)) {
    out.push(upsertPlan(db, workspaceId, { planId, name: p.data_plan_name ?? planId, description: p.data_plan_description ?? null, by: null }, now));
    const ids = db.select({ id: dataPlans.id }).from(dataPlans).where(and(eq(dataPlans.workspaceId, workspaceId), eq(dataPlans.planId, planId)));
    const numbers = Object.values(p.versions).map((v) => v.version);
    // Versions the map no longer names go (the map is the plan's whole version list on this path).
    out.push(db.delete(dataPlanVersions).where(and(inArray(dataPlanVersions.planRowId, ids), sql`${dataPlanVersions.version} NOT IN ${numbers.length ? numbers : [0]}`)));
    for (const v of Object.values(p.versions)) out.push(putVersion(db, workspaceId, planId, v, now));
  }
  return out;
}
