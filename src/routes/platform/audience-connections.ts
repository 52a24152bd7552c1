/**
 * /v1/audiences/{id}/connections (issue 20; docs/audience-outputs.md): connecting an audience to an output.
 * POST creates (or updates) the output named by `account` and the audience connection, and starts its uploader
 * (a new connection first uploads the audience's current members); GET lists them; DELETE disconnects (the
 * partner's documented behaviour, then the row goes; its id is never reused). Answers use the Platform envelope.
 */
import { Hono } from "hono";
import { z } from "zod";
import { createDb } from "../../db";
import { audienceConnectionsOf, type AudienceConnectionRow, deleteAudienceConnection } from "../../db/queries/audience-connections";
import { audienceInAccount } from "../../db/queries/audiences";
import { DEFAULT_ACCOUNT_NAME } from "../../db/queries/services";
import { configureAudienceConnection } from "../../integrations/audience/configure";
import { getAudiencePartner } from "../../integrations/audience/registry";
import { ValidationError } from "../../lib/errors";
import { log } from "../../lib/log";
import { configName } from "../../schema/config-text";
import { db, found, idParam, ok, type PlatformContext, type PlatformEnv, readBody } from "./common";

/** Settings as an object or as mParticle's `[{"name","value"}]` list. */
const Settings = z
  .union([z.record(z.string(), z.unknown()), z.array(z.strictObject({ name: z.string(), value: z.unknown() }))])
  .transform((v) => (Array.isArray(v) ? Object.fromEntries(v.map((s) => [s.name, s.value])) : v));
const Status = z.enum(["active", "inactive"]);

export const AudienceConnectionBody = z.strictObject({
  name: z.string().min(1).max(100).describe("The service (GET /v1/services entries with supports_audiences: true)."),
  account: configName().nullish().describe('Names the output (default "Default Account"), as PUT …/services does.'),
  settings: Settings.default({}).describe("Output settings (secrets write-only; omitted secrets keep their stored value)."),
  connectionSettings: Settings.optional().describe("Connection settings of the partner, plus flush_interval_s (ours: caps the wait before an upload, seconds)."),
  connection_settings: Settings.optional(),
  status: z.strictObject({ development: Status.default("active"), production: Status.default("active") }).default({ development: "active", production: "active" }),
});

export function audienceConnectionView(r: AudienceConnectionRow) {
  return {
    id: r.id,
    kind: "audience" as const,
    audience_id: r.audienceId,
    name: r.integration,
    account: r.outputName,
    output_id: r.outputId,
    workspace_id: r.workspaceId,
    settings: r.outputSettings,
    has_secret_settings: r.hasSecretSettings,
    connection_settings: r.settings,
    status: { development: r.statusDevelopment, production: r.statusProduction },
    faulted: r.fault !== null,
    fault: r.fault,
    created_at: r.createdAt,
    updated_at: r.updatedAt,
  };
}

async function audienceOf(c: PlatformContext) {
  const id = idParam(c, "id");
  return found(await audienceInAccount(db(c), c.get("account").id, id), `Audience ${id}`);
}

export const audienceConnectionsRoutes = new Hono<PlatformEnv>();

audienceConnectionsRoutes.get("/:id{[0-9]+}/connections", async (c) => {
  const a = await audienceOf(c);
  return ok(c, (await audienceConnectionsOf(db(c), [a.row.id])).map(audienceConnectionView));
});

audienceConnectionsRoutes.post("/:id{[0-9]+}/connections", async (c) => {
  const b = await readBody(c, AudienceConnectionBody);
  const a = await audienceOf(c);
  const partner = getAudiencePartner(b.name.toLowerCase());
  if (!partner) throw new ValidationError([{ code: "BAD_REQUEST", message: `name: service "${b.name}" takes no audiences (GET /v1/services lists those with supports_audiences: true)` }]);
  const workspaceId = a.workspaces[0]!.id;
  const { connectionId, created } = await configureAudienceConnection(db(c), c.env, {
    audienceId: a.row.id,
    workspaceId,
    partner,
    account: b.account ?? DEFAULT_ACCOUNT_NAME,
    settings: b.settings,
    connectionSettings: b.connectionSettings ?? b.connection_settings ?? {},
    status: b.status,
  });
  // A new connection uploads the current members first; an updated one uploads what is due under its new settings.
  await c.env.AUDIENCE_UPLOADER.getByName(String(connectionId)).start(connectionId, { backfill: created });
  const row = (await audienceConnectionsOf(db(c), [a.row.id])).find((r) => r.id === connectionId)!;
  return ok(c, audienceConnectionView(row), created ? 201 : 200);
});

audienceConnectionsRoutes.delete("/:id{[0-9]+}/connections/:connectionId{[0-9]+}", async (c) => {
  const a = await audienceOf(c);
  const cid = idParam(c, "connectionId");
  found((await audienceConnectionsOf(db(c), [a.row.id])).find((r) => r.id === cid), `Connection ${cid}`);
  await disconnect(c.env, cid, "disconnected");
  return c.body(null, 204);
});

/** Stops the uploader (the partner's documented behaviour) and removes the connection row. */
export async function disconnect(env: Env, connectionId: number, reason: "audience_deleted" | "disconnected"): Promise<void> {
  const r = await env.AUDIENCE_UPLOADER.getByName(String(connectionId)).stop(connectionId, reason);
  if (!r.ok) log.warn("audience output's disconnect step failed; the connection is removed anyway", { connection_id: connectionId, reason: r.message });
  await deleteAudienceConnection(createDb(env.DB), connectionId);
}
