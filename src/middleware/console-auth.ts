/**
 * Console sessions (src/routes/console): the session cookie (HttpOnly, Secure, SameSite=Strict, `__Host-` prefix:
 * this origin only, path /), CSRF on every state-changing request (a per-session token in the `_csrf` form field or
 * the X-CSRF-Token header, plus a same-origin check of Origin), and roles. Sessions are D1 rows (src/db/queries/
 * console-users.ts), so sign-out, a password change or a deleted user ends them at once.
 */
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { createMiddleware } from "hono/factory";
import { createDb } from "../db";
import { findSession, SESSION_TTL_MS, type SessionContext } from "../db/queries/console-users";
import type { AppEnv } from "../env";
import { timingSafeEqualStr } from "../lib/crypto";
import { AppError } from "../lib/errors";

export const SESSION_COOKIE = "__Host-edge_cdp_session";

export type ConsoleEnv = AppEnv & { Variables: { session: SessionContext } };

/** Sets the session cookie. */
export function setSessionCookie(c: Context, token: string): void {
  setCookie(c, SESSION_COOKIE, token, { httpOnly: true, secure: true, sameSite: "Strict", path: "/", maxAge: SESSION_TTL_MS / 1000 });
}

/** Removes the session cookie. */
export function clearSessionCookie(c: Context): void {
  deleteCookie(c, SESSION_COOKIE, { httpOnly: true, secure: true, sameSite: "Strict", path: "/" });
}

/** The cookie's token, if any. */
export const sessionToken = (c: Context) => getCookie(c, SESSION_COOKIE);

const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);

/** 403 unless the request's Origin (when sent) is this origin: a cross-site form or WebSocket never gets through. */
export function checkSameOrigin(c: Context): void {
  const origin = c.req.header("Origin");
  if (origin === undefined) return;
  // Host, not scheme: behind a TLS-terminating proxy (Miniflare's HTTPS, some deployments) the worker sees http://.
  let host: string | null = null;
  try {
    host = new URL(origin).host;
  } catch {
    // "null" (sandboxed or privacy-sensitive contexts) or garbage: not this origin
  }
  if (host !== new URL(c.req.url).host) throw new AppError(403, "FORBIDDEN", "Cross-origin requests are refused.");
}

/**
 * Requires a live session: pages without one redirect to the sign-in page, other requests answer 401.
 * State-changing requests also need the session's CSRF token (403 without it). `role: "admin"` answers 403 to viewers.
 */
export const consoleSession = (opts: { role?: "admin" } = {}) =>
  createMiddleware<ConsoleEnv>(async function consoleSession(c, next) {
    const token = sessionToken(c);
    const session = token ? await findSession(createDb(c.env.DB), token) : null;
    if (!session) {
      if (token) clearSessionCookie(c);
      if (c.req.method === "GET" && (c.req.header("Accept") ?? "").includes("text/html")) return c.redirect("/console/login", 303);
      throw new AppError(401, "UNAUTHORIZED", "Sign in to the console first.");
    }
    if (!SAFE.has(c.req.method)) {
      checkSameOrigin(c);
      let sent = c.req.header("X-CSRF-Token");
      if (!sent && (c.req.header("Content-Type") ?? "").startsWith("application/x-www-form-urlencoded")) {
        const form = await c.req.parseBody();
        sent = typeof form._csrf === "string" ? form._csrf : undefined;
      }
      if (!sent || !timingSafeEqualStr(sent, session.csrf)) throw new AppError(403, "CSRF_TOKEN_INVALID", "The CSRF token is missing or wrong; reload the page.");
    }
    if (opts.role === "admin" && session.user.role !== "admin") throw new AppError(403, "FORBIDDEN", "This action needs the admin role.");
    c.set("session", session);
    await next();
  });

/** Whether the signed-in user may see identities and user attributes. */
export const canSeePii = (s: SessionContext) => s.user.role === "admin" || s.user.piiAccess;

/** After `consoleSession`: 403 unless the user is an admin (viewers are read-only). */
export const adminOnly = () =>
  createMiddleware<ConsoleEnv>(async function adminOnly(c, next) {
    if (c.get("session").user.role !== "admin") throw new AppError(403, "FORBIDDEN", "This action needs the admin role.");
    await next();
  });
