/** Calculated attribute definitions (D1, configuration only). */
import { and, asc, eq, isNotNull } from "drizzle-orm";
import type { Db } from "..";
import { calculatedAttributes } from "../schema";

export type CalculatedAttributeRow = typeof calculatedAttributes.$inferSelect;

/** The workspace's CAs, by id (optionally those named `name`). */
export function listCalculatedAttributes(db: Db, workspaceId: number, name?: string): Promise<CalculatedAttributeRow[]> {
  const where = name === undefined ? eq(calculatedAttributes.workspaceId, workspaceId) : and(eq(calculatedAttributes.workspaceId, workspaceId), eq(calculatedAttributes.name, name));
  return db.select().from(calculatedAttributes).where(where).orderBy(asc(calculatedAttributes.id));
}

/** One CA of the workspace, or null. */
export async function findCalculatedAttribute(db: Db, workspaceId: number, id: number): Promise<CalculatedAttributeRow | null> {
  const rows = await db.select().from(calculatedAttributes).where(and(eq(calculatedAttributes.workspaceId, workspaceId), eq(calculatedAttributes.id, id))).limit(1);
  return rows[0] ?? null;
}

/** The workspace's active CAs (what profiles compute). */
export function activeCalculatedAttributes(db: Db, workspaceId: number): Promise<CalculatedAttributeRow[]> {
  return db
    .select()
    .from(calculatedAttributes)
    .where(and(eq(calculatedAttributes.workspaceId, workspaceId), isNotNull(calculatedAttributes.activeDefinition)))
    .orderBy(asc(calculatedAttributes.id));
}

/** Inserts a CA; its id. */
export async function insertCalculatedAttribute(db: Db, row: typeof calculatedAttributes.$inferInsert): Promise<number> {
  const [r] = await db.insert(calculatedAttributes).values(row).returning({ id: calculatedAttributes.id });
  return r!.id;
}

/** Updates a CA of the workspace; whether it existed. */
export async function updateCalculatedAttribute(db: Db, workspaceId: number, id: number, set: Partial<typeof calculatedAttributes.$inferInsert>): Promise<boolean> {
  const r = await db
    .update(calculatedAttributes)
    .set({ ...set, updatedAt: Date.now() })
    .where(and(eq(calculatedAttributes.workspaceId, workspaceId), eq(calculatedAttributes.id, id)))
    .returning({ id: calculatedAttributes.id });
  return r.length > 0;
}

/** Deletes a CA of the workspace; whether it existed. */
export async function deleteCalculatedAttribute(db: Db, workspaceId: number, id: number): Promise<boolean> {
  const r = await db.delete(calculatedAttributes).where(and(eq(calculatedAttributes.workspaceId, workspaceId), eq(calculatedAttributes.id, id))).returning({ id: calculatedAttributes.id });
  return r.length > 0;
}
