/** Dead letters, connection counters and system alerts as the Platform API reads them (account-scoped). */
import { and, asc, desc, eq, gte, inArray, isNotNull, isNull, lte, type SQL } from "drizzle-orm";
import type { Db } from "..";
import { connectionCounters, connections, deadLetters, inputs, systemAlerts, workspaces } from "../schema";

export type DeadLetter = typeof deadLetters.$inferSelect;
export type DeadLetterQuery = { connectionId?: number; workspaceId?: number; from?: number; to?: number; status?: "pending" | "replayed" | "all"; limit: number };

/** Dead letters of the account's workspaces, newest first. */
export async function listDeadLetters(db: Db, accountId: number, q: DeadLetterQuery): Promise<DeadLetter[]> {
  const where: SQL[] = [eq(workspaces.accountId, accountId)];
  if (q.connectionId !== undefined) where.push(eq(deadLetters.connectionId, q.connectionId));
  if (q.workspaceId !== undefined) where.push(eq(deadLetters.workspaceId, q.workspaceId));
  if (q.from !== undefined) where.push(gte(deadLetters.createdAt, q.from));
  if (q.to !== undefined) where.push(lte(deadLetters.createdAt, q.to));
  if (q.status === "pending") where.push(isNull(deadLetters.replayedAt));
  if (q.status === "replayed") where.push(isNotNull(deadLetters.replayedAt));
  const rows = await db
    .select({ d: deadLetters })
    .from(deadLetters)
    .innerJoin(workspaces, eq(workspaces.id, deadLetters.workspaceId))
    .where(and(...where))
    .orderBy(desc(deadLetters.createdAt), asc(deadLetters.id))
    .limit(q.limit);
  return rows.map((r) => r.d);
}

/** One dead letter of the account, or null. */
export async function getDeadLetter(db: Db, accountId: number, id: string): Promise<DeadLetter | null> {
  const rows = await db
    .select({ d: deadLetters })
    .from(deadLetters)
    .innerJoin(workspaces, eq(workspaces.id, deadLetters.workspaceId))
    .where(and(eq(deadLetters.id, id), eq(workspaces.accountId, accountId)))
    .limit(1);
  return rows[0]?.d ?? null;
}

/** Marks dead letters as replayed (they stay listed with `replayed_at`). */
export async function markReplayed(db: Db, ids: string[], now: number): Promise<void> {
  if (ids.length) await db.update(deadLetters).set({ replayedAt: now }).where(inArray(deadLetters.id, ids));
}

/** Deletes a dead letter for good. */
export async function discardDeadLetter(db: Db, id: string): Promise<void> {
  await db.delete(deadLetters).where(eq(deadLetters.id, id));
}

/** A connection whose input's workspace belongs to `accountId`, or null. */
export async function connectionInAccount(db: Db, accountId: number, id: number) {
  const rows = await db
    .select({ id: connections.id, inputId: connections.inputId, outputId: connections.outputId, workspaceId: inputs.workspaceId })
    .from(connections)
    .innerJoin(inputs, eq(inputs.id, connections.inputId))
    .innerJoin(workspaces, eq(workspaces.id, inputs.workspaceId))
    .where(and(eq(connections.id, id), eq(workspaces.accountId, accountId)))
    .limit(1);
  return rows[0] ?? null;
}

/** Hourly counters of a connection between two hour buckets (inclusive), oldest first. */
export function connectionCountersBetween(db: Db, connectionId: number, fromHour: string, toHour: string) {
  return db
    .select()
    .from(connectionCounters)
    .where(and(eq(connectionCounters.connectionId, connectionId), gte(connectionCounters.hour, fromHour), lte(connectionCounters.hour, toHour)))
    .orderBy(asc(connectionCounters.hour));
}

/** Latest system alerts of a connection or of a workspace, newest first. */
export function latestAlerts(db: Db, by: { connectionId: number } | { workspaceId: number }, limit: number) {
  const where = "connectionId" in by ? eq(systemAlerts.connectionId, by.connectionId) : eq(systemAlerts.workspaceId, by.workspaceId);
  return db.select().from(systemAlerts).where(where).orderBy(desc(systemAlerts.createdAt), desc(systemAlerts.id)).limit(limit);
}
