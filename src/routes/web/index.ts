/**
 * Web SDK routes (issue 4, mparticle-api.md §6.1, real-clients.md §2): config, v3 events, forwarding
 * stats, at the paths the SDK builds from its seven URL options and under the CNAME (`domain`) prefixes
 * `/tags`, `/webevents` and `/identity/v1` (where the Identity and alias routes are mounted again).
 */
import { Hono } from "hono";
import type { AppEnv } from "../../env";
import type { BrowserCorsOptions } from "../../middleware/cors";
import { NO_BODY_MAX_BYTES, withBodyLimit } from "../../middleware/body-limit";
import { ALIAS_MAX_BODY_BYTES, webAliasRoutes } from "../alias";
import { IDENTITY_MAX_BODY_BYTES, identityRoutes } from "../identity";
import { webConfigRoutes } from "./config";
import { webEventsRoutes } from "./events";
import { FORWARDING_MAX_BODY_BYTES, webForwardingRoutes } from "./forwarding";

/** The CNAME path prefixes the SDK appends to `domain` (real-clients.md §2.1). */
export const CNAME_PREFIX = { config: "/tags", events: "/webevents", identity: "/identity/v1", alias: "/webevents/v1" } as const;

export const webRoutes = new Hono<AppEnv>();

// Body limits are declared at each mount; the batch route's (WEB_EVENTS_MAX_BODY_BYTES) is on the route itself,
// after the key check, because an oversized batch is answered 202, dropped and counted against its input.
for (const prefix of ["/", CNAME_PREFIX.config]) webRoutes.route(prefix, withBodyLimit(webConfigRoutes, NO_BODY_MAX_BYTES));
for (const prefix of ["/", CNAME_PREFIX.events]) {
  webRoutes.route(prefix, webEventsRoutes);
  webRoutes.route(prefix, withBodyLimit(webForwardingRoutes, FORWARDING_MAX_BODY_BYTES));
}
// The seven-URL layout reaches identity and alias through their own mounts under /v1 (src/app.ts).
webRoutes.route(CNAME_PREFIX.identity, withBodyLimit(identityRoutes, IDENTITY_MAX_BODY_BYTES));
webRoutes.route(CNAME_PREFIX.alias, withBodyLimit(webAliasRoutes, ALIAS_MAX_BODY_BYTES));

const IDENTITY_PATHS = ["/identify", "/login", "/logout", "/search", "/:mpid/modify"];

/** Every browser-facing route pattern and where its input key is, for the CORS middleware (src/app.ts). */
export const BROWSER_CORS_ROUTES: { path: string; key: BrowserCorsOptions["key"] }[] = [
  ...["", CNAME_PREFIX.config].map((p) => `${p}/JS/v2/:apiKey/config`),
  ...["", CNAME_PREFIX.events].flatMap((p) => [`${p}/v1/JS/:apiKey/Forwarding`, `${p}/v2/JS/:apiKey/Forwarding`, `${p}/v3/JS/:apiKey/events`]),
  ...["/v1", CNAME_PREFIX.alias].map((p) => `${p}/identity/:apiKey/Alias`),
  // Pixel Service (src/routes/pixel.ts): image and fetch hits.
  "/v1/:apiKey/Pixel",
]
  .map((path) => ({ path, key: { param: "apiKey" } as BrowserCorsOptions["key"] }))
  .concat(["/v1", CNAME_PREFIX.identity].flatMap((p) => IDENTITY_PATHS.map((i) => ({ path: `${p}${i}`, key: "x-mp-key" as const }))));
