/**
 * /v1/apps/{id}/platforms/{platform}/services: the outputs an app platform forwards to. PUT configures one
 * (our output + connection); `account` names the output (default "Default Account"), `isVisible` defaults to true.
 */
import { Hono } from "hono";
import { z } from "zod";
import { secretSettingsStatus } from "../../db/queries/output-secrets";
import { DEFAULT_ACCOUNT_NAME, listInputServices, removeService } from "../../db/queries/services";
import { configureService } from "../../integrations/configure-service";
import type { SealKeys } from "../../lib/sealed";
import { findService } from "./catalog";
import { db, found, ok, type PlatformEnv, readBody } from "./common";
import { platformOf } from "./platforms";
import { configName } from "../../schema/config-text";
import { ValidationError } from "../../lib/errors";

/** Settings as an object or as mParticle's `[{"name","value"}]` list. */
const Settings = z
  .union([z.record(z.string(), z.unknown()), z.array(z.strictObject({ name: z.string(), value: z.unknown() }))])
  .transform((v) => (Array.isArray(v) ? Object.fromEntries(v.map((s) => [s.name, s.value])) : v));
const Status = z.enum(["active", "inactive"]);

export const ConfigureService = z.strictObject({
  name: z.string().min(1).max(100),
  account: configName().nullish(),
  isVisible: z.boolean().nullish(),
  settings: Settings.default({}),
  connectionSettings: Settings.optional(),
  connection_settings: Settings.optional(),
  status: z.strictObject({ development: Status.default("active"), production: Status.default("active") }).default({ development: "active", production: "active" }),
});

type ServiceRow = Awaited<ReturnType<typeof listInputServices>>[number];
const view = async (keys: SealKeys, s: ServiceRow) => ({
  name: s.integration,
  account: s.account,
  isVisible: s.isVisible,
  connection_id: s.connectionId,
  output_id: s.outputId,
  settings: s.settings,
  has_secret_settings: s.secretSettings !== null,
  ...(await secretSettingsStatus(keys, s.outputId, s.secretSettings)),
  connection_settings: s.connectionSettings,
  status: { development: s.statusDevelopment, production: s.statusProduction },
});

/** "field.key" for every key of `settings` that an object schema does not name (the integration's settings are strict). */
function unknownKeys(schema: unknown, settings: Record<string, unknown>, field: string): string[] {
  const shape = (schema as { shape?: Record<string, unknown> }).shape;
  return shape ? Object.keys(settings).filter((k) => !Object.hasOwn(shape, k)).map((k) => `${field}.${k}`) : [];
}

export const appServicesRoutes = new Hono<PlatformEnv>();

appServicesRoutes.get("/:id{[0-9]+}/platforms/:platform/services", async (c) => {
  const { input } = await platformOf(c);
  return ok(c, await Promise.all((await listInputServices(db(c), input.id)).map((s) => view(c.env, s))));
});

appServicesRoutes.put("/:id{[0-9]+}/platforms/:platform/services", async (c) => {
  const b = await readBody(c, ConfigureService);
  const { app, input } = await platformOf(c);
  const def = found(findService(b.name), `Service ${b.name}`);
  const connectionSettings = b.connectionSettings ?? b.connection_settings ?? {};
  const unknown = [...unknownKeys(def.configSchema, b.settings, "settings"), ...unknownKeys(def.connectionSchema, connectionSettings, "connectionSettings")];
  if (unknown.length) throw new ValidationError(unknown.slice(0, 10).map((message) => ({ code: "BAD_REQUEST", message: `${message} is not a setting of ${def.slug}` })));
  const { connectionId } = await configureService(db(c), c.env, {
    workspaceId: app.workspaceId,
    inputId: input.id,
    integration: def.slug,
    account: b.account ?? DEFAULT_ACCOUNT_NAME,
    isVisible: b.isVisible ?? true,
    settings: b.settings,
    connectionSettings,
    status: b.status,
  });
  const row = (await listInputServices(db(c), input.id)).find((s) => s.connectionId === connectionId)!;
  return ok(c, await view(c.env, row));
});

// Our addition: remove a service from a platform (`?account=` picks the output; default "Default Account").
appServicesRoutes.delete("/:id{[0-9]+}/platforms/:platform/services/:name", async (c) => {
  const { input } = await platformOf(c);
  const def = found(findService(c.req.param("name")), `Service ${c.req.param("name")}`);
  const account = c.req.query("account") ?? DEFAULT_ACCOUNT_NAME;
  const row = found((await listInputServices(db(c), input.id)).find((s) => s.integration === def.slug && s.account === account), "Service");
  await removeService(db(c), input.id, row.outputId);
  return c.body(null, 204);
});
