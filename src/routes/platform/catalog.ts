/**
 * GET /v1/services[/{name}]: the integration catalog, read from the registry at request time, with
 * configuration and connection settings as JSON Schema (secret settings marked `writeOnly` + `x-secret`).
 */
import { Hono } from "hono";
import { z } from "zod";
import { integrations } from "../../integrations/registry";
import type { IntegrationDefinition } from "../../integrations/runtime/types";
import { log } from "../../lib/log";
import { found, ok, type PlatformEnv } from "./common";

type JsonSchema = { properties?: Record<string, Record<string, unknown>>; [k: string]: unknown };

function jsonSchema(schema: z.ZodType, secrets: string[] = []): JsonSchema {
  let js: JsonSchema;
  try {
    js = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as JsonSchema;
  } catch (err) {
    // One integration's odd schema must not take the whole catalog down.
    log.warn("settings schema not convertible to JSON Schema", { error: String(err) });
    return { type: "object", description: "Settings schema not representable as JSON Schema; see the integration's README." };
  }
  for (const k of secrets) if (js.properties?.[k]) js.properties[k] = { ...js.properties[k], writeOnly: true, "x-secret": true };
  return js;
}

/** The catalog entry of an integration. */
export function serviceView(d: IntegrationDefinition) {
  return {
    name: d.slug,
    title: d.title,
    module_id: d.moduleId ?? null,
    kinds: d.kinds,
    platforms: d.platforms,
    event_types: d.eventTypes,
    settings: jsonSchema(d.configSchema, d.secretSettings),
    connection_settings: jsonSchema(d.connectionSchema),
    secret_settings: d.secretSettings,
  };
}

/** The integration named `name`: slug, title, or module id, case-insensitive. */
export function findService(name: string): IntegrationDefinition | undefined {
  const n = name.toLowerCase();
  return Object.values(integrations).find((d) => d.slug.toLowerCase() === n || d.title.toLowerCase() === n || String(d.moduleId) === n);
}

export const catalogRoutes = new Hono<PlatformEnv>();

catalogRoutes.get("/", (c) => ok(c, Object.values(integrations).map(serviceView)));

catalogRoutes.get("/:name", (c) => ok(c, serviceView(found(findService(c.req.param("name")), `Service ${c.req.param("name")}`))));
