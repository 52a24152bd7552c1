/**
 * Identity API (IDSync, mparticle-api.md §3): POST /v1/identify, /v1/search, /v1/login, /v1/logout,
 * /v1/{mpid}/modify. Answers 200 with `mpid` as a JSON string (a 202 makes the Web SDK drop identities).
 */
import { type Context, Hono } from "hono";
import type { AppEnv } from "../env";
import { publicKeyIdentityChangesAllowed } from "../identity/config";
import { identityContextFor } from "../identity/context";
import { modifyRequest } from "../identity/modify";
import { identityRequest } from "../identity/resolver";
import type { Operation } from "../identity/strategy";
import { AppError, ValidationError } from "../lib/errors";
import { parseJsonBody } from "../lib/json-body";
import { identityAuth } from "../middleware/identity-auth";
import { inputRateLimit } from "../middleware/limits";
import { normalizeMpid } from "../schema/batch";
import { identityRequestSchema, issues, modifyRequestSchema } from "../schema/identity";

/**
 * Largest Identity API body (our bound; mParticle publishes none): an IDSync request is under 2 KB, and at
 * most 33 identity types × MAX_IDENTITY_VALUE_LENGTH fit well within this.
 */
export const IDENTITY_MAX_BODY_BYTES = 64 * 1024;

export const identityRoutes = new Hono<AppEnv>();

const jsonBody = async (c: Context<AppEnv>): Promise<unknown> => parseJsonBody(await c.req.text());

/** Opaque `context` echoed back by SDKs on their next identity call. */
function contextToken(mpid: string): string {
  return btoa(JSON.stringify({ v: 1, mpid }));
}

const auth = [identityAuth(), inputRateLimit()] as const;

/**
 * Whether the request may only do what the public key may (src/identity/public-key.ts): authenticated by
 * the key alone, on an input without `allowPublicKeyIdentityChanges`.
 */
const publicKeyOnly = (c: Context<AppEnv>) => c.get("credential") === "public_key" && !publicKeyIdentityChangesAllowed(c.get("input"));

for (const op of ["identify", "search", "login", "logout"] as const satisfies Operation[]) {
  identityRoutes.post(`/${op}`, ...auth, async (c) => {
    const parsed = identityRequestSchema.safeParse(await jsonBody(c));
    if (!parsed.success) throw new ValidationError(issues(parsed.error));
    const body = parsed.data;
    if (body.known_identities.length === 0 && op !== "logout") {
      throw new ValidationError([{ code: "BAD_REQUEST", message: "known_identities: at least one identity is required." }]);
    }
    const ctx = await identityContextFor(c.env, c.get("input"));
    const res = await identityRequest(ctx, op, body.known_identities, body.previous_mpid, { publicKey: publicKeyOnly(c) });
    if (res.status === "not_found") throw new AppError(404, "NOT_FOUND_ERROR", "No user matches the identities of this search.");
    if (res.status === "error") throw new AppError(400, res.code, res.message);
    return c.json(
      {
        mpid: res.mpid,
        context: contextToken(res.mpid),
        is_ephemeral: false,
        is_logged_in: res.loggedIn,
        matched_identities: Object.fromEntries(res.matched.map((id) => [id.type, id.value])),
      },
      200,
    );
  });
}

identityRoutes.post("/:mpid/modify", ...auth, async (c) => {
  const mpid = normalizeMpid(c.req.param("mpid"));
  if (!mpid) throw new ValidationError([{ code: "BAD_REQUEST", message: "mpid: must be a non-zero signed 64-bit integer." }]);
  const parsed = modifyRequestSchema.safeParse(await jsonBody(c));
  if (!parsed.success) throw new ValidationError(issues(parsed.error));
  const ctx = await identityContextFor(c.env, c.get("input"));
  const res = await modifyRequest(ctx, mpid, parsed.data.identity_changes, { publicKey: publicKeyOnly(c) });
  if (res.status === "not_found") throw new AppError(404, "NOT_FOUND_ERROR", `No user with mpid ${mpid}.`);
  if (res.status === "error") throw new AppError(400, res.code, res.message);
  return c.json({ change_results: res.changeResults }, 200);
});
