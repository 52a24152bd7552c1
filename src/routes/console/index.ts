/**
 * The web console at /console (docs/console.md): server-rendered pages (hono/html), scripts and styles bundled
 * into the Worker (/assets/console/, scripts/assets.mjs), a strict Content-Security-Policy on every response,
 * session cookies with CSRF tokens (src/middleware/console-auth.ts). Views: views.ts.
 */
import { Hono } from "hono";
import { createMiddleware } from "hono/factory";
import { createDb } from "../../db";
import { workspacesOfOrganization } from "../../db/queries/console-scope";
import type { AppEnv } from "../../env";
import { NotFoundError } from "../../lib/errors";
import { consoleSession } from "../../middleware/console-auth";
import { bodyLimit } from "../../middleware/limits";
import { SECURITY_HEADERS } from "../home";
import { CONSOLE_CSP, type ViewEnv } from "./layout";
import { loginRoutes, logoutRoutes } from "./login";
import { VIEWS } from "./views";

/** Console forms are small (sign-in, an attribute edit); anything larger answers 413. */
export const CONSOLE_MAX_BODY_BYTES = 16 * 1024;

/** The workspace the page is about: `?ws=` when it is the organization's, else its first; 404 when it has none. */
const workspaceScope = () =>
  createMiddleware<ViewEnv>(async function workspaceScope(c, next) {
    const all = await workspacesOfOrganization(createDb(c.env.DB), c.get("session").user.organizationId);
    const want = Number(c.req.query("ws"));
    const ws = all.find((w) => w.id === want) ?? all[0];
    if (!ws) throw new NotFoundError("The organization has no workspace yet; create one through the Platform API.");
    c.set("workspaces", all);
    c.set("workspace", ws);
    c.set("nav", VIEWS.map((v) => ({ path: v.path, title: v.title })));
    await next();
  });

const views = new Hono<ViewEnv>();
views.use("*", consoleSession(), workspaceScope());
for (const v of VIEWS) views.route(v.path, v.app);

export const consoleRoutes = new Hono<AppEnv>();
consoleRoutes.use("*", async (c, next) => {
  await next();
  // A WebSocket upgrade's answer carries the socket; its headers are not ours to change.
  if (c.res.status === 101) return;
  // Every console answer, pages and errors alike.
  c.header("Content-Security-Policy", CONSOLE_CSP);
  for (const [k, v] of Object.entries(SECURITY_HEADERS)) c.header(k, v);
  // same-origin, not no-referrer: with no-referrer Chromium sends `Origin: null` on form posts, which the CSRF
  // origin check must refuse; same-origin still sends nothing to other sites.
  c.header("Referrer-Policy", "same-origin");
  c.header("X-Frame-Options", "DENY");
});
consoleRoutes.use("*", bodyLimit({ maxBytes: CONSOLE_MAX_BODY_BYTES }));
consoleRoutes.get("/", (c) => c.redirect("/console/live", 302));
consoleRoutes.route("/", loginRoutes);
consoleRoutes.route("/", logoutRoutes);
consoleRoutes.route("/", views);
