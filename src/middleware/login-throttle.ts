/**
 * Console sign-in throttling, two layers: per email in this isolate (after LOGIN_MAX_FAILURES wrong passwords in
 * LOGIN_WINDOW_MS the email is refused until the window passes, right password or not), and per client IP through
 * the LOGIN_RATE_LIMITER binding (wrangler.toml: 20 attempts a minute), which counts across isolates.
 */
import { RateLimitError } from "../lib/errors";

/** Wrong passwords per email and isolate before sign-in is refused (OWASP: lock out after a few failures). */
export const LOGIN_MAX_FAILURES = 5;
/** How long failures count, and how long the refusal lasts. */
export const LOGIN_WINDOW_MS = 15 * 60_000;
/** Emails tracked per isolate before the oldest are forgotten (bounds memory). */
const MAX_TRACKED = 10_000;

const failures = new Map<string, { count: number; since: number }>();

/** Throws 429 when `email` or `ip` may not try now. */
export async function checkLoginAllowed(env: Pick<Env, "LOGIN_RATE_LIMITER">, email: string, ip: string, now = Date.now()): Promise<void> {
  const f = failures.get(email);
  if (f && now - f.since < LOGIN_WINDOW_MS && f.count >= LOGIN_MAX_FAILURES) {
    throw new RateLimitError(Math.ceil((f.since + LOGIN_WINDOW_MS - now) / 1000), "console-login");
  }
  if (!(await env.LOGIN_RATE_LIMITER.limit({ key: `login:${ip}` })).success) throw new RateLimitError(60, "console-login");
}

/** Counts a wrong password for `email`. */
export function recordLoginFailure(email: string, now = Date.now()): void {
  const f = failures.get(email);
  if (f && now - f.since < LOGIN_WINDOW_MS) f.count++;
  else {
    if (failures.size >= MAX_TRACKED) failures.delete(failures.keys().next().value!);
    failures.set(email, { count: 1, since: now });
  }
}

/** A successful sign-in clears the email's failures. */
export function clearLoginFailures(email: string): void {
  failures.delete(email);
}
