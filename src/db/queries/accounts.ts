/** Accounts of an organization (Platform API scope). */
import { and, eq } from "drizzle-orm";
import type { Db } from "..";
import { accounts, workspaces } from "../schema";

const cols = { id: accounts.id, organizationId: accounts.organizationId, name: accounts.name, createdAt: accounts.createdAt, updatedAt: accounts.updatedAt };

/** The account if it belongs to `organizationId`, else null. */
export async function accountInOrganization(db: Db, organizationId: number, id: number) {
  const rows = await db.select(cols).from(accounts).where(and(eq(accounts.id, id), eq(accounts.organizationId, organizationId))).limit(1);
  return rows[0] ?? null;
}

/** Every account of an organization. */
export function listAccounts(db: Db, organizationId: number) {
  return db.select(cols).from(accounts).where(eq(accounts.organizationId, organizationId)).orderBy(accounts.id);
}

/** Creates an account; returns it. */
export async function createAccount(db: Db, organizationId: number, name: string) {
  const [row] = await db.insert(accounts).values({ organizationId, name }).returning(cols);
  return row!;
}

/** Renames an account of `organizationId`; null when there is none. */
export async function updateAccount(db: Db, organizationId: number, id: number, name: string) {
  const rows = await db
    .update(accounts)
    .set({ name, updatedAt: Date.now() })
    .where(and(eq(accounts.id, id), eq(accounts.organizationId, organizationId)))
    .returning(cols);
  return rows[0] ?? null;
}

/** Number of workspaces of an account (an account is deleted only when it has none). */
export async function countWorkspaces(db: Db, accountId: number): Promise<number> {
  return db.$count(workspaces, eq(workspaces.accountId, accountId));
}

/** Deletes an account. */
export async function deleteAccount(db: Db, id: number): Promise<void> {
  await db.delete(accounts).where(eq(accounts.id, id));
}
