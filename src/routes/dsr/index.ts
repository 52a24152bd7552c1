/**
 * OpenDSR / OpenGDPR API (issue 6, mparticle-api.md §8): v1 /v1/opengdpr_requests, v2/v3 /v{2,3}/requests,
 * /v{1,2,3}/discovery, the certificate and results_url. Mounted at "/" before the Events API and Platform
 * API, so every route here names its full path and its own middleware (no "*" middleware).
 */
import { Hono } from "hono";
import { createMiddleware } from "hono/factory";
import { bodyLimit } from "../../middleware/limits";
import { type WorkspaceEnv, workspaceAuth } from "../../middleware/workspace-auth";
import { VERSION_INFO } from "../../privacy/dsr";
import { DsrError } from "../../privacy/dsr-errors";
import { type ApiVersion, DSR_MAX_BODY_BYTES } from "../../privacy/dsr-submit";
import { certificate, discovery, results } from "./public";
import { cancel, group, status, submit } from "./requests";
import { dsrOnError } from "./respond";

/** Seconds to wait after a 429: the limiter's period (wrangler.toml DSR_RATE_LIMITER, 1000 requests per 60 s, §8.5). */
export const DSR_RATE_LIMIT_PERIOD_SECONDS = 60;

/** 1000 requests per minute per workspace (GET + POST + DELETE), 429 with Retry-After (§8.5, §9). */
const dsrRateLimit = () =>
  createMiddleware<WorkspaceEnv>(async function dsrRateLimit(c, next) {
    const { success } = await c.env.DSR_RATE_LIMITER.limit({ key: `workspace:${c.get("workspace").id}` });
    if (!success) {
      const m = "Too many requests have been submitted; retry after the Retry-After header's seconds.";
      throw new DsrError(429, m, [{ domain: "RateLimit", reason: "TooManyRequests", message: m }], {
        "Retry-After": String(DSR_RATE_LIMIT_PERIOD_SECONDS),
        "X-mp-rate-limit-exceeded": "workspace",
      });
    }
    await next();
  });

export const dsrRoutes = new Hono<WorkspaceEnv>();
// Set before app.ts mounts this app: Hono wraps each route with the sub-app's handler at mount time.
dsrRoutes.onError(dsrOnError);

const auth = [workspaceAuth(), dsrRateLimit()] as const;

for (const version of ["1.0", "2.0", "3.0"] as ApiVersion[]) {
  const { base } = VERSION_INFO[version];
  const discoveryPath = `/v${version[0]}/discovery`;
  for (const p of [base, `${base}/`]) {
    dsrRoutes.post(p, ...auth, bodyLimit({ maxBytes: DSR_MAX_BODY_BYTES }), submit(version));
    dsrRoutes.get(p, ...auth, group(version));
  }
  dsrRoutes.get(`${base}/:id`, ...auth, status(version));
  dsrRoutes.delete(`${base}/:id`, ...auth, cancel(version));
  dsrRoutes.get(discoveryPath, discovery(version));
  dsrRoutes.get(`${discoveryPath}/`, discovery(version));
}

dsrRoutes.get(VERSION_INFO["3.0"].certPath, certificate);
dsrRoutes.get(VERSION_INFO["1.0"].certPath, certificate);
dsrRoutes.get("/dsr/results/:id", ...auth, results);
