/** GET /openapi.json: the OpenAPI 3.1 document of every route of the app. */
import { Hono } from "hono";
import { cors } from "hono/cors";
import type { AppEnv } from "../env";
import { buildDocument, routesOf } from "./document";
import { dsrOperations } from "./dsr-ops";
import { identityOperations } from "./identity-ops";
import { importOperations } from "./import-ops";
import { inputOperations } from "./input-ops";
import { consentOperations } from "./consent-ops";
import { consoleOperations } from "./console-ops";
import { pixelOperations } from "./pixel-ops";
import { platformOperations } from "./platform-ops";
import { platformV2Operations } from "./platform-v2-ops";
import { publicOperations } from "./public-ops";
import { caSeedingOperations } from "./ca-seeding-ops";
import { webOperations } from "./web-ops";
import { ruleOperations } from "./rules-ops";

/**
 * The routes serving the document of `described` (the app that mounts them: passed in, so this module does not
 * import the app). The document is built once per isolate, on the first request, from the app's routes then.
 */
export function openApiRoutes(described: Hono<AppEnv>): Hono<AppEnv> {
  let doc: Record<string, unknown> | undefined;
  const document = () =>
    (doc ??= buildDocument([...publicOperations, ...identityOperations, ...platformOperations, ...platformV2Operations, ...caSeedingOperations, ...pixelOperations, ...webOperations, ...inputOperations, ...importOperations, ...consentOperations, ...ruleOperations, ...dsrOperations, ...consoleOperations], routesOf(described)));
  return new Hono<AppEnv>().get("/openapi.json", cors({ origin: "*" }), (c) => c.json({ ...document(), servers: [{ url: new URL(c.req.url).origin }] }));
}
