/**
 * The static files the Worker serves from its own bundle (src/generated/static-files.ts and its Data modules, made by
 * scripts/assets.mjs):
 * `/assets/*` (the API reference's Swagger UI, the pages' stylesheet and script) everywhere, `/examples/*` (the Web
 * SDK example page and the official SDK) in local development only (DEMO_SEED=true). Bundled rather than Workers
 * static assets so that no assets router sits in front of every API request (locally it halved /v2/events
 * throughput under Miniflare), and so the same bundle serves them under wrangler dev, deploy, vitest and the bench.
 */
import { type Context, Hono } from "hono";
import { STATIC_FILES } from "../generated/static-files";
import type { AppEnv } from "../env";
import { NotFoundError } from "../lib/errors";
import { bodyLimit } from "../middleware/limits";
import { HOME_MAX_BODY_BYTES, PAGE_CSP, SECURITY_HEADERS } from "./home";

function serve(c: Context<AppEnv>, cache: string): Response {
  const file = STATIC_FILES[c.req.path];
  if (!file) throw new NotFoundError(`No file ${c.req.path}.`);
  const headers: Record<string, string> = { ...SECURITY_HEADERS, "Content-Type": file.type, "Cache-Control": cache, ETag: file.etag };
  if (file.type.startsWith("text/html")) headers["Content-Security-Policy"] = PAGE_CSP;
  if (c.req.header("If-None-Match") === file.etag) return new Response(null, { status: 304, headers });
  return new Response(c.req.method === "HEAD" ? null : file.body, { status: 200, headers });
}

export const staticRoutes = new Hono<AppEnv>();

staticRoutes.get("/assets/*", bodyLimit({ maxBytes: HOME_MAX_BODY_BYTES }), (c) => serve(c, "public, max-age=3600"));

staticRoutes.get("/examples/*", bodyLimit({ maxBytes: HOME_MAX_BODY_BYTES }), (c) => {
  if (c.env.DEMO_SEED !== "true") throw new NotFoundError("The examples are served in local development only (npm start).");
  if (c.req.path === "/examples/web") return c.redirect("/examples/web/", 301);
  return serve(c, "no-store");
});
