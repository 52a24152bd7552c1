/**
 * Profile API (mparticle-api.md §4): GET /userprofile/v1/{orgId}/{accountId}/{workspaceId}/{mpid}?fields=…,
 * POST /userprofile/v1/resolve/{orgId}/{accountId}/{workspaceId} by immutable id, and a support search by
 * any identity value (GET /userprofile/v1/search/{orgId}/{accountId}/{workspaceId}?value=…[&type=…]).
 * Mounted at /userprofile/v1. Bearer token from POST /oauth/token; the token's organization must own the path.
 */
import { type Context, Hono } from "hono";
import { z } from "zod";
import { createDb } from "../db";
import { workspaceInOrganization } from "../db/queries/workspaces";
import { identityIndexName } from "../durable/identity-index";
import { userProfileName } from "../durable/user-profile";
import { identityContextFor } from "../identity/context";
import { BATCH_TO_IDSYNC } from "../identity/identity-types";
import { AppError, NotFoundError, ValidationError } from "../lib/errors";
import { bearerAuth, type BearerEnv } from "../middleware/oauth";
import { normalizeMpid } from "../schema/batch";
import { IDSYNC_TYPES, issues, MAX_IDENTITY_VALUE_LENGTH } from "../schema/identity";
import { parseJsonBody } from "../lib/json-body";
import { calculatedSpecs } from "../db/ca-cache";
import { PROFILE_FIELDS, type ProfileField, profileBody, profileJson } from "../profile/view";

/** Largest Profile API body (our bound; the resolve body is one identity: `{"identity":{"type","value"}}`). */
export const PROFILE_MAX_BODY_BYTES = 16 * 1024;

/** POST /resolve body: one identity (extra fields ignored, as mParticle's clients may send them). */
export const resolveBodySchema = z.looseObject({
  identity: z.looseObject({ type: z.string().min(1).max(64), value: z.string().min(1).max(MAX_IDENTITY_VALUE_LENGTH) }),
});

export const profileRoutes = new Hono<BearerEnv>();
profileRoutes.use("*", bearerAuth());

type Scope = { scope: string; workspaceId: number; immutableIds: string[] };

/** Checks org/account/workspace belong together and to the token; returns the identity scope. */
async function scopeOf(c: Context<BearerEnv>): Promise<Scope> {
  const [org, acct, ws] = ["orgId", "accountId", "workspaceId"].map((k) => Number(c.req.param(k)));
  if (![org, acct, ws].every((n) => Number.isSafeInteger(n) && n! > 0)) throw new ValidationError([{ code: "BAD_REQUEST", message: "orgId, accountId and workspaceId must be positive integers." }]);
  if (org !== c.get("token").organizationId) throw new AppError(403, "FORBIDDEN", "The access token is not for this organization.");
  if (!(await workspaceInOrganization(createDb(c.env.DB), org!, acct!, ws!))) throw new NotFoundError(`Workspace ${ws} not found in account ${acct}.`);
  const { config, scope } = await identityContextFor(c.env, { organizationId: org!, accountId: acct!, workspaceId: ws! });
  return { scope, workspaceId: ws!, immutableIds: config.immutableIds };
}

/** `fields=` is required: a comma-separated list of PROFILE_FIELDS. */
function fieldsOf(c: Context): Set<ProfileField> {
  const raw = c.req.query("fields");
  if (!raw) throw new ValidationError([{ code: "BAD_REQUEST", message: `fields: required, comma-separated: ${PROFILE_FIELDS.join(", ")}.` }]);
  const list = raw.split(",").map((f) => f.trim()).filter(Boolean);
  const bad = list.filter((f) => !(PROFILE_FIELDS as readonly string[]).includes(f));
  if (bad.length) throw new ValidationError([{ code: "BAD_REQUEST", message: `fields: unknown field ${bad.join(", ")}.` }]);
  return new Set(list as ProfileField[]);
}

async function answer(c: Context<BearerEnv>, s: Scope, mpid: string, fields: Set<ProfileField>) {
  const view = await c.env.USER_PROFILE.getByName(userProfileName(s.scope, mpid)).profile(s.workspaceId, { calculatedAttributes: await calculatedSpecs(c.env, s.workspaceId) });
  if (!view) throw new NotFoundError(`No user with mpid ${mpid}.`);
  return c.body(profileJson(view, fields), 200, { "Content-Type": "application/json" });
}

/** Support search: profiles holding an identity value (exact match), of one type or of any type. */
profileRoutes.get("/search/:orgId/:accountId/:workspaceId", async (c) => {
  const s = await scopeOf(c);
  const value = c.req.query("value");
  if (!value) throw new ValidationError([{ code: "BAD_REQUEST", message: "value: required." }]);
  const t = c.req.query("type");
  const types = t ? [BATCH_TO_IDSYNC[t] ?? t] : [...IDSYNC_TYPES];
  if (t && !(IDSYNC_TYPES as readonly string[]).includes(types[0]!)) throw new ValidationError([{ code: "BAD_REQUEST", message: `type: unknown identity type "${t}".` }]);
  const owners = new Set<string>();
  if (!t && normalizeMpid(value)) owners.add(normalizeMpid(value)!);
  await Promise.all(types.map(async (type) => (await c.env.IDENTITY_INDEX.getByName(await identityIndexName(s.scope, type, value)).lookup()).forEach((m) => owners.add(m))));
  const users = [];
  for (const mpid of owners) {
    const view = await c.env.USER_PROFILE.getByName(userProfileName(s.scope, mpid)).profile(s.workspaceId, { calculatedAttributes: await calculatedSpecs(c.env, s.workspaceId) });
    // Keep only profiles that still hold the value (the index may list a value a profile replaced).
    if (view && (view.mpid === value || view.identities.some((i) => i.value === value))) users.push(profileBody(view, new Set(["user_identities", "device_identities"])));
  }
  return c.json({ users }, 200);
});

profileRoutes.get("/:orgId/:accountId/:workspaceId/:mpid", async (c) => {
  const s = await scopeOf(c);
  const fields = fieldsOf(c);
  const mpid = normalizeMpid(c.req.param("mpid"));
  if (!mpid) throw new ValidationError([{ code: "BAD_REQUEST", message: "mpid: must be a non-zero signed 64-bit integer." }]);
  return answer(c, s, mpid, fields);
});

profileRoutes.post("/resolve/:orgId/:accountId/:workspaceId", async (c) => {
  const s = await scopeOf(c);
  const fields = fieldsOf(c);
  const parsed = resolveBodySchema.safeParse(parseJsonBody(await c.req.text()));
  if (!parsed.success) throw new ValidationError(issues(parsed.error));
  const { type, value } = parsed.data.identity;
  const idsync = BATCH_TO_IDSYNC[type] ?? type;
  if (!s.immutableIds.includes(idsync)) throw new ValidationError([{ code: "BAD_REQUEST", message: `identity.type: ${type} is not an immutable identity type of this workspace.` }]);
  // The first owner whose profile still holds the value (an index entry may outlive a replaced value).
  for (const owner of await c.env.IDENTITY_INDEX.getByName(await identityIndexName(s.scope, idsync, value)).lookup()) {
    const view = await c.env.USER_PROFILE.getByName(userProfileName(s.scope, owner)).profile(s.workspaceId, { calculatedAttributes: await calculatedSpecs(c.env, s.workspaceId) });
    if (view?.identities.some((i) => i.type === idsync && i.value === value)) return c.body(profileJson(view, fields), 200, { "Content-Type": "application/json" });
  }
  throw new NotFoundError("No user has this identity.");
});

