/**
 * Attaching rules (docs/rules.md "Attaching"): GET/PUT /v1/apps/{id}/platforms/{platform}/rules (the input's
 * All-Outputs stage) and GET/PUT /v1/connections/{id}/rules, each an ordered list of rule ids of the same
 * workspace. PUT replaces the list; [] detaches every rule.
 */
import { Hono } from "hono";
import { invalidateConfig } from "../../db/config-cache";
import { connectionInAccount } from "../../db/queries/dead-letters";
import { type AttachmentKind, attachedRuleIds, rulesByIds, setAttachments } from "../../db/queries/rules";
import { ValidationError } from "../../lib/errors";
import { RuleIds } from "../../schema/rules";
import { db, found, idParam, ok, type PlatformContext, type PlatformEnv, readBody } from "./common";
import { platformOf } from "./platforms";

const view = (kind: AttachmentKind, id: number, ruleIds: number[]) => ({ [kind === "input" ? "input_id" : "connection_id"]: id, rule_ids: ruleIds });

async function put(c: PlatformContext, kind: AttachmentKind, targetId: number, workspaceId: number) {
  const ids = (await readBody(c, RuleIds)).rule_ids;
  if (new Set(ids).size !== ids.length) throw new ValidationError([{ code: "BAD_REQUEST", message: "rule_ids: each rule at most once" }]);
  const found_ = new Map((await rulesByIds(db(c), ids)).map((r) => [r.id, r]));
  const errors = ids.flatMap((id, i) => {
    const r = found_.get(id);
    if (!r) return [{ code: "BAD_REQUEST", message: `rule_ids[${i}]: rule ${id} not found` }];
    if (r.workspaceId !== workspaceId) return [{ code: "BAD_REQUEST", message: `rule_ids[${i}]: rule ${id} belongs to another workspace` }];
    return [];
  });
  if (errors.length) throw new ValidationError(errors.slice(0, 10));
  await setAttachments(db(c), kind, targetId, ids);
  invalidateConfig();
  return ok(c, view(kind, targetId, ids));
}

/** Mounted in the /apps group (before the data point routes, which would shadow it). */
export const inputRulesRoutes = new Hono<PlatformEnv>();

inputRulesRoutes.get("/:id{[0-9]+}/platforms/:platform/rules", async (c) => {
  const { input } = await platformOf(c);
  return ok(c, view("input", input.id, await attachedRuleIds(db(c), "input", input.id)));
});

inputRulesRoutes.put("/:id{[0-9]+}/platforms/:platform/rules", async (c) => {
  const { input } = await platformOf(c);
  return put(c, "input", input.id, input.workspaceId);
});

/** Mounted in the /connections group. */
export const connectionRulesRoutes = new Hono<PlatformEnv>();

async function connectionOf(c: PlatformContext) {
  return found(await connectionInAccount(db(c), c.get("account").id, idParam(c, "id")), "Connection");
}

connectionRulesRoutes.get("/:id{[0-9]+}/rules", async (c) => {
  const conn = await connectionOf(c);
  return ok(c, view("connection", conn.id, await attachedRuleIds(db(c), "connection", conn.id)));
});

connectionRulesRoutes.put("/:id{[0-9]+}/rules", async (c) => {
  const conn = await connectionOf(c);
  return put(c, "connection", conn.id, conn.workspaceId);
});
