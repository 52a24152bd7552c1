/**
 * OpenDSR / OpenGDPR API (issue 6, mparticle-api.md §8): v1 /v1/opengdpr_requests, v2/v3 /v{2,3}/requests,
 * /v{1,2,3}/discovery, the certificate and results_url. Mounted at "/" before the Events API and Platform
 * API, so every route here names its full path and its own middleware (no "*" middleware). Body limit:
 * DSR_MAX_BODY_BYTES, declared where the router is mounted (src/app.ts).
 */
import { Hono } from "hono";
import { createMiddleware } from "hono/factory";
import { type WorkspaceEnv, workspaceAuth } from "../../middleware/workspace-auth";
import { VERSION_INFO } from "../../privacy/dsr";
import { DsrError } from "../../privacy/dsr-errors";
import type { ApiVersion } from "../../privacy/dsr-submit";
import { certificate, discovery, results } from "./public";
import { cancel, group, status, submit } from "./requests";
import { dsrOnError } from "./respond";

/** Seconds to wait after a 429: the limiter's period (wrangler.toml DSR_RATE_LIMITER, 1000 requests per 60 s, §8.5). */
export const DSR_RATE_LIMIT_PERIOD_SECONDS = 60;

const tooMany = (scope: string | null) => {
  const m = "Too many requests have been submitted; retry after the Retry-After header's seconds.";
  return new DsrError(429, m, [{ domain: "RateLimit", reason: "TooManyRequests", message: m }], {
    "Retry-After": String(DSR_RATE_LIMIT_PERIOD_SECONDS),
    ...(scope ? { "X-mp-rate-limit-exceeded": scope } : {}),
  });
};

/**
 * Per client IP, before authentication, so credential guessing is throttled too: the DSR_RATE_LIMITER binding
 * under an `ip:` key (the workspace budget, 1000 requests per minute: one client using its whole workspace
 * budget from one address is never stopped by it).
 */
const dsrIpRateLimit = () =>
  createMiddleware<WorkspaceEnv>(async function dsrIpRateLimit(c, next) {
    const ip = c.req.header("cf-connecting-ip")?.trim() || "unknown";
    const { success } = await c.env.DSR_RATE_LIMITER.limit({ key: `ip:${ip}` });
    if (!success) throw tooMany(null);
    await next();
  });

/** 1000 requests per minute per workspace (GET + POST + DELETE), 429 with Retry-After (§8.5, §9). */
const dsrRateLimit = () =>
  createMiddleware<WorkspaceEnv>(async function dsrRateLimit(c, next) {
    const { success } = await c.env.DSR_RATE_LIMITER.limit({ key: `workspace:${c.get("workspace").id}` });
    if (!success) throw tooMany("workspace");
    await next();
  });

/** 405 with `Allow` (§8.5 body) for a method a DSR path does not serve. */
const methodNotAllowed = (allow: string[]) => (c: { req: { method: string } }) => {
  const m = `Method ${c.req.method} is not allowed here; allowed: ${allow.join(", ")}.`;
  throw new DsrError(405, m, [{ domain: "Request", reason: "MethodNotAllowedException", message: m }], { Allow: allow.join(", ") });
};

export const dsrRoutes = new Hono<WorkspaceEnv>();
// Set before app.ts mounts this app: Hono wraps each route with the sub-app's handler at mount time.
dsrRoutes.onError(dsrOnError);

const auth = [dsrIpRateLimit(), workspaceAuth(), dsrRateLimit()] as const;
/** Known DSR paths and the methods they serve (HEAD is answered like GET). */
const allowed = new Map<string, string[]>();

for (const version of ["1.0", "2.0", "3.0"] as ApiVersion[]) {
  const { base } = VERSION_INFO[version];
  const discoveryPath = `/v${version[0]}/discovery`;
  for (const p of [base, `${base}/`]) {
    dsrRoutes.post(p, ...auth, submit(version));
    dsrRoutes.get(p, ...auth, group(version));
    allowed.set(p, ["GET", "HEAD", "POST"]);
  }
  dsrRoutes.get(`${base}/:id`, ...auth, status(version));
  dsrRoutes.delete(`${base}/:id`, ...auth, cancel(version));
  allowed.set(`${base}/:id`, ["GET", "HEAD", "DELETE"]);
  for (const p of [discoveryPath, `${discoveryPath}/`]) {
    dsrRoutes.get(p, discovery(version));
    allowed.set(p, ["GET", "HEAD"]);
  }
}

for (const p of [VERSION_INFO["3.0"].certPath, VERSION_INFO["1.0"].certPath]) {
  dsrRoutes.get(p, certificate);
  allowed.set(p, ["GET", "HEAD"]);
}
dsrRoutes.get("/dsr/results/:id", ...auth, results);
allowed.set("/dsr/results/:id", ["GET", "HEAD"]);

// After every real route: a method those did not answer gets 405 instead of the app's generic 404.
for (const [path, methods] of allowed) dsrRoutes.all(path, methodNotAllowed(methods));
