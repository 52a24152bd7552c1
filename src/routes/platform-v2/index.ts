/**
 * `/platform/v2` (mParticle's Platform API v2): one router, one bearer auth (POST /oauth/token), one error body
 * and one workspace scope. Each resource is one file mounted below `/workspaces/{workspaceId}` through
 * `RESOURCES`, with the body limit it declares (413 JSON beyond, checked while the body streams in).
 */
import { Hono } from "hono";
import { cors } from "hono/cors";
import type { AppEnv } from "../../env";
import { bodyLimit } from "../../middleware/limits";
import { bearerAuth } from "../../middleware/oauth";
import { catalogRoutes } from "./catalog";
import { v2App, v2Error, workspaceScope, type V2Env } from "./common";
import { PLAN_UPLOAD_MAX_BYTES, plansRoutes } from "./plans";
import { plansRateLimit } from "./plans-rate-limit";
import { QUARANTINE_REPLAY_MAX_BYTES, quarantineRoutes } from "./quarantine";
import { CA_MAX_BODY_BYTES, calculatedAttributesRoutes } from "./calculated-attributes";
import { FT_MAX_BODY_BYTES, fieldTransformationsRoutes } from "./field-transformations";

/** A resource of the router: its path below `/workspaces/{workspaceId}`, its app and its body limit. */
export type V2Resource = { path: string; app: ReturnType<typeof v2App>; maxBodyBytes: number };

/** Every `/platform/v2` resource (calculated attributes and field transformations add one line each). */
export const RESOURCES: V2Resource[] = [
  // §7.1: a plan upload is under 10 MB.
  { path: "/plans", app: plansRoutes, maxBodyBytes: PLAN_UPLOAD_MAX_BYTES },
  { path: "/quarantine", app: quarantineRoutes, maxBodyBytes: QUARANTINE_REPLAY_MAX_BYTES },
  // Read-only (no body is read).
  { path: "/catalog", app: catalogRoutes, maxBodyBytes: 1024 },
  { path: "/calculatedattributes", app: calculatedAttributesRoutes, maxBodyBytes: CA_MAX_BODY_BYTES },
  { path: "/transformations/fields", app: fieldTransformationsRoutes, maxBodyBytes: FT_MAX_BODY_BYTES },
];

const v2 = new Hono<V2Env>();
v2.use("*", cors({ origin: "*", allowHeaders: ["Authorization", "Content-Type"], allowMethods: ["GET", "HEAD", "POST", "PATCH", "PUT", "DELETE", "OPTIONS"] }));
// Body limits before auth (as every router of the app: src/app.ts), so an oversized body is refused unread.
for (const r of RESOURCES) {
  const base = `/workspaces/:workspaceId${r.path}`;
  v2.use(base, bodyLimit({ maxBytes: r.maxBodyBytes }));
  v2.use(`${base}/*`, bodyLimit({ maxBytes: r.maxBodyBytes }));
}
v2.use("*", bearerAuth());
v2.use("/workspaces/:workspaceId/*", workspaceScope());
// The Data Planning API's own limits (§7.1), after the scope that names the account.
// (Hono's "/plans/*" matches "/plans" too: registered once, asked once per request.)
v2.use("/workspaces/:workspaceId/plans/*", plansRateLimit());
for (const r of RESOURCES) v2.route(`/workspaces/:workspaceId${r.path}`, r.app);
v2.onError(v2Error);
v2.notFound((c) => c.json({ errors: [{ code: "NOT_FOUND", message: `No route for ${c.req.method} ${c.req.path}` }] }, 404));

/** Mounted at `/platform/v2` by the app. */
export const platformV2Routes = new Hono<AppEnv>().route("/", v2 as unknown as Hono<AppEnv>);
