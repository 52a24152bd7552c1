/** Authenticates an input by HTTP Basic `key:secret` (Events API, mparticle-api.md §1.3). */
import { createMiddleware } from "hono/factory";
import { inputByKey } from "../db/config-cache";
import type { AppEnv } from "../env";
import { verifySecret, UNKNOWN_SECRET_HASH } from "../lib/crypto";
import { ForbiddenError, UnauthorizedError } from "../lib/errors";


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
    const creds = parseBasic(header);
    if (!creds) throw new UnauthorizedError("Authorization header must be Basic base64(key:secret).");
    const input = await inputByKey(c.env, creds.key);
    // Unknown keys still pay for a hash check, so timing does not reveal which keys exist.
    const ok = (await verifySecret(creds.secret, input?.secretHash ?? UNKNOWN_SECRET_HASH)) && input !== null;
    if (!ok || input.status !== "active" || !kinds.includes(input.kind)) throw new ForbiddenError();
    c.set("input", input);
    await next();
  });
};
