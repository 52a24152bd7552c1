/**
 * POST /oauth/token: OAuth 2.0 client credentials (mparticle-api.md §4). JSON or form body; answers
 * {"access_token","expires_in":28800,"token_type":"Bearer"}. Errors use RFC 6749 names plus our `errors` array.
 */
import { Hono } from "hono";
import { cors } from "hono/cors";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { createDb } from "../db";
import { findApiClient } from "../db/queries/api-clients";
import type { AppEnv } from "../env";
import { verifySecret, UNKNOWN_SECRET_HASH } from "../lib/crypto";
import { uuid } from "../lib/ids";
import { signJwt } from "../lib/jwt";
import { assertNotThrottled, clientIp, recordAuthFailure } from "../middleware/auth-throttle";
import { parseBasic } from "../middleware/input-auth";
import { MPARTICLE_AUDIENCE } from "../middleware/oauth";

/** Token lifetime: 8 hours, as mParticle's (mparticle-api.md §4). */
export const TOKEN_TTL_SECONDS = 28_800;
/** Audiences a token may be issued for. */
export const AUDIENCES = [MPARTICLE_AUDIENCE];


/** Largest /oauth/token body (our bound; a client-credentials request is four short fields). */
export const OAUTH_MAX_BODY_BYTES = 8 * 1024;

export const oauthRoutes = new Hono<AppEnv>();

oauthRoutes.use("/oauth/token", cors({ origin: "*", allowMethods: ["POST", "OPTIONS"] }));

function oauthError(error: string, description: string, status: ContentfulStatusCode) {
  const body = { error, error_description: description, errors: [{ code: error.toUpperCase(), message: description }] };
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json", "Cache-Control": "no-store" } });
}

async function readParams(req: Request): Promise<Record<string, unknown> | null> {
  const type = req.headers.get("Content-Type") ?? "";
  try {
    if (type.includes("application/x-www-form-urlencoded")) return Object.fromEntries(new URLSearchParams(new TextDecoder().decode(await req.arrayBuffer())));
    const v = JSON.parse(await req.text());
    return v && typeof v === "object" && !Array.isArray(v) ? v : null;
  } catch {
    return null;
  }
}

oauthRoutes.post("/oauth/token", async (c) => {
  const p = await readParams(c.req.raw);
  if (!p) return oauthError("invalid_request", "Body must be a JSON object or a form.", 400);
  if (p.grant_type !== "client_credentials") return oauthError("unsupported_grant_type", 'grant_type must be "client_credentials".', 400);
  const audience = typeof p.audience === "string" && p.audience ? p.audience : MPARTICLE_AUDIENCE;
  if (!AUDIENCES.includes(audience)) return oauthError("invalid_request", `audience must be one of: ${AUDIENCES.join(", ")}.`, 400);
  const basic = parseBasic(c.req.header("Authorization"));
  const clientId = typeof p.client_id === "string" ? p.client_id : basic?.key;
  const secret = typeof p.client_secret === "string" ? p.client_secret : basic?.secret;
  if (!clientId || !secret) return oauthError("invalid_client", "client_id and client_secret are required.", 401);
  const ip = clientIp((n) => c.req.header(n));
  assertNotThrottled("oauth", clientId, ip);
  const client = await findApiClient(createDb(c.env.DB), clientId);
  const valid = await verifySecret(secret, client?.secretHash ?? UNKNOWN_SECRET_HASH);
  if (!client || !valid) await recordAuthFailure(c.env, "oauth", clientId, ip);
  if (!client || !valid || client.revokedAt !== null) return oauthError("invalid_client", "Unknown client or wrong secret.", 401);
  const iat = Math.floor(Date.now() / 1000);
  const token = await signJwt(c.env, {
    iss: "edge-cdp",
    sub: client.clientId,
    aud: audience,
    org: client.organizationId,
    cid: client.id,
    jti: uuid(),
    iat,
    exp: iat + TOKEN_TTL_SECONDS,
  });
  c.header("Cache-Control", "no-store");
  return c.json({ access_token: token, expires_in: TOKEN_TTL_SECONDS, token_type: "Bearer" });
});
