/** Dead letters, connection counters and system alerts as the Platform API reads them (account-scoped). */
import { and, asc, desc, eq, gte, inArray, isNotNull, isNull, lte, type SQL } from "drizzle-orm";
import type { Db } from "..";
import { connectionCounters, connections, deadLetters, inputs, outputs, systemAlerts, workspaces } from "../schema";

export type DeadLetter = typeof deadLetters.$inferSelect;

/**
 * Index rows kept per connection (per workspace for dead letters without a connection): the newest. The rest
 * stay in R2 only, where replay-all of the connection finds them by prefix. Bounds the table at about
 * 1,000 × connections × ~400 B, whatever the traffic or the length of an outage.
 */
export const DEAD_LETTER_INDEX_MAX = 1_000;

/** An index row as the DLQ consumer writes it. */
export type DeadLetterIndexRow = Omit<DeadLetter, "payload" | "replayedAt">;

/** Statements that add index rows (a redelivery adds nothing twice) and then trim each touched scope to DEAD_LETTER_INDEX_MAX. */
export function indexDeadLetterStatements(d1: D1Database, rows: DeadLetterIndexRow[]): D1PreparedStatement[] {
  const stmts = rows.map((r) =>
    d1
      .prepare(
        `INSERT INTO dead_letters (id, connection_id, output_id, workspace_id, input_id, batch_id, reason, attempts, status_code, response, events, replay_of, payload, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', ?) ON CONFLICT (id) DO NOTHING`,
      )
      .bind(r.id, r.connectionId, r.outputId, r.workspaceId, r.inputId, r.batchId, r.reason, r.attempts, r.statusCode, r.response, r.events, r.replayOf, r.createdAt),
  );
  const scopes = new Map<string, { connectionId: number | null; workspaceId: number | null }>();
  for (const r of rows) scopes.set(`${r.connectionId}|${r.workspaceId}`, { connectionId: r.connectionId, workspaceId: r.workspaceId });
  for (const s of scopes.values()) {
    // Legacy rows (payload still in D1) are never trimmed: their payload exists nowhere else until moved.
    const where = s.connectionId === null ? `connection_id IS NULL AND workspace_id IS ?` : `connection_id = ?`;
    stmts.push(
      d1
        .prepare(`DELETE FROM dead_letters WHERE id IN (SELECT id FROM dead_letters WHERE ${where} AND payload = '' ORDER BY created_at DESC, id DESC LIMIT -1 OFFSET ?)`)
        .bind(s.connectionId === null ? s.workspaceId : s.connectionId, DEAD_LETTER_INDEX_MAX),
    );
  }
  return stmts;
}

/** Legacy rows whose payload is still in D1, oldest first (moved to R2 by the retention cron). */
export async function legacyDeadLetters(d1: D1Database, limit: number): Promise<DeadLetter[]> {
  const { results } = await d1
    .prepare(
      `SELECT id, connection_id AS connectionId, input_id AS inputId, output_id AS outputId, workspace_id AS workspaceId, batch_id AS batchId, reason, attempts,
              status_code AS statusCode, response, events, replay_of AS replayOf, payload, created_at AS createdAt, replayed_at AS replayedAt
       FROM dead_letters WHERE payload != '' ORDER BY created_at LIMIT ?`,
    )
    .bind(limit)
    .all<DeadLetter>();
  return results;
}

/** Marks legacy rows as moved (their payload is in R2 now). */
export function clearLegacyPayloads(d1: D1Database, ids: string[]): D1PreparedStatement[] {
  return ids.map((id) => d1.prepare(`UPDATE dead_letters SET payload = '' WHERE id = ?`).bind(id));
}

/** Marks dead letters as replayed by id (ids without an index row are skipped). */
export function markReplayedStatements(d1: D1Database, ids: string[], now: number): D1PreparedStatement[] {
  const out: D1PreparedStatement[] = [];
  for (let i = 0; i < ids.length; i += 90) {
    const chunk = ids.slice(i, i + 90);
    out.push(d1.prepare(`UPDATE dead_letters SET replayed_at = ? WHERE id IN (${chunk.map(() => "?").join(", ")})`).bind(now, ...chunk));
  }
  return out;
}
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
    .select({ id: connections.id, inputId: connections.inputId, outputId: connections.outputId, workspaceId: outputs.workspaceId, kind: connections.kind, audienceId: connections.audienceId, fault: connections.fault })
    .from(connections)
    // Through the output: audience connections have no input (an event connection's input and output share a workspace).
    .innerJoin(outputs, eq(outputs.id, connections.outputId))
    .innerJoin(workspaces, eq(workspaces.id, outputs.workspaceId))
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
