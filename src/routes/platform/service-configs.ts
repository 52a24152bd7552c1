/** GET /v1/workspace/{wid}/{module}/serviceconfigurations: a workspace's outputs of one integration. */
import { Hono } from "hono";
import { secretSettingsStatus } from "../../db/queries/output-secrets";
import { deleteUnusedOutput, listWorkspaceOutputs } from "../../db/queries/services";
import { workspaceInAccount } from "../../db/queries/workspaces";
import { findService } from "./catalog";
import { ConflictError, db, found, idParam, ok, type PlatformEnv } from "./common";

export const serviceConfigsRoutes = new Hono<PlatformEnv>();

serviceConfigsRoutes.get("/:wid{[0-9]+}/:module/serviceconfigurations", async (c) => {
  const ws = found(await workspaceInAccount(db(c), c.get("account").id, idParam(c, "wid")), "Workspace");
  const def = found(findService(c.req.param("module")), `Service ${c.req.param("module")}`);
  const rows = await listWorkspaceOutputs(db(c), ws.id, def.slug);
  return ok(
    c,
    await Promise.all(
      rows.map(async (o) => ({ id: o.id, name: def.slug, account: o.name, workspace_id: o.workspaceId, settings: o.settings, has_secret_settings: o.secretSettings !== null, ...(await secretSettingsStatus(c.env, o.id, o.secretSettings)), created_at: o.createdAt, updated_at: o.updatedAt })),
    ),
  );
});

// Our addition: delete an output once no app platform is connected to it (409 otherwise).
serviceConfigsRoutes.delete("/:wid{[0-9]+}/:module/serviceconfigurations/:id{[0-9]+}", async (c) => {
  const ws = found(await workspaceInAccount(db(c), c.get("account").id, idParam(c, "wid")), "Workspace");
  const def = found(findService(c.req.param("module")), `Service ${c.req.param("module")}`);
  const output = found((await listWorkspaceOutputs(db(c), ws.id, def.slug)).find((o) => o.id === idParam(c, "id")), "Output");
  if (!(await deleteUnusedOutput(db(c), output.id))) throw new ConflictError("Remove the output from every app platform and audience first.");
  return c.body(null, 204);
});
