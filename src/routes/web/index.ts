/**
 * Web SDK routes (issue 4, mparticle-api.md §6.1, real-clients.md §2): config, v3 events, forwarding
 * stats, at the paths the SDK builds from its seven URL options and under the CNAME (`domain`) prefixes
 * `/tags`, `/webevents` and `/identity/v1` (where the Identity and alias routes are mounted again).
 */
import { Hono } from "hono";
import type { AppEnv } from "../../env";
import type { BrowserCorsOptions } from "../../middleware/cors";
import { webAliasRoutes } from "../alias";
import { identityRoutes } from "../identity";
import { webAudienceRoutes } from "./audience";
import { webConfigRoutes } from "./config";
import { webEventsRoutes } from "./events";
import { webForwardingRoutes } from "./forwarding";

/** The CNAME path prefixes the SDK appends to `domain` (real-clients.md §2.1). */
export const CNAME_PREFIX = { config: "/tags", events: "/webevents", identity: "/identity/v1", alias: "/webevents/v1" } as const;

export const webRoutes = new Hono<AppEnv>();

for (const prefix of ["/", CNAME_PREFIX.config]) webRoutes.route(prefix, webConfigRoutes);
for (const prefix of ["/", CNAME_PREFIX.events]) {
  webRoutes.route(prefix, webEventsRoutes);
  webRoutes.route(prefix, webForwardingRoutes);
}
// The audience call (userAudienceUrl has no CNAME form).
webRoutes.route("/", webAudienceRoutes);
// The seven-URL layout reaches identity and alias through their own mounts under /v1 (src/app.ts).
webRoutes.route(CNAME_PREFIX.identity, identityRoutes);
webRoutes.route(CNAME_PREFIX.alias, webAliasRoutes);

const IDENTITY_PATHS = ["/identify", "/login", "/logout", "/search", "/:mpid/modify"];

/** Every browser-facing route pattern and where its input key is, for the CORS middleware (src/app.ts). */
export const BROWSER_CORS_ROUTES: { path: string; key: BrowserCorsOptions["key"] }[] = [
  ...["", CNAME_PREFIX.config].map((p) => `${p}/JS/v2/:apiKey/config`),
  ...["", CNAME_PREFIX.events].flatMap((p) => [`${p}/v1/JS/:apiKey/Forwarding`, `${p}/v2/JS/:apiKey/Forwarding`, `${p}/v3/JS/:apiKey/events`]),
  ...["/v1", CNAME_PREFIX.alias].map((p) => `${p}/identity/:apiKey/Alias`),
  // The audience call of getUserAudiences (src/routes/web/audience.ts).
  "/v1/:apiKey/audience",
  // Pixel Service (src/routes/pixel.ts): image and fetch hits.
  "/v1/:apiKey/Pixel",
]
  .map((path) => ({ path, key: { param: "apiKey" } as BrowserCorsOptions["key"] }))
  .concat(["/v1", CNAME_PREFIX.identity].flatMap((p) => IDENTITY_PATHS.map((i) => ({ path: `${p}${i}`, key: "x-mp-key" as const }))));
