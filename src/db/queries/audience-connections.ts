/**
 * Audience connections (issue 20; docs/audience-outputs.md): rows of `connections` with `kind = "audience"`, an
 * audience instead of an input, so they share the connections' id space, status columns and counters.
 */
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "..";
import { invalidateConfig } from "../cache";
import { connections, outputs } from "../schema";
import { audiences } from "../schema-audiences";

export type AudienceConnectionRow = {
  id: number;
  audienceId: number;
  outputId: number;
  workspaceId: number;
  integration: string;
  outputName: string;
  /** The output's settings without its secrets. */
  outputSettings: Record<string, unknown>;
  hasSecretSettings: boolean;
  statusDevelopment: "active" | "inactive";
  statusProduction: "active" | "inactive";
  settings: Record<string, unknown>;
  fault: string | null;
  createdAt: number;
  updatedAt: number;
};

const columns = {
  id: connections.id,
  audienceId: connections.audienceId,
  outputId: connections.outputId,
  workspaceId: outputs.workspaceId,
  integration: outputs.integration,
  outputName: outputs.name,
  outputSettings: outputs.settings,
  hasSecretSettings: sql<number>`${outputs.secretSettings} IS NOT NULL`,
  statusDevelopment: connections.statusDevelopment,
  statusProduction: connections.statusProduction,
  settings: connections.settings,
  fault: connections.fault,
  createdAt: connections.createdAt,
  updatedAt: connections.updatedAt,
};

const asRow = (r: Omit<AudienceConnectionRow, "audienceId" | "hasSecretSettings"> & { audienceId: number | null; hasSecretSettings: number }): AudienceConnectionRow => ({ ...r, audienceId: r.audienceId ?? 0, hasSecretSettings: r.hasSecretSettings === 1 });

/** The audience connections of some audiences, by id. */
export async function audienceConnectionsOf(db: Db, audienceIds: number[]): Promise<AudienceConnectionRow[]> {
  if (!audienceIds.length) return [];
  const rows = await db
    .select(columns)
    .from(connections)
    .innerJoin(outputs, eq(outputs.id, connections.outputId))
    .where(and(eq(connections.kind, "audience"), inArray(connections.audienceId, audienceIds)))
    .orderBy(asc(connections.id));
  return rows.map(asRow);
}

/** One audience connection with its output's settings (secrets still sealed) and its audience, or null. */
export async function audienceConnectionFull(db: Db, id: number) {
  const rows = await db
    .select({ ...columns, secretSettings: outputs.secretSettings, audienceName: audiences.name, externalName: audiences.externalName })
    .from(connections)
    .innerJoin(outputs, eq(outputs.id, connections.outputId))
    .innerJoin(audiences, eq(audiences.id, connections.audienceId))
    .where(and(eq(connections.id, id), eq(connections.kind, "audience")))
    .limit(1);
  const r = rows[0];
  return r ? { ...r, audienceId: r.audienceId ?? 0 } : null;
}

/** Creates or updates the audience's connection to `outputId` (one per audience and output); returns its id and whether it is new. */
export async function upsertAudienceConnection(
  db: Db,
  c: { audienceId: number; outputId: number; settings: Record<string, unknown>; status: { development: "active" | "inactive"; production: "active" | "inactive" } },
): Promise<{ id: number; created: boolean }> {
  const values = { settings: c.settings, statusDevelopment: c.status.development, statusProduction: c.status.production };
  const [existing] = await db
    .select({ id: connections.id })
    .from(connections)
    .where(and(eq(connections.kind, "audience"), eq(connections.audienceId, c.audienceId), eq(connections.outputId, c.outputId)))
    .limit(1);
  if (existing) {
    await db.update(connections).set({ ...values, updatedAt: Date.now() }).where(eq(connections.id, existing.id));
    invalidateConfig();
    return { id: existing.id, created: false };
  }
  const [row] = await db.insert(connections).values({ kind: "audience", audienceId: c.audienceId, outputId: c.outputId, ...values }).returning({ id: connections.id });
  invalidateConfig();
  return { id: row!.id, created: true };
}

/** Marks a connection faulted (`reason`) or clears the fault (null). */
export async function setConnectionFault(db: Db, id: number, reason: string | null): Promise<void> {
  await db.update(connections).set({ fault: reason, updatedAt: Date.now() }).where(eq(connections.id, id));
  invalidateConfig();
}

/** Deletes an audience connection row (its id is never handed out again). */
export async function deleteAudienceConnection(db: Db, id: number): Promise<void> {
  await db.delete(connections).where(and(eq(connections.id, id), eq(connections.kind, "audience")));
  invalidateConfig();
}
