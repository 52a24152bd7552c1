/**
 * Rules API (docs/rules.md "API"): /v1/rules CRUD, versions and promote. A rule belongs to one workspace of the
 * account; an HTTPS rule's signing secret is returned once (create, a new HTTPS locator, rotate_secret) and
 * kept sealed (src/lib/sealed.ts). Every write invalidates the configuration cache of this isolate; other
 * isolates see it within CONFIG_TTL_MS.
 */
import { Hono } from "hono";
import { invalidateConfig } from "../../db/config-cache";
import { listWorkspaces, workspaceInAccount } from "../../db/queries/workspaces";
import { attachmentsOfRule, deleteRule, insertRule, listRules, listVersions, MAX_RULE_VERSIONS, promote, ruleInAccount, updateRule, versionsOf } from "../../db/queries/rules";
import type { RuleRow, RuleVersionRow } from "../../db/schema-rules";
import { ValidationError } from "../../lib/errors";
import { seal } from "../../lib/sealed";
import { newRuleSecret } from "../../rules/signing";
import { CreateRule, UpdateRule } from "../../schema/rules";
import { ConflictError, db, found, idParam, ok, type PlatformContext, type PlatformEnv, readBody } from "./common";

export function ruleView(r: RuleRow, versions: RuleVersionRow[] = [], secret?: string) {
  return {
    id: r.id,
    workspace_id: r.workspaceId,
    name: r.name,
    description: r.description,
    failure_action: r.failureAction,
    status: r.status,
    locator: r.locator,
    production_version: versions.reduce((n, v) => Math.max(n, v.version), 0) || null,
    ...(secret ? { signing_secret: secret } : {}),
    created_at: r.createdAt,
    updated_at: r.updatedAt,
  };
}

export const versionView = (v: RuleVersionRow) => ({ version: v.version, locator: v.locator, failure_action: v.failureAction, created_at: v.createdAt });

/** The rule of the path in the caller's account, or 404. */
export async function ruleOf(c: PlatformContext): Promise<RuleRow> {
  return found(await ruleInAccount(db(c), c.get("account").id, idParam(c, "id")), "Rule");
}

async function workspaceFor(c: PlatformContext, id?: number): Promise<number> {
  const accountId = c.get("account").id;
  if (id !== undefined) return found(await workspaceInAccount(db(c), accountId, id), "Workspace").id;
  const first = (await listWorkspaces(db(c), accountId))[0];
  if (!first) throw new ValidationError([{ code: "BAD_REQUEST", message: "workspace_id: the account has no workspace" }]);
  return first.id;
}

export const rulesRoutes = new Hono<PlatformEnv>();

rulesRoutes.get("/", async (c) => {
  const ws = c.req.query("workspace_id");
  const workspaceId = ws === undefined ? undefined : Number(ws);
  if (workspaceId !== undefined && !Number.isSafeInteger(workspaceId)) throw new ValidationError([{ code: "BAD_REQUEST", message: "workspace_id must be an integer" }]);
  const rows = await listRules(db(c), c.get("account").id, workspaceId);
  const versions = await versionsOf(db(c), rows.map((r) => r.id));
  return ok(c, rows.map((r) => ruleView(r, versions.filter((v) => v.ruleId === r.id))));
});

rulesRoutes.post("/", async (c) => {
  const b = await readBody(c, CreateRule);
  const workspaceId = await workspaceFor(c, b.workspace_id);
  const secret = b.locator.type === "https" ? newRuleSecret() : undefined;
  const row = await insertRule(db(c), {
    workspaceId,
    name: b.name,
    description: b.description ?? "",
    failureAction: b.failure_action,
    status: b.status ?? "active",
    locator: b.locator,
    secretSealed: secret ? await seal(c.env, secret) : null,
  });
  invalidateConfig();
  return ok(c, ruleView(row, [], secret), 201);
});

rulesRoutes.get("/:id{[0-9]+}", async (c) => {
  const r = await ruleOf(c);
  return ok(c, { ...ruleView(r, await listVersions(db(c), r.id)), attachments: (await attachmentsOfRule(db(c), r.id)).map((a) => ({ kind: a.kind, id: a.targetId, position: a.position })) });
});

rulesRoutes.put("/:id{[0-9]+}", async (c) => {
  const b = await readBody(c, UpdateRule);
  const r = await ruleOf(c);
  if (b.workspace_id !== undefined && b.workspace_id !== r.workspaceId) throw new ValidationError([{ code: "BAD_REQUEST", message: "workspace_id: a rule cannot move to another workspace" }]);
  const locator = b.locator ?? r.locator;
  // A new secret when the rule becomes HTTPS or one is asked for; a service binding needs none.
  const fresh = locator.type === "https" && (r.locator.type !== "https" || !r.secretSealed || b.rotate_secret) ? newRuleSecret() : undefined;
  if (b.rotate_secret && locator.type !== "https") throw new ValidationError([{ code: "BAD_REQUEST", message: "rotate_secret: only HTTPS rules have a signing secret" }]);
  const row = await updateRule(db(c), r.id, {
    ...(b.name !== undefined ? { name: b.name } : {}),
    ...(b.description !== undefined ? { description: b.description } : {}),
    ...(b.failure_action ? { failureAction: b.failure_action } : {}),
    ...(b.status ? { status: b.status } : {}),
    locator,
    secretSealed: locator.type === "https" ? (fresh ? await seal(c.env, fresh) : r.secretSealed) : null,
  });
  invalidateConfig();
  return ok(c, ruleView(row, await listVersions(db(c), r.id), fresh));
});

rulesRoutes.delete("/:id{[0-9]+}", async (c) => {
  await deleteRule(db(c), (await ruleOf(c)).id);
  invalidateConfig();
  return c.body(null, 204);
});

rulesRoutes.get("/:id{[0-9]+}/versions", async (c) => ok(c, (await listVersions(db(c), (await ruleOf(c)).id)).map(versionView)));

rulesRoutes.post("/:id{[0-9]+}/promote", async (c) => {
  const r = await ruleOf(c);
  const v = await promote(db(c), r);
  if (!v) throw new ConflictError(`Rule ${r.id} already has ${MAX_RULE_VERSIONS} versions (the most a rule keeps).`);
  invalidateConfig();
  return ok(c, versionView(v), 201);
});
