/**
 * /v1/workspaces/{id}/credentials (our addition): the workspace credentials of the DSR API (mParticle shows
 * them on the Workspace Settings screen). The secret is shown once and stored as a salted hash.
 */
import { and, asc, eq } from "drizzle-orm";
import { Hono } from "hono";
import { workspaceInAccount } from "../../db/queries/workspaces";
import { workspaceCredentials } from "../../db/schema";
import { hashSecret } from "../../lib/crypto";
import { randomToken } from "../../lib/ids";
import { db, found, idParam, ok, type PlatformContext, type PlatformEnv } from "./common";

type Row = typeof workspaceCredentials.$inferSelect;
const view = (r: Row) => ({ id: r.id, workspace_id: r.workspaceId, key: r.key, status: r.status, created_at: r.createdAt, updated_at: r.updatedAt });

async function workspaceOf(c: PlatformContext): Promise<number> {
  const id = idParam(c, "id");
  found(await workspaceInAccount(db(c), c.get("account").id, id), "Workspace");
  return id;
}

export const workspaceCredentialsRoutes = new Hono<PlatformEnv>();

workspaceCredentialsRoutes.get("/:id{[0-9]+}/credentials", async (c) => {
  const ws = await workspaceOf(c);
  const rows = await db(c).select().from(workspaceCredentials).where(eq(workspaceCredentials.workspaceId, ws)).orderBy(asc(workspaceCredentials.id));
  return ok(c, rows.map(view));
});

workspaceCredentialsRoutes.post("/:id{[0-9]+}/credentials", async (c) => {
  const ws = await workspaceOf(c);
  const key = `ws-${randomToken(12)}`;
  const secret = randomToken(24);
  const [row] = await db(c).insert(workspaceCredentials).values({ workspaceId: ws, key, secretHash: await hashSecret(secret) }).returning();
  return ok(c, { ...view(row!), secret }, 201);
});

workspaceCredentialsRoutes.delete("/:id{[0-9]+}/credentials/:credentialId{[0-9]+}", async (c) => {
  const ws = await workspaceOf(c);
  const revoked = await db(c)
    .update(workspaceCredentials)
    .set({ status: "revoked", updatedAt: Date.now() })
    .where(and(eq(workspaceCredentials.workspaceId, ws), eq(workspaceCredentials.id, idParam(c, "credentialId"))))
    .returning({ id: workspaceCredentials.id });
  found(revoked[0], "Workspace credential");
  return c.body(null, 204);
});
