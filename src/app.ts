/** The Hono app: mounts every route module, with one onError and one notFound. */
import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { ensureDemoSeed } from "./db/seed";
import type { AppEnv } from "./env";
import { AppError } from "./lib/errors";
import { log } from "./lib/log";
import { eventsRoutes } from "./routes/events";
import { SEED_MAX_BODY_BYTES, seedingRoutes } from "./routes/ca-seeding";
import { IMPORT_CONTROL_MAX_BODY_BYTES, importsDropRoutes, importsRoutes } from "./routes/imports";
import { IMPORT_MAX_UPLOAD_BYTES } from "./imports/limits";
import { healthRoutes } from "./routes/health";
import { homeRoutes } from "./routes/home";
import { staticRoutes } from "./routes/static";
import { ALIAS_MAX_BODY_BYTES, aliasRoutes } from "./routes/alias";
import { IDENTITY_MAX_BODY_BYTES, identityRoutes } from "./routes/identity";
import { PROFILE_MAX_BODY_BYTES, profileRoutes } from "./routes/profile";
import { OAUTH_MAX_BODY_BYTES, oauthRoutes } from "./routes/oauth";
import { platformRoutes } from "./routes/platform";
import { platformV2Routes } from "./routes/platform-v2";
import { openApiRoutes } from "./openapi/route";
import { BROWSER_CORS_ROUTES, webRoutes } from "./routes/web";
import { browserCors } from "./middleware/cors";
import { NO_BODY_MAX_BYTES, withBodyLimit } from "./middleware/body-limit";
import { EVENTS_API_MAX_BODY_BYTES } from "./middleware/limits";
import { pixelRoutes } from "./routes/pixel";
import { dsrRoutes } from "./routes/dsr";
import { dsrOnError } from "./routes/dsr/respond";
import { DSR_MAX_BODY_BYTES } from "./privacy/dsr-submit";
import { CONSOLE_MAX_BODY_BYTES, consoleRoutes } from "./routes/console";

export const app = new Hono<AppEnv>();

app.use("*", async (c, next) => {
  if (c.env.DEMO_SEED === "true") await ensureDemoSeed(c.env);
  await next();
});

// CORS of the browser-facing routes only (Web SDK, identity, alias, pixel); preflights end here.
for (const r of BROWSER_CORS_ROUTES) app.use(r.path, browserCors({ key: r.key }));

// Every router is mounted behind its body limit (withBodyLimit: enforced on the stream, before auth); the
// web and Platform routers declare theirs per group where they mount them (src/routes/web, src/routes/platform,
// src/routes/platform-v2). /openapi.json shows each route's limit (x-max-body-bytes) and
// test/worker/security-body-limits.test.ts sends every route an oversized chunked body.
app.route("/", withBodyLimit(healthRoutes, NO_BODY_MAX_BYTES));
app.route("/", withBodyLimit(homeRoutes, NO_BODY_MAX_BYTES));
app.route("/", withBodyLimit(staticRoutes, NO_BODY_MAX_BYTES));
app.route("/console", withBodyLimit(consoleRoutes, CONSOLE_MAX_BODY_BYTES));
// DSR, Web SDK and Pixel routes live under /v1, /v2, /v3 too: mounted before the Events API's /v2 auth
// middleware and the Platform API's /v1 bearer middleware.
app.route("/", withBodyLimit(dsrRoutes, DSR_MAX_BODY_BYTES, dsrOnError));
app.route("/", webRoutes);
app.route("/", withBodyLimit(pixelRoutes, NO_BODY_MAX_BYTES));
// Seeding before the Events API: the Events API's /v2 auth middleware must not run for it too.
app.route("/v2/imports", withBodyLimit(importsDropRoutes, IMPORT_CONTROL_MAX_BODY_BYTES));
app.route("/v2/imports", withBodyLimit(importsRoutes, IMPORT_MAX_UPLOAD_BYTES));
app.route("/v2", withBodyLimit(seedingRoutes, SEED_MAX_BODY_BYTES));
app.route("/v2", withBodyLimit(eventsRoutes, EVENTS_API_MAX_BODY_BYTES));
// Identity routes before the Platform API's /v1 sub-app, whose bearer middleware must not run for them.
app.route("/v1", withBodyLimit(identityRoutes, IDENTITY_MAX_BODY_BYTES));
app.route("/v1", withBodyLimit(aliasRoutes, ALIAS_MAX_BODY_BYTES));
app.route("/userprofile/v1", withBodyLimit(profileRoutes, PROFILE_MAX_BODY_BYTES));
app.route("/", withBodyLimit(oauthRoutes, OAUTH_MAX_BODY_BYTES));
app.route("/v1", platformRoutes);
app.route("/platform/v2", platformV2Routes);
app.route("/", withBodyLimit(openApiRoutes(app), NO_BODY_MAX_BYTES));

app.notFound((c) => c.json({ errors: [{ code: "NOT_FOUND", message: `No route for ${c.req.method} ${c.req.path}` }] }, 404));

app.onError((err, c) => {
  if (err instanceof AppError) {
    for (const [k, v] of Object.entries(err.headers)) c.header(k, v);
    return c.json(err.body(), err.status);
  }
  if (err instanceof HTTPException) {
    return c.json({ errors: [{ code: `HTTP_${err.status}`, message: err.message || "Request failed" }] }, err.status);
  }
  log.error("unhandled error", { path: c.req.path, error: String(err), stack: (err as Error)?.stack });
  return c.json({ errors: [{ code: "INTERNAL_ERROR", message: "Internal error" }] }, 500);
});
