/**
 * GET /v1/services[/{name}]: the integration catalog, read from the registry at request time, with
 * configuration and connection settings as JSON Schema (secret settings marked `writeOnly` + `x-secret`).
 */
import { Hono } from "hono";
import { z } from "zod";
import { integrations } from "../../integrations/registry";
import { audiencePartners } from "../../integrations/audience/registry";
import type { AudiencePartner } from "../../integrations/runtime/audience-types";
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

/** What an audience output adds to a catalog entry: the flag, and its settings when they differ from the event output's. */
function audienceView(a: AudiencePartner | undefined, d?: IntegrationDefinition) {
  if (!a) return { supports_audiences: false };
  return {
    supports_audiences: true,
    audience_cadence: { max_wait_seconds: a.cadence.maxWaitSeconds, max_pending: a.cadence.maxPending, min_interval_seconds: a.cadence.minIntervalSeconds ?? null, max_rows_per_upload: a.maxRowsPerUpload },
    ...(d?.configSchema === a.configSchema ? {} : { audience_settings: jsonSchema(a.configSchema, a.secretSettings) }),
    audience_connection_settings: jsonSchema(a.connectionSchema),
  };
}

/** The catalog entry of an audience output that has no event output. */
function audienceOnlyView(a: AudiencePartner) {
  return { name: a.slug, title: a.title, module_id: null, kinds: ["audience"], platforms: [], event_types: [], settings: jsonSchema(a.configSchema, a.secretSettings), connection_settings: jsonSchema(a.connectionSchema), secret_settings: a.secretSettings, ...audienceView(a) };
}

/** Every catalog entry: the event outputs (marked when they take audiences too), then audience-only outputs. */
export function catalog() {
  return [
    ...Object.values(integrations).map(serviceView),
    ...Object.values(audiencePartners)
      .filter((a) => !Object.hasOwn(integrations, a.slug))
      .map(audienceOnlyView),
  ];
}

/** The catalog entry of an integration. */
export function serviceView(d: IntegrationDefinition) {
  return {
    ...serviceCore(d),
    ...audienceView(Object.hasOwn(audiencePartners, d.slug) ? audiencePartners[d.slug] : undefined, d),
  };
}

function serviceCore(d: IntegrationDefinition) {
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

catalogRoutes.get("/", (c) => ok(c, catalog()));

catalogRoutes.get("/:name", (c) => {
  const name = c.req.param("name");
  const d = findService(name);
  if (d) return ok(c, serviceView(d));
  const a = Object.values(audiencePartners).find((p) => p.slug.toLowerCase() === name.toLowerCase() || p.title.toLowerCase() === name.toLowerCase());
  return ok(c, audienceOnlyView(found(a, `Service ${name}`)));
});
