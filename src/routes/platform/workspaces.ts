/** /v1/workspaces (and the seed's singular /v1/workspace): workspaces of the account. */
import { z } from "zod";
import { invalidateConfig } from "../../db/config-cache";
import { checkDataPlans, withNormalizedDataPlans } from "../../dataplans";
import { privacySettingsSchema } from "../../privacy/config";
import { blockedIdentityValuesSchema } from "../../identity/blocked";
import { createWorkspace, deleteWorkspace, listWorkspaces, updateWorkspace, workspaceContents, workspaceInAccount } from "../../db/queries/workspaces";
import { ConflictError, db, found, idParam, ok, platformApp, readBody } from "./common";

/**
 * Workspace settings; `privacy` (our consent settings, README "Consent and privacy controls"),
 * `dataPlans` (README "Web SDK", data plans) and `blocked_identity_values` (docs/scale.md "Hot keys") are
 * validated; the first two are stored normalized.
 */
const Settings = z
  .record(z.string(), z.unknown())
  .superRefine((s, ctx) => {
    checkDataPlans(s, ctx);
    if (s.blocked_identity_values !== undefined) {
      const b = blockedIdentityValuesSchema.safeParse(s.blocked_identity_values);
      if (!b.success) for (const i of b.error.issues) ctx.addIssue({ code: "custom", path: ["blocked_identity_values", ...i.path], message: i.message });
    }
    if (s.privacy === undefined) return;
    const r = privacySettingsSchema.safeParse(s.privacy);
    if (!r.success) for (const i of r.error.issues) ctx.addIssue({ code: "custom", path: ["privacy", ...i.path], message: i.message });
  })
  .transform((s) => withNormalizedDataPlans(s.privacy === undefined ? s : { ...s, privacy: privacySettingsSchema.parse(s.privacy) }));

export const CreateWorkspace = z.object({ name: z.string().trim().min(1).max(200), settings: Settings.optional() });
export const UpdateWorkspace = CreateWorkspace.partial();

type Row = Awaited<ReturnType<typeof listWorkspaces>>[number];
const view = (w: Row) => ({ id: w.id, name: w.name, account_id: w.accountId, settings: w.settings, created_at: w.createdAt, updated_at: w.updatedAt });

export const workspacesRoutes = platformApp();

workspacesRoutes.get("/", async (c) => ok(c, (await listWorkspaces(db(c), c.get("account").id)).map(view)));

workspacesRoutes.post("/", async (c) => {
  const b = await readBody(c, CreateWorkspace);
  return ok(c, view(await createWorkspace(db(c), c.get("account").id, b.name, b.settings)), 201);
});

workspacesRoutes.get("/:id{[0-9]+}", async (c) => ok(c, view(found(await workspaceInAccount(db(c), c.get("account").id, idParam(c, "id")), "Workspace"))));

workspacesRoutes.put("/:id{[0-9]+}", async (c) => {
  const b = await readBody(c, UpdateWorkspace);
  const updated = found(await updateWorkspace(db(c), c.get("account").id, idParam(c, "id"), b), "Workspace");
  invalidateConfig(); // identity strategy and privacy settings are read through the config cache
  return ok(c, view(updated));
});

workspacesRoutes.delete("/:id{[0-9]+}", async (c) => {
  const id = idParam(c, "id");
  found(await workspaceInAccount(db(c), c.get("account").id, id), "Workspace");
  if (await workspaceContents(db(c), id)) throw new ConflictError("Delete the workspace's apps, feeds and outputs first.");
  await deleteWorkspace(db(c), id);
  return c.body(null, 204);
});
