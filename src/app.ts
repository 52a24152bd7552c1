/** The Hono app: mounts every route module, with one onError and one notFound. */
import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { ensureDemoSeed } from "./db/seed";
import type { AppEnv } from "./env";
import { AppError } from "./lib/errors";
import { log } from "./lib/log";
import { eventsRoutes } from "./routes/events";
import { importsRoutes } from "./routes/imports";
import { healthRoutes } from "./routes/health";
import { homeRoutes } from "./routes/home";
import { aliasRoutes } from "./routes/alias";
import { identityRoutes } from "./routes/identity";
import { profileRoutes } from "./routes/profile";
import { oauthRoutes } from "./routes/oauth";
import { platformRoutes } from "./routes/platform";
import { platformV2Routes } from "./routes/platform-v2";
import { openApiRoutes } from "./openapi/route";
import { BROWSER_CORS_ROUTES, webRoutes } from "./routes/web";
import { browserCors } from "./middleware/cors";
import { pixelRoutes } from "./routes/pixel";
import { dsrRoutes } from "./routes/dsr";

export const app = new Hono<AppEnv>();

app.use("*", async (c, next) => {
  if (c.env.DEMO_SEED === "true") await ensureDemoSeed(c.env);
  await next();
});

// CORS of the browser-facing routes only (Web SDK, identity, alias, pixel); preflights end here.
for (const r of BROWSER_CORS_ROUTES) app.use(r.path, browserCors({ key: r.key }));

app.route("/", healthRoutes);
app.route("/", homeRoutes);
// DSR, Web SDK and Pixel routes live under /v1, /v2, /v3 too: mounted before the Events API's /v2 auth
// middleware and the Platform API's /v1 bearer middleware.
app.route("/", dsrRoutes);
app.route("/", webRoutes);
app.route("/", pixelRoutes);
app.route("/v2/imports", importsRoutes);
app.route("/v2", eventsRoutes);
// Identity routes before the Platform API's /v1 sub-app, whose bearer middleware must not run for them.
app.route("/v1", identityRoutes);
app.route("/v1", aliasRoutes);
app.route("/userprofile/v1", profileRoutes);
app.route("/", oauthRoutes);
app.route("/v1", platformRoutes);
app.route("/platform/v2", platformV2Routes);
app.route("/", openApiRoutes(app));

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
