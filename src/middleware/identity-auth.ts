/**
 * Identity API authentication (mparticle-api.md §3.2): Basic key:secret; HMAC signature (`x-mp-key`,
 * `Date`, `x-mp-signature` = hex HMAC-SHA256(secret, METHOD\nDATE\nPATH+BODY), verified against the raw
 * header and path); or key only (`x-mp-key`), allowed per input (default: web inputs only).
 */
import { createMiddleware } from "hono/factory";
import { inputByKey } from "../db/config-cache";
import type { InputContext } from "../db/queries/inputs";
import type { AppEnv } from "../env";
import { keyOnlyAuthAllowed } from "../identity/config";
import { hmacSha256Hex, timingSafeEqualStr } from "../lib/crypto";
import { tryUnseal } from "../lib/sealed";
import { ForbiddenError, UnauthorizedError } from "../lib/errors";
import { assertNotThrottled, clientIp, recordAuthFailure } from "./auth-throttle";
import { basicCredentials } from "./input-auth";


/** A signed request's `Date` may differ from the server clock by at most this much. */
export const SIGNATURE_MAX_SKEW_MS = 15 * 60_000;

/** Parses the two date forms clients send: ISO basic `20170712T224127Z` and RFC 1123. */
export function parseSignatureDate(raw: string): number | undefined {
  const basic = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(raw.trim());
  if (basic) {
    const [, y, mo, d, h, mi, s] = basic.map(Number) as number[];
    return Date.UTC(y!, mo! - 1, d!, h!, mi!, s!);
  }
  const t = Date.parse(raw);
  return Number.isNaN(t) ? undefined : t;
}

/**
 * The plain secret of an input, for HMAC verification (sealed at rest in its settings). A sealed secret no
 * configured key opens (the encryption key changed) is a 401 that says so: the input's secret must be rotated.
 */
async function inputSecret(env: Env, input: InputContext): Promise<string | undefined> {
  const sealed = input.settings?.secretSealed;
  if (typeof sealed !== "string") return undefined;
  const secret = await tryUnseal<string>(env, sealed);
  if (secret.ok) return secret.value;
  throw new UnauthorizedError(`The input's stored secret cannot be decrypted (${secret.reason}); rotate the input's secret to use signed requests.`);
}

function active(input: InputContext | null): InputContext {
  if (!input) throw new UnauthorizedError("Unknown API key.");
  if (input.status !== "active") throw new ForbiddenError("This input is disabled.");
  return input;
}

/** Authenticates an Identity API request by any of the three modes; sets `input`. */
export const identityAuth = () =>
  createMiddleware<AppEnv>(async function identityAuth(c, next) {
    const authorization = c.req.header("Authorization");
    const key = c.req.header("x-mp-key");
    const ip = clientIp((n) => c.req.header(n));
    if (authorization) {
      const creds = await basicCredentials(c.env, authorization, ip);
      if (!creds) throw new UnauthorizedError("Authorization header must be Basic base64(key:secret).");
      const { input, valid } = creds;
      if (!input || !valid) throw new UnauthorizedError("Invalid API key or secret.");
      c.set("input", active(input));
      c.set("credential", "secret");
    } else if (key) {
      const input = active(await inputByKey(c.env, key));
      const signature = c.req.header("x-mp-signature");
      if (signature) {
        const date = c.req.header("Date") ?? c.req.header("x-mp-date");
        if (!date) throw new UnauthorizedError("A signed request needs a Date header.");
        const at = parseSignatureDate(date);
        if (at === undefined) throw new UnauthorizedError("The Date header cannot be read.");
        if (Math.abs(Date.now() - at) > SIGNATURE_MAX_SKEW_MS) throw new UnauthorizedError("The Date header is too far from the server time.");
        const secret = await inputSecret(c.env, input);
        if (!secret) throw new UnauthorizedError("Signed requests are not available for this input.");
        assertNotThrottled("input", key, ip);
        const url = new URL(c.req.url);
        const body = await c.req.text();
        const expected = await hmacSha256Hex(secret, `${c.req.method}\n${date}\n${url.pathname}${url.search}${body}`);
        if (!timingSafeEqualStr(expected, signature.trim().toLowerCase())) {
          await recordAuthFailure(c.env, "input", key, ip);
          throw new UnauthorizedError("Invalid request signature.");
        }
      } else if (!keyOnlyAuthAllowed(input)) {
        throw new UnauthorizedError("Key-only authentication is not enabled for this input.");
      }
      c.set("input", input);
      c.set("credential", signature ? "secret" : "public_key");
    } else {
      throw new UnauthorizedError("Authorization or x-mp-key header is missing.");
    }
    await next();
  });
