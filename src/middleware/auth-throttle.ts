/**
 * Throttling of failed authentication (issue 17, finding 5): repeated failures for one credential id (an
 * input key, an API client id, a workspace key) from one client IP are refused with 429 + Retry-After
 * before the secret is compared, so guessing a secret costs a period per few guesses. Correct callers are
 * never slowed: the success path reads only this isolate's memo (no binding call), and the throttle key
 * holds the client IP, so failures from one address never refuse another address.
 *
 * Two layers: an in-isolate memo of recent failures (exact within the isolate, checked before the secret),
 * and the AUTH_FAILURE_LIMITER binding, called only on failures, which counts them across isolates and
 * locations. Cloudflare documents the binding as eventually consistent (counts cached per location), so
 * across isolates a few more guesses than the limit may get through before every isolate refuses.
 */
import { AppError } from "../lib/errors";

/** The binding's period (wrangler.toml AUTH_FAILURE_LIMITER: `simple = { limit = 10, period = 60 }`). */
export const AUTH_FAILURE_PERIOD_SECONDS = 60;
/** Default failures allowed per credential id and client IP per period (`AUTH_FAILURE_LIMIT`; keep it equal to the binding's limit). */
export const DEFAULT_AUTH_FAILURE_LIMIT = 10;
/** Throttle keys remembered per isolate before the memo is cleared (bounds memory; the binding still counts). */
const MEMO_MAX = 10_000;
/** Longest credential id kept in a throttle key (longer ids are cut: they are never valid ids anyway). */
const MAX_ID_LENGTH = 200;

/** Which credential failed: the throttle key's scope. */
export type AuthScope = "input" | "oauth" | "workspace";

/** 429 for a throttled credential id and client IP. */
export class AuthThrottledError extends AppError {
  constructor(retryAfterSeconds: number) {
    super(429, "TOO_MANY_FAILED_AUTHENTICATIONS", "Too many failed authentications for this credential from this address; retry after the Retry-After header's seconds.", {
      "Retry-After": String(Math.max(1, Math.ceil(retryAfterSeconds))),
    });
  }
}

type Memo = { failures: number; windowStart: number; blockedUntil: number };
const memo = new Map<string, Memo>();

/** The client address of a request (Cloudflare's `CF-Connecting-IP`; "unknown" outside Cloudflare). */
export function clientIp(header: (name: string) => string | undefined): string {
  return header("cf-connecting-ip")?.trim() || "unknown";
}

function limitOf(env: Env): number {
  const n = Number(env.AUTH_FAILURE_LIMIT);
  return Number.isSafeInteger(n) && n > 0 ? n : DEFAULT_AUTH_FAILURE_LIMIT;
}

const keyOf = (scope: AuthScope, id: string, ip: string) => `${scope}:${id.slice(0, MAX_ID_LENGTH)}:${ip}`;

/** Throws 429 when this credential id and client IP are throttled; call before comparing the secret. */
export function assertNotThrottled(scope: AuthScope, id: string, ip: string, now = Date.now()): void {
  const m = memo.get(keyOf(scope, id, ip));
  if (m && m.blockedUntil > now) throw new AuthThrottledError((m.blockedUntil - now) / 1000);
}

/**
 * Counts one failed authentication (in the memo and in the binding). From the limit-th failure on, this
 * credential id and address are throttled until the period ends; throws 429 when the binding already counts
 * this failure over the limit (failures seen by other isolates). A binding that cannot answer is ignored.
 */
export async function recordAuthFailure(env: Env, scope: AuthScope, id: string, ip: string, now = Date.now()): Promise<void> {
  const key = keyOf(scope, id, ip);
  const periodMs = AUTH_FAILURE_PERIOD_SECONDS * 1000;
  let m = memo.get(key);
  if (!m || now - m.windowStart >= periodMs) {
    if (!m && memo.size >= MEMO_MAX) memo.clear();
    m = { failures: 0, windowStart: now, blockedUntil: 0 };
    memo.set(key, m);
  }
  m.failures++;
  let over = false;
  try {
    over = !(await env.AUTH_FAILURE_LIMITER.limit({ key })).success;
  } catch {
    // The binding could not answer: this isolate's count still applies.
  }
  // The limit-th failure is answered as usual; every later attempt is refused before its secret is compared.
  if (over || m.failures >= limitOf(env)) m.blockedUntil = Math.max(m.blockedUntil, now + periodMs);
  // Over the limit across isolates (the binding's count): this failure is answered 429 already.
  if (over) throw new AuthThrottledError(AUTH_FAILURE_PERIOD_SECONDS);
}
