/**
 * The static files the Worker serves from its own bundle (src/generated/static-files.ts, made by scripts/assets.mjs:
 * gzipped, base64; each inflated on its first request per isolate and kept as bytes, outside the V8 heap):
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

/**
 * Inflated files of this isolate, by path: the bytes, never a promise of them (a request torn down mid-inflate would
 * leave such a promise pending for every later one: src/lib/wait.ts), so each request inflates a file it does not
 * find here itself; the first to finish keeps it.
 */
const inflated = new Map<string, Uint8Array>();

/** The file's bytes: its gzip (base64) inflated once per isolate. */
async function bytesOf(path: string, gz: string, size: number): Promise<Uint8Array> {
  const kept = inflated.get(path);
  if (kept) return kept;
  const packed = Uint8Array.from(atob(gz), (ch) => ch.charCodeAt(0));
  const out = new Uint8Array(await new Response(new Blob([packed]).stream().pipeThrough(new DecompressionStream("gzip"))).arrayBuffer());
  if (out.length !== size) throw new Error(`static file ${path}: inflated to ${out.length} bytes, expected ${size}`);
  if (!inflated.has(path)) inflated.set(path, out);
  return inflated.get(path)!;
}

async function serve(c: Context<AppEnv>, cache: string): Promise<Response> {
  const file = STATIC_FILES[c.req.path];
  if (!file) throw new NotFoundError(`No file ${c.req.path}.`);
  const headers: Record<string, string> = { ...SECURITY_HEADERS, "Content-Type": file.type, "Cache-Control": cache, ETag: file.etag };
  if (file.type.startsWith("text/html")) headers["Content-Security-Policy"] = PAGE_CSP;
  if (c.req.header("If-None-Match") === file.etag) return new Response(null, { status: 304, headers });
  if (c.req.method === "HEAD") return new Response(null, { status: 200, headers: { ...headers, "Content-Length": String(file.size) } });
  // A copy per response: a body's buffer may be handed over to the runtime.
  return new Response((await bytesOf(c.req.path, file.gz, file.size)).slice(), { status: 200, headers });
}

export const staticRoutes = new Hono<AppEnv>();

staticRoutes.get("/assets/*", bodyLimit({ maxBytes: HOME_MAX_BODY_BYTES }), (c) => serve(c, "public, max-age=3600"));

staticRoutes.get("/examples/*", bodyLimit({ maxBytes: HOME_MAX_BODY_BYTES }), (c) => {
  if (c.env.DEMO_SEED !== "true") throw new NotFoundError("The examples are served in local development only (npm start).");
  if (c.req.path === "/examples/web") return c.redirect("/examples/web/", 301);
  return serve(c, "no-store");
});
