/**
 * OAuth bearer authentication (mparticle-api.md §4): verifies the HS256 JWT issued by POST /oauth/token.
 * Shared by the Platform API and the Profile API.
 */
import { createMiddleware } from "hono/factory";
import { createDb } from "../db";
import { apiClientUsable } from "../db/queries/api-clients";
import type { AppEnv } from "../env";
import { AppError } from "../lib/errors";
import { verifyJwt } from "../lib/jwt";

/** The audience mParticle's clients send for both the Platform API and the Profile API. */
export const MPARTICLE_AUDIENCE = "https://api.mparticle.com";

/** What a valid token says about its caller. */
export type TokenContext = { clientId: string; apiClientId: number; organizationId: number; audience: string };

/** Hono env of routes behind `bearerAuth`. */
export type BearerEnv = AppEnv & { Variables: { token: TokenContext } };

/** 401 with a Bearer challenge. */
export class BearerError extends AppError {
  constructor(message: string) {
    super(401, "UNAUTHORIZED", message, { "WWW-Authenticate": 'Bearer realm="edge-cdp"' });
  }
}

export type BearerAuthOptions = {
  /** Required `aud` claim (default: https://api.mparticle.com). */
  audience?: string;
  /** Refuse tokens of clients revoked since issue (one D1 read per request; default true). */
  checkRevoked?: boolean;
};

/** 401 unless `Authorization: Bearer <token>` carries a valid, unexpired token for `audience`. */
export const bearerAuth = (opts: BearerAuthOptions = {}) => {
  const audience = opts.audience ?? MPARTICLE_AUDIENCE;
  const checkRevoked = opts.checkRevoked ?? true;
  if (!audience) throw new Error("bearerAuth: audience must not be empty");
  return createMiddleware<BearerEnv>(async function bearerAuth(c, next) {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(c.req.header("Authorization") ?? "");
    if (!m) throw new BearerError("Authorization: Bearer <access token> is required.");
    const claims = await verifyJwt(c.env, m[1]!, { audience });
    if (!claims || typeof claims.sub !== "string" || typeof claims.org !== "number" || typeof claims.cid !== "number") {
      throw new BearerError("The access token is invalid or expired.");
    }
    if (checkRevoked) {
      if (!(await apiClientUsable(createDb(c.env.DB), claims.sub))) throw new BearerError("The API client was revoked.");
    }
    c.set("token", { clientId: claims.sub, apiClientId: claims.cid, organizationId: claims.org, audience });
    await next();
  });
};
