/**
 * Request body limits, enforced on the stream (hono/body-limit): a body with `Content-Length` over the limit
 * is refused before any of it is read; a body without one (chunked) is read at most up to the limit and
 * refused as soon as one more byte arrives. Every route declares its limit where its router is mounted
 * (`withBodyLimit`, src/app.ts); /openapi.json shows it as `x-max-body-bytes` (found with `declaredBodyLimit`).
 */
import { type Context, type Env, type ErrorHandler, Hono } from "hono";
import { bodyLimit as honoBodyLimit } from "hono/body-limit";
import type { MiddlewareHandler } from "hono/types";
import { PayloadTooLargeError } from "../lib/errors";

/** Body limit of routers that read no body (GET only): a body over this is refused unread. */
export const NO_BODY_MAX_BYTES = 1024;

/** A middleware that enforces a body limit, and the limit it enforces. */
export type BodyLimitMiddleware = MiddlewareHandler & { maxBodyBytes: number };

/**
 * 413 with a JSON error body when the body is over `maxBytes` (checked on the stream, not only
 * Content-Length). `onTooLarge` answers instead (the Web SDK route drops and counts, see src/routes/web/events.ts).
 */
export const bodyLimit = (opts: { maxBytes: number; onTooLarge?: (c: Context) => Response | Promise<Response> }): BodyLimitMiddleware => {
  const maxBytes = opts.maxBytes;
  if (!(Number.isSafeInteger(maxBytes) && maxBytes > 0)) throw new Error("bodyLimit: maxBytes must be a positive integer");
  const mw = honoBodyLimit({
    maxSize: maxBytes,
    onError:
      opts.onTooLarge ??
      (() => {
        throw new PayloadTooLargeError(maxBytes);
      }),
  });
  return Object.assign(mw, { maxBodyBytes: maxBytes });
};

/**
 * `router` behind a body limit: `bodyLimit({maxBytes})` runs first, before auth or any other middleware, on
 * every path the router serves (registered per path, never as `*`, so it does not leak to other routers
 * mounted under the same prefix). `onError` answers a refusal in the router's error shape.
 */
export function withBodyLimit<E extends Env>(router: Hono<E>, maxBytes: number, onError?: ErrorHandler<E>): Hono<E> {
  const limit = bodyLimit({ maxBytes });
  const out = new Hono<E>();
  if (onError) out.onError(onError);
  for (const path of new Set(router.routes.map((r) => r.path).filter((p) => !p.includes("*")))) out.use(path, limit);
  return out.route("/", router);
}

type RouteEntry = { method: string; path: string; handler: unknown };

/** Hono wraps a sub-app's handlers in its error handler when mounting; the original is kept under this key. */
const COMPOSED_HANDLER = "__COMPOSED_HANDLER";

function limitOf(handler: unknown): number | undefined {
  for (let h = handler as Record<string, unknown> | undefined, i = 0; h && i < 10; h = h[COMPOSED_HANDLER] as Record<string, unknown> | undefined, i++) {
    if (typeof h.maxBodyBytes === "number") return h.maxBodyBytes;
  }
  return undefined;
}

/** The body limit declared for `method path` (a Hono route path of `app`), or undefined when none is. */
export function declaredBodyLimit(app: { routes: RouteEntry[] }, method: string, path: string): number | undefined {
  const m = method.toUpperCase();
  let found: number | undefined;
  for (const r of app.routes) {
    if (r.method !== "ALL" && r.method !== m) continue;
    // A limit on the path itself, or on a `prefix/*` the path is under (routers that limit a whole resource).
    const covers = r.path === path || (r.path.endsWith("/*") && (path === r.path.slice(0, -2) || path.startsWith(r.path.slice(0, -1))));
    if (!covers) continue;
    const limit = limitOf(r.handler);
    if (limit !== undefined) found = found === undefined ? limit : Math.min(found, limit);
  }
  return found;
}
