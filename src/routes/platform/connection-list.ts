/**
 * GET /v1/connections (our addition): the connections of the account, filtered by workspace, input, output and
 * status, in id order, paged with `after_id`. Per-connection routes are in connections.ts.
 */
import { Hono } from "hono";
import { z } from "zod";
import { listConnectionsInAccount } from "../../db/queries/connection-list";
import { ValidationError } from "../../lib/errors";
import { bodyLimit } from "../../middleware/limits";
import { db, ok, type PlatformEnv } from "./common";

/** A GET carries no body; anything larger than this answers 413 before the handler runs. */
export const CONNECTION_LIST_MAX_BODY_BYTES = 1024;
/** Connections per answer at most (and the default): configuration rows, so one page is a few hundred KB at most. */
export const CONNECTION_LIST_MAX = 1000;

const id = z.coerce.number().int().positive();
export const ConnectionListQuery = z.object({
  workspace_id: id.optional().describe("Only connections from inputs of this workspace."),
  input_id: id.optional().describe("Only connections from this input (app platform or feed)."),
  output_id: id.optional().describe("Only connections to this output."),
  kind: z.enum(["event", "audience"]).optional().describe("event: input → output; audience: audience → output (docs/audience-outputs.md)."),
  status: z.enum(["active", "inactive"]).optional().describe("active: active in at least one environment; inactive: inactive in both."),
  after_id: z.coerce.number().int().nonnegative().optional().describe("Paging: only connections with a greater id (the last id of the previous page)."),
  limit: z.coerce.number().int().min(1).max(CONNECTION_LIST_MAX).optional().describe(`Connections per page (default and maximum ${CONNECTION_LIST_MAX}).`),
});

export const connectionListRoutes = new Hono<PlatformEnv>();

connectionListRoutes.get("/", bodyLimit({ maxBytes: CONNECTION_LIST_MAX_BODY_BYTES }), async (c) => {
  const q = ConnectionListQuery.safeParse(c.req.query());
  if (!q.success) throw new ValidationError(q.error.issues.slice(0, 10).map((i) => ({ code: "BAD_REQUEST", message: `${i.path.join(".")}: ${i.message}` })));
  const { workspace_id, input_id, output_id, kind, status, after_id, limit } = q.data;
  const rows = await listConnectionsInAccount(db(c), c.get("account").id, {
    workspaceId: workspace_id,
    inputId: input_id,
    outputId: output_id,
    kind,
    status,
    afterId: after_id,
    limit: limit ?? CONNECTION_LIST_MAX,
  });
  return ok(
    c,
    rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      workspace_id: r.workspaceId,
      input_id: r.inputId,
      input_name: r.inputName,
      output_id: r.outputId,
      output_name: r.outputName,
      integration: r.integration,
      status: { development: r.statusDevelopment, production: r.statusProduction },
      is_visible: r.isVisible,
      settings: r.settings,
      consent_rules: r.consentRules,
      ...(r.kind === "audience" ? { audience_id: r.audienceId, faulted: r.fault !== null, fault: r.fault } : {}),
      created_at: r.createdAt,
      updated_at: r.updatedAt,
    })),
  );
});
