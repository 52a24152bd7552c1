/** Field transformations (D1, configuration only). Deleted ones stay as tombstones: their ids are never reused. */
import { and, asc, eq, isNull, sql } from "drizzle-orm";
import type { Db } from "..";
import { type FieldTransformationRow, fieldTransformations as ft } from "../schema-transforms";
import type { FtDefinition } from "../../schema/field-transformation";

export type { FieldTransformationRow };

/** The workspace's live transformations, by id. */
export function listFieldTransformations(db: Db, workspaceId: number): Promise<FieldTransformationRow[]> {
  return db.select().from(ft).where(and(eq(ft.workspaceId, workspaceId), isNull(ft.deletedAt))).orderBy(asc(ft.ftId));
}

/** One transformation of the workspace by the caller's id, tombstones included (check `deletedAt`), or null. */
export async function findFieldTransformation(db: Db, workspaceId: number, ftId: string): Promise<FieldTransformationRow | null> {
  const [r] = await db.select().from(ft).where(and(eq(ft.workspaceId, workspaceId), eq(ft.ftId, ftId))).limit(1);
  return r ?? null;
}

/** Inserts a transformation; null when the id is taken (live or deleted) in the workspace. */
export async function insertFieldTransformation(db: Db, row: typeof ft.$inferInsert): Promise<FieldTransformationRow | null> {
  const [r] = await db.insert(ft).values(row).onConflictDoNothing().returning();
  return r ?? null;
}

/** Replaces a live transformation's name and mappings (version + 1); null when there is none. */
export async function updateFieldTransformation(db: Db, workspaceId: number, ftId: string, set: { name: string; mappings: unknown[]; lastModifiedBy: string | null }): Promise<FieldTransformationRow | null> {
  const [r] = await db
    .update(ft)
    .set({ ...set, version: sql`${ft.version} + 1`, updatedAt: Date.now() })
    .where(and(eq(ft.workspaceId, workspaceId), eq(ft.ftId, ftId), isNull(ft.deletedAt)))
    .returning();
  return r ?? null;
}

/** Turns a live transformation into a tombstone; whether there was one. */
export async function deleteFieldTransformation(db: Db, workspaceId: number, ftId: string, by: string | null): Promise<boolean> {
  const r = await db
    .update(ft)
    .set({ deletedAt: Date.now(), mappings: [], version: sql`${ft.version} + 1`, updatedAt: Date.now(), lastModifiedBy: by })
    .where(and(eq(ft.workspaceId, workspaceId), eq(ft.ftId, ftId), isNull(ft.deletedAt)))
    .returning({ id: ft.id });
  return r.length > 0;
}

/** The definition a row stores (the API object; what the pipeline compiles). */
export function ftView(r: FieldTransformationRow): FtDefinition {
  return { id: r.ftId, name: r.name, destination_type: "event_batch", mappings: r.mappings as FtDefinition["mappings"] };
}
