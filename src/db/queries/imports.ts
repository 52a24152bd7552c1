/** CSV imports: one row per file (src/db/schema.ts `imports`); counts written a few times a minute, never per row. */
import { and, desc, eq, inArray, notInArray } from "drizzle-orm";
import type { Db } from "..";
import { type ImportRow, imports, inputs, workspaces } from "../schema";

export type ImportStatus = "uploading" | "queued" | "running" | "completed" | "failed" | "cancelled";
/** Statuses after which an import never changes again. */
export const FINAL_STATUSES: ImportStatus[] = ["completed", "failed", "cancelled"];

export async function insertImport(db: Db, row: typeof imports.$inferInsert): Promise<ImportRow> {
  const [r] = await db.insert(imports).values(row).returning();
  return r!;
}

export async function importById(db: Db, id: string): Promise<ImportRow | null> {
  const [r] = await db.select().from(imports).where(eq(imports.id, id)).limit(1);
  return r ?? null;
}

/** The newest imports of an input (at most `limit`). */
export function importsOfInput(db: Db, inputId: number, limit = 100): Promise<ImportRow[]> {
  return db.select().from(imports).where(eq(imports.inputId, inputId)).orderBy(desc(imports.createdAt)).limit(limit);
}

/** An import of the same input with the same content that did not fail and was not cancelled, other than `except`. */
export async function importWithHash(db: Db, inputId: number, hash: string, except: string): Promise<ImportRow | null> {
  const rows = await db
    .select()
    .from(imports)
    .where(and(eq(imports.inputId, inputId), eq(imports.contentHash, hash), notInArray(imports.status, ["failed", "cancelled"])))
    .orderBy(desc(imports.createdAt))
    .limit(2);
  return rows.find((r) => r.id !== except) ?? null;
}

/** Updates an import unless it is already final; returns the row after the update, or null when it was final. */
export async function updateImport(db: Db, id: string, set: Partial<typeof imports.$inferInsert>, onlyFrom?: ImportStatus[]): Promise<ImportRow | null> {
  const from = onlyFrom ?? (["uploading", "queued", "running"] as ImportStatus[]);
  const [r] = await db.update(imports).set({ ...set, updatedAt: Date.now() }).where(and(eq(imports.id, id), inArray(imports.status, from))).returning();
  return r ?? null;
}

export { inputContextById } from "./inputs";

/** An import whose workspace belongs to `accountId`, or null. */
export async function importInAccount(db: Db, accountId: number, id: string): Promise<ImportRow | null> {
  const rows = await db.select({ i: imports }).from(imports).innerJoin(workspaces, eq(workspaces.id, imports.workspaceId)).where(and(eq(imports.id, id), eq(workspaces.accountId, accountId))).limit(1);
  return rows[0]?.i ?? null;
}
