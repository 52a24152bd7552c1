/** Workspaces of an account (Platform API). */
import { audienceWorkspaces } from "../schema-audiences";
import { rules } from "../schema-rules";
import { and, eq, sql } from "drizzle-orm";
import { type Db, perHandle } from "..";
import { accounts, apps, calculatedAttributes, inputs, outputs, type WorkspaceSettings, workspaceCredentials, workspaces } from "../schema";

const cols = { id: workspaces.id, accountId: workspaces.accountId, name: workspaces.name, settings: workspaces.settings, createdAt: workspaces.createdAt, updatedAt: workspaces.updatedAt };

/** The workspace if it belongs to `accountId`, else null. */
export async function workspaceInAccount(db: Db, accountId: number, id: number) {
  const rows = await db.select(cols).from(workspaces).where(and(eq(workspaces.id, id), eq(workspaces.accountId, accountId))).limit(1);
  return rows[0] ?? null;
}

/** The Profile API's path check, prepared once per handle (it runs on every request). */
const inOrganizationQuery = perHandle((db) =>
  db
    .select({ id: workspaces.id })
    .from(workspaces)
    .innerJoin(accounts, eq(accounts.id, workspaces.accountId))
    .where(and(eq(workspaces.id, sql.placeholder("id")), eq(workspaces.accountId, sql.placeholder("accountId")), eq(accounts.organizationId, sql.placeholder("organizationId"))))
    .limit(1)
    .prepare(),
);

/** Whether the workspace belongs to `accountId` and that account to `organizationId` (one query). */
export async function workspaceInOrganization(db: Db, organizationId: number, accountId: number, id: number): Promise<boolean> {
  return (await inOrganizationQuery(db).all({ organizationId, accountId, id })).length > 0;
}

/** Every workspace of an account. */
export function listWorkspaces(db: Db, accountId: number) {
  return db.select(cols).from(workspaces).where(eq(workspaces.accountId, accountId)).orderBy(workspaces.id);
}

/** Creates a workspace. */
export async function createWorkspace(db: Db, accountId: number, name: string, settings: WorkspaceSettings = {}) {
  const [row] = await db.insert(workspaces).values({ accountId, name, settings }).returning(cols);
  return row!;
}

/** Updates name and/or settings of a workspace of `accountId`; null when there is none. */
export async function updateWorkspace(db: Db, accountId: number, id: number, patch: { name?: string; settings?: WorkspaceSettings }) {
  const rows = await db
    .update(workspaces)
    .set({ ...patch, updatedAt: Date.now() })
    .where(and(eq(workspaces.id, id), eq(workspaces.accountId, accountId)))
    .returning(cols);
  return rows[0] ?? null;
}

/** Inputs, apps, outputs, audiences and rules still in the workspace (deletion is refused while any exist). */
export async function workspaceContents(db: Db, id: number): Promise<number> {
  const [a, b, c, d, e] = await Promise.all([
    db.$count(inputs, eq(inputs.workspaceId, id)),
    db.$count(apps, eq(apps.workspaceId, id)),
    db.$count(outputs, eq(outputs.workspaceId, id)),
    db.$count(audienceWorkspaces, eq(audienceWorkspaces.workspaceId, id)),
    db.$count(rules, eq(rules.workspaceId, id)),
  ]);
  return a + b + c + d + e;
}

/** Deletes an (empty) workspace. */
export async function deleteWorkspace(db: Db, id: number): Promise<void> {
  // Its DSR credentials and calculated attribute definitions go with it (they reference the workspace); its DSR request records are kept.
  await db.batch([
    db.delete(workspaceCredentials).where(eq(workspaceCredentials.workspaceId, id)),
    db.delete(calculatedAttributes).where(eq(calculatedAttributes.workspaceId, id)),
    db.delete(workspaces).where(eq(workspaces.id, id)),
  ]);
}

/** Statement form of `updateWorkspace` (to batch it with other writes); check the account first. */
export function updateWorkspaceStatement(db: Db, id: number, patch: { name?: string; settings?: WorkspaceSettings }) {
  return db.update(workspaces).set({ ...patch, updatedAt: Date.now() }).where(eq(workspaces.id, id));
}
