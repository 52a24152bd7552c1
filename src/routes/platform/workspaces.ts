/** /v1/workspaces (and the seed's singular /v1/workspace): workspaces of the account. */
import { z } from "zod";
import { invalidateConfig } from "../../db/config-cache";
import { checkDataPlans, withNormalizedDataPlans } from "../../dataplans";
import { privacySettingsSchema } from "../../privacy/config";
import { strategySettingsSchema } from "../../identity/config";
import { configName, ignoredId } from "../../schema/config-text";
import { createWorkspace, deleteWorkspace, listWorkspaces, updateWorkspaceStatement, workspaceContents, workspaceInAccount } from "../../db/queries/workspaces";
import { legacyView, legacyWrites, splitPlans } from "./workspace-plans";
import { blockedIdentityValuesSchema } from "../../identity/blocked";
import { ConflictError, db, found, idParam, ok, platformApp, readBody } from "./common";

/**
 * Workspace settings; `privacy` (our consent settings, README "Consent and privacy controls"),
 * `dataPlans` (README "Web SDK", data plans) and `blocked_identity_values` (docs/scale.md "Hot keys") are
 * validated; the first two are stored normalized.
 */
const Settings = z
  .strictObject({
    identity: strategySettingsSchema.strict().optional().describe("IDSync identity strategy of the workspace (src/identity/config.ts)."),
    privacy: z.record(z.string(), z.unknown()).optional().describe("Consent settings (src/privacy/config.ts)."),
    blocked_identity_values: z.unknown().optional().describe("Identity values refused as identities in this workspace (src/identity/blocked.ts, docs/scale.md \"Hot keys\")."),
    dataPlans: z.record(z.string(), z.unknown()).optional().describe("Data plans by id (src/dataplans/settings.ts)."),
  })
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
  .transform((s) => {
    // Only the keys given are stored (an absent key keeps meaning "default").
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(s)) if (v !== undefined) out[k] = v;
    return withNormalizedDataPlans(out.privacy === undefined ? out : { ...out, privacy: privacySettingsSchema.parse(out.privacy) });
  });

export const CreateWorkspace = z.strictObject({ id: ignoredId("workspace"), name: configName(), settings: Settings.optional() });
export const UpdateWorkspace = CreateWorkspace.partial();

type Row = Awaited<ReturnType<typeof listWorkspaces>>[number];
const view = (w: Row) => ({ id: w.id, name: w.name, account_id: w.accountId, settings: w.settings, created_at: w.createdAt, updated_at: w.updatedAt });

export const workspacesRoutes = platformApp();

workspacesRoutes.get("/", async (c) => ok(c, (await listWorkspaces(db(c), c.get("account").id)).map(view)));

/** A workspace with its (deprecated) `dataPlans` shown from the data plan store. */
const withPlans = (w: Row, dataPlans: Record<string, unknown> | undefined) => {
  const v = view(w);
  return dataPlans ? { ...v, settings: { ...v.settings, dataPlans } } : v;
};

workspacesRoutes.post("/", async (c) => {
  const b = await readBody(c, CreateWorkspace);
  const { settings, plans } = splitPlans(b.settings);
  const created = await createWorkspace(db(c), c.get("account").id, b.name, settings);
  if (plans) {
    const stmts = legacyWrites(db(c), created.id, plans);
    try {
      if (stmts.length) await db(c).batch(stmts as [(typeof stmts)[number], ...typeof stmts]);
    } catch (err) {
      await deleteWorkspace(db(c), created.id); // nothing half-stored
      throw err;
    }
    invalidateConfig();
  }
  return ok(c, withPlans(created, plans ?? undefined), 201);
});

workspacesRoutes.get("/:id{[0-9]+}", async (c) => {
  const w = found(await workspaceInAccount(db(c), c.get("account").id, idParam(c, "id")), "Workspace");
  return ok(c, withPlans(w, await legacyView(db(c), w.id)));
});

workspacesRoutes.put("/:id{[0-9]+}", async (c) => {
  const { id: _ignored, ...b } = await readBody(c, UpdateWorkspace);
  const id = idParam(c, "id");
  found(await workspaceInAccount(db(c), c.get("account").id, id), "Workspace");
  const { settings, plans } = splitPlans(b.settings);
  // The settings and the plans they carry are written in one batch (nothing half-stored).
  await db(c).batch([updateWorkspaceStatement(db(c), id, { ...b, settings }), ...(plans ? legacyWrites(db(c), id, plans) : [])]);
  invalidateConfig(); // identity strategy, privacy settings and data plans are read through the config cache
  const updated = found(await workspaceInAccount(db(c), c.get("account").id, id), "Workspace");
  return ok(c, withPlans(updated, plans ?? (await legacyView(db(c), id))));
});

workspacesRoutes.delete("/:id{[0-9]+}", async (c) => {
  const id = idParam(c, "id");
  found(await workspaceInAccount(db(c), c.get("account").id, id), "Workspace");
  if (await workspaceContents(db(c), id)) throw new ConflictError("Delete the workspace's apps, feeds, outputs, audiences and rules first.");
  await deleteWorkspace(db(c), id);
  return c.body(null, 204);
});
