/** Authenticates a workspace by HTTP Basic `key:secret` against `workspace_credentials` (DSR API, mparticle-api.md §8.1). */
import { and, eq } from "drizzle-orm";
import { createMiddleware } from "hono/factory";
import { createDb } from "../db";
import { workspaceCredentials } from "../db/schema";
import { UNKNOWN_SECRET_HASH, verifySecret } from "../lib/crypto";
import { UnauthorizedError } from "../lib/errors";
import { assertNotThrottled, clientIp, recordAuthFailure } from "./auth-throttle";
import { parseBasic } from "./input-auth";

export type WorkspaceContext = { id: number; credentialId: number };
export type WorkspaceEnv = { Bindings: Env; Variables: { workspace: WorkspaceContext } };

/** The DSR API pages' 401 message. */
export const INVALID_WORKSPACE_CREDENTIALS = "The credentials provided in the request are not valid.";

/**
 * 401 without credentials, with an unknown key, a revoked credential or a wrong secret (the DSR API answers
 * 401 for all of them). Credentials are read from D1 on every request, so a revocation applies at once.
 */
export const workspaceAuth = () =>
  createMiddleware<WorkspaceEnv>(async function workspaceAuth(c, next) {
    const header = c.req.header("Authorization");
    if (!header) throw new UnauthorizedError("Authorization header is missing; use HTTP Basic with the workspace key and secret.");
    const creds = parseBasic(header);
    if (!creds) throw new UnauthorizedError("Authorization header must be Basic base64(key:secret).");
    const ip = clientIp((n) => c.req.header(n));
    assertNotThrottled("workspace", creds.key, ip);
    const rows = await createDb(c.env.DB)
      .select({ id: workspaceCredentials.id, workspaceId: workspaceCredentials.workspaceId, secretHash: workspaceCredentials.secretHash })
      .from(workspaceCredentials)
      .where(and(eq(workspaceCredentials.key, creds.key), eq(workspaceCredentials.status, "active")))
      .limit(1);
    const row = rows[0];
    // Unknown keys still pay for a hash check, so timing does not reveal which keys exist.
    const ok = await verifySecret(creds.secret, row?.secretHash ?? UNKNOWN_SECRET_HASH);
    if (!ok || !row) {
      await recordAuthFailure(c.env, "workspace", creds.key, ip);
      throw new UnauthorizedError(INVALID_WORKSPACE_CREDENTIALS);
    }
    c.set("workspace", { id: row.workspaceId, credentialId: row.id });
    await next();
  });
