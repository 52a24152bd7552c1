/** Console test helpers: sign in, and requests with the session cookie and CSRF token. */
import { exports } from "cloudflare:workers";

export const ORIGIN = "http://edge-cdp.test";
export const ADMIN = { email: "admin@example.com", password: "demo-password" };

export type Session = { cookie: string; csrf: string };

/** POST /console/login with a form body; the raw answer. */
export function login(email: string, password: string, headers: Record<string, string> = {}): Promise<Response> {
  return exports.default.fetch(`${ORIGIN}/console/login`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: ORIGIN, ...headers },
    body: new URLSearchParams({ email, password }).toString(),
  });
}

/** Signs in and reads the CSRF token from a page. */
export async function signIn(email = ADMIN.email, password = ADMIN.password): Promise<Session> {
  const res = await login(email, password);
  if (res.status !== 303) throw new Error(`sign-in: ${res.status} ${await res.text()}`);
  const cookie = res.headers.get("Set-Cookie")!.split(";")[0]!;
  const page = await get("/console/alerts", cookie);
  const csrf = /data-csrf="([^"]+)"/.exec(await page.text())![1]!;
  return { cookie, csrf };
}

/** GET with a cookie (Accept: text/html unless told otherwise). */
export function get(path: string, cookie?: string, headers: Record<string, string> = { Accept: "text/html" }): Promise<Response> {
  return exports.default.fetch(`${ORIGIN}${path}`, { redirect: "manual", headers: { ...(cookie ? { Cookie: cookie } : {}), ...headers } });
}

/** A form POST with the session (and its CSRF token unless `csrf` is false). */
export function postForm(path: string, s: Session | null, fields: Record<string, string> = {}, opts: { csrf?: string | false; origin?: string } = {}): Promise<Response> {
  const csrf = opts.csrf === false ? undefined : (opts.csrf ?? s?.csrf);
  return exports.default.fetch(`${ORIGIN}${path}`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: opts.origin ?? ORIGIN, ...(s ? { Cookie: s.cookie } : {}) },
    body: new URLSearchParams({ ...fields, ...(csrf ? { _csrf: csrf } : {}) }).toString(),
  });
}
