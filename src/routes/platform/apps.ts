/** /v1/apps: apps of the account; each platform is a platform input with its own key and secret. */
import { Hono } from "hono";
import { z } from "zod";
import { type AccessKey, adoptOrphanInputs, createApp, createInput, deleteApp, getApp, listApps, renameApp } from "../../db/queries/apps";
import { listWorkspaces, workspaceInAccount } from "../../db/queries/workspaces";
import { ValidationError } from "../../lib/errors";
import { db, found, idParam, ok, type PlatformContext, type PlatformEnv, readBody } from "./common";
import { configName } from "../../schema/config-text";
import { canonicalPlatform } from "./vocab";
import { appView } from "./views";

export const PlatformName = z.string().refine((p) => canonicalPlatform(p) !== null, "unknown platform");
const PlatformSpec = z.strictObject({ platform: PlatformName, name: configName().optional() });
export const CreateApp = z.strictObject({
  name: configName(),
  /** Our addition: the workspace of the app (default: the account's first workspace). */
  workspace_id: z.number().int().positive().optional(),
  platforms: z.array(PlatformSpec).max(20).default([]),
});

/** The workspace named by the body, or the account's first one. */
async function targetWorkspace(c: PlatformContext, id?: number): Promise<number> {
  const accountId = c.get("account").id;
  if (id !== undefined) return found(await workspaceInAccount(db(c), accountId, id), "Workspace").id;
  const first = (await listWorkspaces(db(c), accountId))[0];
  if (!first) throw new ValidationError([{ code: "BAD_REQUEST", message: "workspace_id: the account has no workspace" }]);
  return first.id;
}

export const UpdateApp = z.strictObject({ id: z.unknown().optional().describe("Ignored (mParticle's clients send the app back as read)."), name: configName() });

export const appsRoutes = new Hono<PlatformEnv>();

appsRoutes.get("/", async (c) => ok(c, (await listApps(db(c), c.get("account").id)).map((a) => appView(a))));

appsRoutes.post("/", async (c) => {
  const b = await readBody(c, CreateApp);
  const platforms = b.platforms.map((p) => ({ ...p, platform: canonicalPlatform(p.platform)! }));
  if (new Set(platforms.map((p) => p.platform)).size !== platforms.length) throw new ValidationError([{ code: "BAD_REQUEST", message: "platforms: each platform at most once" }]);
  const workspaceId = await targetWorkspace(c, b.workspace_id);
  // Older platform inputs get their apps first, so app ids follow creation order.
  await adoptOrphanInputs(db(c), c.get("account").id);
  const appId = await createApp(db(c), workspaceId, b.name);
  const fresh = new Map<number, AccessKey>();
  for (const p of platforms) {
    const { input, accessKey } = await createInput(db(c), c.env, { workspaceId, appId, kind: "platform", platform: p.platform, name: p.name ?? `${b.name} (${p.platform})` });
    fresh.set(input.id, accessKey);
  }
  return ok(c, appView(found(await getApp(db(c), c.get("account").id, appId), "App"), fresh), 201);
});

appsRoutes.get("/:id{[0-9]+}", async (c) => ok(c, appView(found(await getApp(db(c), c.get("account").id, idParam(c, "id")), "App"))));

appsRoutes.put("/:id{[0-9]+}", async (c) => {
  const b = await readBody(c, UpdateApp);
  const app = found(await getApp(db(c), c.get("account").id, idParam(c, "id")), "App");
  await renameApp(db(c), app.id, b.name);
  return ok(c, appView({ ...app, name: b.name }));
});

appsRoutes.delete("/:id{[0-9]+}", async (c) => {
  await deleteApp(db(c), found(await getApp(db(c), c.get("account").id, idParam(c, "id")), "App"));
  return c.body(null, 204);
});
