/** Platform API client credentials: secrets stored only as `hashSecret` hashes. */
import { and, eq, isNull, sql } from "drizzle-orm";
import { type Db, perHandle } from "..";
import { hashSecret } from "../../lib/crypto";
import { randomToken } from "../../lib/ids";
import { apiClients } from "../schema";

export type ApiClient = typeof apiClients.$inferSelect;

/** An API client by its public client id (revoked ones included), or null. */
export async function findApiClient(db: Db, clientId: string): Promise<ApiClient | null> {
  const rows = await db.select().from(apiClients).where(eq(apiClients.clientId, clientId)).limit(1);
  return rows[0] ?? null;
}

/** The bearer check's query, prepared once per handle. */
const usableQuery = perHandle((db) =>
  db
    .select({ revokedAt: apiClients.revokedAt })
    .from(apiClients)
    .where(eq(apiClients.clientId, sql.placeholder("clientId")))
    .limit(1)
    .prepare(),
);

/** Whether the client exists and is not revoked: checked on every bearer-authenticated request. */
export async function apiClientUsable(db: Db, clientId: string): Promise<boolean> {
  const rows = await usableQuery(db).all({ clientId });
  return rows.length > 0 && rows[0]!.revokedAt === null;
}

/** Active API clients of an organization (no secrets). */
export function listApiClients(db: Db, organizationId: number) {
  return db
    .select({ id: apiClients.id, name: apiClients.name, clientId: apiClients.clientId, createdAt: apiClients.createdAt })
    .from(apiClients)
    .where(and(eq(apiClients.organizationId, organizationId), isNull(apiClients.revokedAt)));
}

/** Creates a client; the plain secret is returned once and never stored. */
export async function createApiClient(db: Db, organizationId: number, name: string) {
  const clientId = randomToken(16);
  const clientSecret = randomToken(32);
  const [row] = await db
    .insert(apiClients)
    .values({ organizationId, name, clientId, secretHash: await hashSecret(clientSecret) })
    .returning({ id: apiClients.id, createdAt: apiClients.createdAt });
  return { id: row!.id, name, clientId, clientSecret, createdAt: row!.createdAt };
}

/** Revokes a client of `organizationId`; false when there is no such active client. */
export async function revokeApiClient(db: Db, organizationId: number, id: number): Promise<boolean> {
  const res = await db
    .update(apiClients)
    .set({ revokedAt: Date.now(), updatedAt: Date.now() })
    .where(and(eq(apiClients.id, id), eq(apiClients.organizationId, organizationId), isNull(apiClients.revokedAt)))
    .returning({ id: apiClients.id });
  return res.length > 0;
}
