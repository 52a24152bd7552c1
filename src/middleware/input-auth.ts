/** Authenticates an input by HTTP Basic `key:secret` (Events API, mparticle-api.md §1.3). */
import { createMiddleware } from "hono/factory";
import { inputByKey } from "../db/config-cache";
import type { AppEnv } from "../env";
import type { InputContext } from "../db/queries/inputs";
import { verifySecret, UNKNOWN_SECRET_HASH } from "../lib/crypto";
import { ForbiddenError, UnauthorizedError } from "../lib/errors";
import { assertNotThrottled, clientIp, recordAuthFailure } from "./auth-throttle";


/** Splits a Basic authorization header into key and secret, or null when absent or malformed. */
export function parseBasic(header: string | undefined): { key: string; secret: string } | null {
  if (!header) return null;
  const m = /^Basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(header);
  if (!m) return null;
  let decoded: string;
  try {
    decoded = new TextDecoder().decode(Uint8Array.from(atob(m[1]!), (ch) => ch.charCodeAt(0)));
  } catch {
    return null;
  }
  const i = decoded.indexOf(":");
  if (i <= 0) return null;
  return { key: decoded.slice(0, i), secret: decoded.slice(i + 1) };
}

/**
 * Authorization headers this isolate already verified, with the key and the stored secret hash they were
 * verified against: a repeat of the exact header skips the base64 decode and the salted SHA-256 as long as
 * the input's stored hash is unchanged (a rotated secret misses and is verified again). Bounded.
 */
const verifiedBasic = new Map<string, { key: string; secretHash: string }>();
const VERIFIED_BASIC_MAX = 1_000;

/**
 * Resolves a Basic `key:secret` header: `null` when the header is malformed; else the input (null when the
 * key is unknown) and whether the secret matches. Unknown keys still pay for a hash check, so timing does
 * not reveal which keys exist. A key that failed too often from `ip` is refused (429) before the secret is
 * compared (and before the verified-header cache answers), and each failure is counted (auth-throttle.ts).
 */
export async function basicCredentials(env: Env, header: string, ip = "unknown"): Promise<{ input: InputContext | null; valid: boolean } | null> {
  const hit = verifiedBasic.get(header);
  if (hit) {
    // Throttled callers are refused even with a verified header: a 200 here would tell a guesser it guessed right.
    assertNotThrottled("input", hit.key, ip);
    const input = await inputByKey(env, hit.key);
    if (input && input.secretHash === hit.secretHash) return { input, valid: true };
    verifiedBasic.delete(header);
  }
  const creds = parseBasic(header);
  if (!creds) return null;
  assertNotThrottled("input", creds.key, ip);
  const input = await inputByKey(env, creds.key);
  const valid = (await verifySecret(creds.secret, input?.secretHash ?? UNKNOWN_SECRET_HASH)) && input !== null;
  if (!valid) await recordAuthFailure(env, "input", creds.key, ip);
  if (valid && input.secretHash) {
    if (verifiedBasic.size >= VERIFIED_BASIC_MAX) verifiedBasic.clear();
    verifiedBasic.set(header, { key: creds.key, secretHash: input.secretHash });
  }
  return { input, valid };
}

export type InputAuthOptions = {
  /** Input kinds allowed on the route (default: platform and feed). */
  kinds?: ("platform" | "feed")[];
};

/** 401 without (usable) credentials, 403 when the key is unknown, disabled, or the secret is wrong. */
export const inputAuth = (opts: InputAuthOptions = {}) => {
  const kinds = opts.kinds ?? ["platform", "feed"];
  if (kinds.length === 0) throw new Error("inputAuth: kinds must not be empty");
  return createMiddleware<AppEnv>(async function inputAuth(c, next) {
    const header = c.req.header("Authorization");
    if (!header) throw new UnauthorizedError();
    const creds = await basicCredentials(c.env, header, clientIp((n) => c.req.header(n)));
    if (!creds) throw new UnauthorizedError("Authorization header must be Basic base64(key:secret).");
    const { input, valid } = creds;
    if (!valid || !input || input.status !== "active" || !kinds.includes(input.kind)) throw new ForbiddenError();
    c.set("input", input);
    await next();
  });
};
