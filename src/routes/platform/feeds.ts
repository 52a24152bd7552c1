/**
 * Partner feeds as feed inputs: /v1/workspace/{wid}/partnerfeeds[/{id}] and /v1/partnerfeeds/{id}.
 * `module` names the partner (null: custom feed), `act_as_platform` the app platform the feed acts as,
 * `protection_level` the input protection (create_update, update_only, read_only).
 */
import { Hono } from "hono";
import { z } from "zod";
import { createInput, deleteInputs, updateInput, type AccessKey } from "../../db/queries/apps";
import { feedInAccount, listFeeds } from "../../db/queries/feeds";
import { workspaceInAccount } from "../../db/queries/workspaces";
import type { Input } from "../../db/schema";
import { PlatformName } from "./apps";
import { db, found, idParam, ok, type PlatformContext, type PlatformEnv, readBody } from "./common";
import { configName, ignoredId } from "../../schema/config-text";
import { canonicalPlatform } from "./vocab";
import { findFieldTransformation } from "../../db/queries/field-transformations";
import { ValidationError } from "../../lib/errors";
import { FT_ID } from "../../schema/field-transformation";

/** Stored platform of a feed that does not act as an app platform. */
const UNBOUND = "feed";

export const Feed = z.strictObject({
  id: ignoredId("feed"),
  name: configName(),
  module: configName(100).nullish(),
  act_as_platform: PlatformName.nullish(),
  protection_level: z.enum(["create_update", "update_only", "read_only"]).default("create_update"),
  status: z.enum(["active", "disabled"]).default("active"),
  custom_manifest: z.string().regex(FT_ID).nullish().describe("A field transformation of the workspace that maps the rows of this CSV feed's files (mParticle's Custom Manifest); docs/field-transformations.md."),
});

function feedView(i: Input, fresh?: AccessKey) {
  const s = i.settings as { partner?: string; protectionLevel?: string };
  return {
    id: i.id,
    name: i.name,
    workspace_id: i.workspaceId,
    module: s.partner ?? null,
    act_as_platform: i.platform === UNBOUND ? null : i.platform,
    protection_level: s.protectionLevel ?? "create_update",
    custom_manifest: (s as { customManifest?: string }).customManifest ?? null,
    status: i.status,
    access_keys: [fresh ? { key: fresh.key, secret: fresh.secret } : { key: i.apiKey }],
    created_at: i.createdAt,
    updated_at: i.updatedAt,
  };
}

function fields(b: z.output<typeof Feed>, settings: Record<string, unknown> = {}) {
  const next: Record<string, unknown> = { ...settings, protectionLevel: b.protection_level };
  if (b.module) next.partner = b.module;
  else delete next.partner;
  if (b.custom_manifest) next.customManifest = b.custom_manifest;
  else delete next.customManifest;
  return { name: b.name, platform: b.act_as_platform ? canonicalPlatform(b.act_as_platform)! : UNBOUND, status: b.status, settings: next };
}

/** 400 unless the custom manifest names a live field transformation of the workspace. */
async function checkManifest(c: PlatformContext, workspaceId: number, b: z.output<typeof Feed>): Promise<void> {
  if (!b.custom_manifest) return;
  const ft = await findFieldTransformation(db(c), workspaceId, b.custom_manifest);
  if (!ft || ft.deletedAt !== null) throw new ValidationError([{ code: "BAD_REQUEST", message: `custom_manifest: no field transformation ${b.custom_manifest} in workspace ${workspaceId}.` }]);
}

async function workspaceOf(c: PlatformContext) {
  return found(await workspaceInAccount(db(c), c.get("account").id, idParam(c, "wid")), "Workspace");
}

/** Mounted under /workspace and /workspaces. */
export const workspaceFeedsRoutes = new Hono<PlatformEnv>();

workspaceFeedsRoutes.get("/:wid{[0-9]+}/partnerfeeds", async (c) => ok(c, (await listFeeds(db(c), (await workspaceOf(c)).id)).map((f) => feedView(f))));

workspaceFeedsRoutes.post("/:wid{[0-9]+}/partnerfeeds", async (c) => {
  const b = await readBody(c, Feed);
  const ws = await workspaceOf(c);
  await checkManifest(c, ws.id, b);
  const f = fields(b);
  const { input, accessKey } = await createInput(db(c), c.env, { workspaceId: ws.id, appId: null, kind: "feed", platform: f.platform, name: f.name, settings: f.settings });
  const row = f.status === "active" ? input : await updateInput(db(c), input.id, { status: f.status });
  return ok(c, feedView(row, accessKey), 201);
});

workspaceFeedsRoutes.put("/:wid{[0-9]+}/partnerfeeds/:id{[0-9]+}", async (c) => {
  const b = await readBody(c, Feed);
  const ws = await workspaceOf(c);
  const feed = await feedInAccount(db(c), c.get("account").id, idParam(c, "id"));
  const existing = found(feed?.workspaceId === ws.id ? feed : null, "Feed");
  await checkManifest(c, ws.id, b);
  return ok(c, feedView(await updateInput(db(c), existing.id, fields(b, existing.settings))));
});

workspaceFeedsRoutes.delete("/:wid{[0-9]+}/partnerfeeds/:id{[0-9]+}", async (c) => {
  const ws = await workspaceOf(c);
  const feed = await feedInAccount(db(c), c.get("account").id, idParam(c, "id"));
  await deleteInputs(db(c), [found(feed?.workspaceId === ws.id ? feed : null, "Feed").id]);
  return c.body(null, 204);
});

/** Mounted under /partnerfeeds. */
export const feedsRoutes = new Hono<PlatformEnv>();

feedsRoutes.get("/:id{[0-9]+}", async (c) => ok(c, feedView(found(await feedInAccount(db(c), c.get("account").id, idParam(c, "id")), "Feed"))));
