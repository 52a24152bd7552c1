/** /v1/apps/{id}/platforms[/{platform}]: platform inputs of an app; creation and rotation show the secret once. */
import { Hono } from "hono";
import { z } from "zod";
import { type AppWithPlatforms, createInput, deleteInputs, getApp, rotateInputSecret, updateInput } from "../../db/queries/apps";
import type { Input } from "../../db/schema";
import { checkInputIdentitySettings } from "../../schema/input-identity";
import { checkWebInputSettings } from "../../schema/web-input";
import { PlatformName } from "./apps";
import { ConflictError, db, found, idParam, ok, type PlatformContext, type PlatformEnv, readBody } from "./common";
import { platformView } from "./views";
import { configName } from "../../schema/config-text";
import { canonicalPlatform } from "./vocab";

/**
 * Input settings (strict: any other key is refused by name); the browser ones (`allowedOrigins`, `webSdkFlags`,
 * README "Web SDK") and the identity ones (`keyOnlyAuth`, `allowPublicKeyIdentityChanges`, docs/security.md) are validated.
 */
const InputSettings = z
  .strictObject({
    allowedOrigins: z.unknown().optional().describe("Browser origins allowed to send with the web key (README \"Web SDK\")."),
    webSdkFlags: z.unknown().optional().describe("Web SDK flags served by the config route."),
    keyOnlyAuth: z.unknown().optional().describe("Whether the Identity API accepts the key alone (default: web inputs only)."),
    allowPublicKeyIdentityChanges: z
      .unknown()
      .optional()
      .describe(
        "Default false: the public key alone cannot change or remove a login identity, take one another profile holds, or replace identities from batches; true restores mParticle's behaviour, see docs/security.md.",
      ),
    protectionLevel: z.enum(["create_update", "update_only", "read_only"]).optional().describe("Input protection level."),
  })
  .superRefine(checkWebInputSettings)
  .superRefine(checkInputIdentitySettings);
export const CreatePlatform = z.strictObject({ platform: PlatformName, name: configName().optional(), settings: InputSettings.optional() });
export const UpdatePlatform = z.strictObject({
  id: z.unknown().optional().describe("Ignored (mParticle's clients send the platform back as read)."),
  platform: z.unknown().optional().describe("Ignored: the platform is the one of the path."),
  name: configName().optional(),
  status: z.enum(["active", "disabled"]).optional(),
  settings: InputSettings.optional(),
});
export const Rotate = z.strictObject({ new_key: z.boolean().default(false) });

/** The app of the path, or 404. */
export async function appOf(c: PlatformContext): Promise<AppWithPlatforms> {
  return found(await getApp(db(c), c.get("account").id, idParam(c, "id")), "App");
}

/** The app and its platform input named by the path, or 404. */
export async function platformOf(c: PlatformContext): Promise<{ app: AppWithPlatforms; input: Input }> {
  const app = await appOf(c);
  const name = canonicalPlatform(c.req.param("platform") ?? "");
  return { app, input: found(app.platforms.find((p) => p.platform === name), `Platform ${c.req.param("platform")} of app ${app.id}`) };
}

export const platformsRoutes = new Hono<PlatformEnv>();

platformsRoutes.get("/:id{[0-9]+}/platforms", async (c) => ok(c, (await appOf(c)).platforms.map((p) => platformView(p))));

platformsRoutes.post("/:id{[0-9]+}/platforms", async (c) => {
  const b = await readBody(c, CreatePlatform);
  const app = await appOf(c);
  const platform = canonicalPlatform(b.platform)!;
  if (app.platforms.some((p) => p.platform === platform)) throw new ConflictError(`App ${app.id} already has a ${platform} platform.`);
  const { input, accessKey } = await createInput(db(c), c.env, { workspaceId: app.workspaceId, appId: app.id, kind: "platform", platform, name: b.name ?? `${app.name} (${platform})`, settings: b.settings });
  return ok(c, platformView(input, accessKey), 201);
});

platformsRoutes.get("/:id{[0-9]+}/platforms/:platform", async (c) => ok(c, platformView((await platformOf(c)).input)));

platformsRoutes.put("/:id{[0-9]+}/platforms/:platform", async (c) => {
  const { id: _id, platform: _platform, ...b } = await readBody(c, UpdatePlatform);
  const { input } = await platformOf(c);
  return ok(c, platformView(await updateInput(db(c), input.id, b)));
});

platformsRoutes.delete("/:id{[0-9]+}/platforms/:platform", async (c) => {
  await deleteInputs(db(c), [(await platformOf(c)).input.id]);
  return c.body(null, 204);
});

// Our addition: rotation. The old secret stops working at once in this isolate, within CONFIG_TTL_MS elsewhere.
platformsRoutes.post("/:id{[0-9]+}/platforms/:platform/rotate", async (c) => {
  const b = (await c.req.raw.clone().text()) ? await readBody(c, Rotate) : { new_key: false };
  const { input } = await platformOf(c);
  const accessKey = await rotateInputSecret(db(c), c.env, input.id, input.apiKey, b.new_key);
  return ok(c, platformView({ ...input, apiKey: accessKey.key }, accessKey));
});
