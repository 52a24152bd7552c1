/** Audience definitions (issue 19): reads and the batched writes of the Platform API, and a workspace's audience set. */
import { and, desc, eq, gte, inArray, sql } from "drizzle-orm";
import type { Db } from "..";
import { workspaces } from "../schema";
import { activeCalculatedAttributes } from "./calculated-attributes";
import { audienceCounters, audiences, audienceSetVersions, audienceWorkspaces } from "../schema-audiences";

export type AudienceRow = typeof audiences.$inferSelect;
export type AudienceWrite = { name: string; externalName: string; criteria: string; isCalculated: boolean; workspaceIds: number[]; by: string };
export type AudienceWorkspace = { id: number; name: string; createdAt: number };

/** Audiences of an account (optionally: only those calculated from exactly this one workspace), with their workspaces. */
export async function listAudiences(db: Db, accountId: number, only?: { workspaceId: number; single: boolean }) {
  const rows = await db.select().from(audiences).where(eq(audiences.accountId, accountId)).orderBy(audiences.id);
  const ws = await workspacesOf(db, rows.map((r) => r.id));
  const out = rows.map((r) => ({ row: r, workspaces: ws.get(r.id) ?? [] }));
  if (!only) return out;
  return out.filter((a) => a.workspaces.some((w) => w.id === only.workspaceId) && (!only.single || a.workspaces.length === 1));
}

/** One audience of the account, or null. */
export async function audienceInAccount(db: Db, accountId: number, id: number) {
  const [row] = await db.select().from(audiences).where(and(eq(audiences.id, id), eq(audiences.accountId, accountId))).limit(1);
  if (!row) return null;
  return { row, workspaces: (await workspacesOf(db, [id])).get(id) ?? [] };
}

async function workspacesOf(db: Db, ids: number[]): Promise<Map<number, AudienceWorkspace[]>> {
  const out = new Map<number, AudienceWorkspace[]>();
  if (!ids.length) return out;
  const rows = await db
    .select({ audienceId: audienceWorkspaces.audienceId, id: workspaces.id, name: workspaces.name, createdAt: workspaces.createdAt })
    .from(audienceWorkspaces)
    .innerJoin(workspaces, eq(workspaces.id, audienceWorkspaces.workspaceId))
    .where(inArray(audienceWorkspaces.audienceId, ids))
    .orderBy(workspaces.id);
  for (const r of rows) out.set(r.audienceId, [...(out.get(r.audienceId) ?? []), { id: r.id, name: r.name, createdAt: r.createdAt }]);
  return out;
}

/** Adds and drops of the last 24 hours per audience (hourly counters). */
export async function lastDayCounts(db: Db, ids: number[], now: number): Promise<Map<number, { adds: number; drops: number }>> {
  const out = new Map<number, { adds: number; drops: number }>();
  if (!ids.length) return out;
  const since = Math.floor(now / 3_600_000) - 23;
  const rows = await db
    .select({ id: audienceCounters.audienceId, adds: sql<number>`sum(${audienceCounters.adds})`, drops: sql<number>`sum(${audienceCounters.drops})` })
    .from(audienceCounters)
    .where(and(inArray(audienceCounters.audienceId, ids), gte(audienceCounters.hour, since)))
    .groupBy(audienceCounters.audienceId);
  for (const r of rows) out.set(r.id, { adds: Number(r.adds), drops: Number(r.drops) });
  return out;
}

/** Bumps the audience set version of each workspace (statements for the same batch as the write). */
function bumpVersions(db: Db, workspaceIds: number[]) {
  return [...new Set(workspaceIds)].map((w) =>
    db.insert(audienceSetVersions).values({ workspaceId: w, version: 1 }).onConflictDoUpdate({ target: audienceSetVersions.workspaceId, set: { version: sql`${audienceSetVersions.version} + 1` } }),
  );
}

/** Creates an audience with its workspaces and version bumps in one batch; `sweepId` finds the new row. */
export async function createAudience(db: Db, accountId: number, w: AudienceWrite, sweep: { id: string; shards: number }): Promise<number> {
  const insert = db.insert(audiences).values({
    accountId, name: w.name, externalName: w.externalName, criteria: w.criteria, isCalculated: w.isCalculated, sweepId: sweep.id, sweepShards: sweep.shards, createdBy: w.by, lastModifiedBy: w.by,
  });
  const links = w.workspaceIds.map((ws) =>
    db.insert(audienceWorkspaces).select(db.select({ audienceId: audiences.id, workspaceId: sql<number>`${ws}`.as("workspace_id") }).from(audiences).where(eq(audiences.sweepId, sweep.id))),
  );
  await db.batch([insert, ...links, ...bumpVersions(db, w.workspaceIds)]);
  const [row] = await db.select({ id: audiences.id }).from(audiences).where(eq(audiences.sweepId, sweep.id)).limit(1);
  return row!.id;
}

/** Replaces an audience's fields and workspaces (versions of old and new workspaces bumped), in one batch. */
export async function updateAudience(db: Db, id: number, oldWorkspaceIds: number[], w: AudienceWrite, sweep: { id: string; shards: number } | null): Promise<void> {
  const now = Date.now();
  const set = { name: w.name, externalName: w.externalName, criteria: w.criteria, isCalculated: w.isCalculated, lastModifiedBy: w.by, updatedAt: now, ...(sweep ? { sweepId: sweep.id, sweepShards: sweep.shards, sweepDone: 0 } : {}) };
  await db.batch([
    db.update(audiences).set(set).where(eq(audiences.id, id)),
    db.delete(audienceWorkspaces).where(eq(audienceWorkspaces.audienceId, id)),
    ...w.workspaceIds.map((ws) => db.insert(audienceWorkspaces).values({ audienceId: id, workspaceId: ws })),
    ...bumpVersions(db, [...oldWorkspaceIds, ...w.workspaceIds]),
  ]);
}

/** Deletes an audience, its workspace links and counters; bumps its workspaces' versions. */
export async function deleteAudience(db: Db, id: number, workspaceIds: number[]): Promise<void> {
  await db.batch([
    db.delete(audienceWorkspaces).where(eq(audienceWorkspaces.audienceId, id)),
    db.delete(audienceCounters).where(eq(audienceCounters.audienceId, id)),
    db.delete(audiences).where(eq(audiences.id, id)),
    ...bumpVersions(db, workspaceIds),
  ]);
}

/** A directory shard finished its part of a sweep (ignored when a newer sweep replaced it). */
export async function sweepShardDone(db: Db, audienceId: number, sweepId: string): Promise<void> {
  await db.update(audiences).set({ sweepDone: sql`${audiences.sweepDone} + 1` }).where(and(eq(audiences.id, audienceId), eq(audiences.sweepId, sweepId)));
}

/**
 * A workspace's audience set: its version and every audience calculated from it (criteria as stored JSON),
 * read in one D1 batch so the version and the rows belong together.
 */
export async function audienceSetRows(db: Db, workspaceId: number) {
  const [version, rows] = await db.batch([
    db.select({ version: audienceSetVersions.version }).from(audienceSetVersions).where(eq(audienceSetVersions.workspaceId, workspaceId)),
    db
      .select({ id: audiences.id, name: audiences.name, criteria: audiences.criteria, workspaceId: audienceWorkspaces.workspaceId })
      .from(audiences)
      .innerJoin(audienceWorkspaces, eq(audienceWorkspaces.audienceId, audiences.id))
      .where(inArray(audiences.id, db.select({ id: audienceWorkspaces.audienceId }).from(audienceWorkspaces).where(eq(audienceWorkspaces.workspaceId, workspaceId))))
      .orderBy(desc(audiences.id)),
  ]);
  const byId = new Map<number, { id: number; name: string; criteria: string; workspaceIds: number[] }>();
  for (const r of rows) {
    const a = byId.get(r.id) ?? { id: r.id, name: r.name, criteria: r.criteria, workspaceIds: [] };
    a.workspaceIds.push(r.workspaceId);
    byId.set(r.id, a);
  }
  return { version: version[0]?.version ?? 0, audiences: [...byId.values()] };
}

/** Names of the active calculated attributes of `workspaceIds` (only active ones are computed, audiences.md §3). */
export async function calculatedAttributeNames(db: Db, workspaceIds: number[]): Promise<Set<string>> {
  const lists = await Promise.all(workspaceIds.map((w) => activeCalculatedAttributes(db, w)));
  return new Set(lists.flat().map((r) => r.name));
}

/** Adds/drops per audience and hour, and size deltas: one D1 batch per audience-changes consumer invocation. */
export function counterStatements(db: Db, counts: Map<number, Map<number, { adds: number; drops: number }>>) {
  const stmts = [];
  for (const [audienceId, hours] of counts) {
    let delta = 0;
    for (const [hour, c] of hours) {
      delta += c.adds - c.drops;
      stmts.push(
        db.insert(audienceCounters).values({ audienceId, hour, adds: c.adds, drops: c.drops }).onConflictDoUpdate({
          target: [audienceCounters.audienceId, audienceCounters.hour],
          set: { adds: sql`${audienceCounters.adds} + ${c.adds}`, drops: sql`${audienceCounters.drops} + ${c.drops}` },
        }),
      );
    }
    if (delta) stmts.push(db.update(audiences).set({ size: sql`max(0, ${audiences.size} + ${delta})` }).where(eq(audiences.id, audienceId)));
  }
  return stmts;
}
