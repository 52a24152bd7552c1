/** GET /openapi.json: the OpenAPI 3.1 document of every route of the app. */
import { Hono } from "hono";
import { cors } from "hono/cors";
import { app } from "../app";
import type { AppEnv } from "../env";
import { buildDocument, routesOf } from "./document";
import { dsrOperations } from "./dsr-ops";
import { identityOperations } from "./identity-ops";
import { inputOperations } from "./input-ops";
import { consentOperations } from "./consent-ops";
import { pixelOperations } from "./pixel-ops";
import { platformOperations } from "./platform-ops";
import { platformV2Operations } from "./platform-v2-ops";
import { publicOperations } from "./public-ops";
import { webOperations } from "./web-ops";

let doc: Record<string, unknown> | undefined;

/** The document (built once per isolate, from the app's routes at that time). */
export function openApiDocument(): Record<string, unknown> {
  doc ??= buildDocument([...publicOperations, ...identityOperations, ...platformOperations, ...platformV2Operations, ...pixelOperations, ...webOperations, ...inputOperations, ...consentOperations, ...dsrOperations], routesOf(app));
  return doc;
}

export const openApiRoutes = new Hono<AppEnv>();

openApiRoutes.get("/openapi.json", cors({ origin: "*" }), (c) => c.json({ ...openApiDocument(), servers: [{ url: new URL(c.req.url).origin }] }));
