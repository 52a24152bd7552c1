/** Rules, their production versions and attachments (Platform API /v1/rules; docs/rules.md). */
import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "..";
import { workspaces } from "../schema";
import { type FailureAction, type RuleLocator, type RuleRow, ruleAttachments, rules, ruleVersions } from "../schema-rules";

/** mParticle keeps at most 50 versions per rule (transforms-rules.md §2.7). */
export const MAX_RULE_VERSIONS = 50;

export type AttachmentKind = "input" | "connection";

/** The rule if its workspace belongs to `accountId`, else null. */
export async function ruleInAccount(db: Db, accountId: number, id: number): Promise<RuleRow | null> {
  const rows = await db
    .select({ rule: rules })
    .from(rules)
    .innerJoin(workspaces, eq(workspaces.id, rules.workspaceId))
    .where(and(eq(rules.id, id), eq(workspaces.accountId, accountId)))
    .limit(1);
  return rows[0]?.rule ?? null;
}

/** Every rule of an account's workspaces (or of one workspace). */
export async function listRules(db: Db, accountId: number, workspaceId?: number): Promise<RuleRow[]> {
  const rows = await db
    .select({ rule: rules })
    .from(rules)
    .innerJoin(workspaces, eq(workspaces.id, rules.workspaceId))
    .where(and(eq(workspaces.accountId, accountId), workspaceId === undefined ? undefined : eq(rules.workspaceId, workspaceId)))
    .orderBy(asc(rules.id));
  return rows.map((r) => r.rule);
}

export type RuleValues = { workspaceId: number; name: string; description: string; failureAction: FailureAction; status: "active" | "inactive"; locator: RuleLocator; secretSealed: string | null };

export async function insertRule(db: Db, v: RuleValues): Promise<RuleRow> {
  const [row] = await db.insert(rules).values(v).returning();
  return row!;
}

export async function updateRule(db: Db, id: number, v: Partial<RuleValues>): Promise<RuleRow> {
  const [row] = await db.update(rules).set({ ...v, updatedAt: Date.now() }).where(eq(rules.id, id)).returning();
  return row!;
}

/** Deletes a rule, its versions and every attachment of it in one batch. */
export async function deleteRule(db: Db, id: number): Promise<void> {
  await db.batch([db.delete(ruleAttachments).where(eq(ruleAttachments.ruleId, id)), db.delete(ruleVersions).where(eq(ruleVersions.ruleId, id)), db.delete(rules).where(eq(rules.id, id))]);
}

/** Every version of the given rules (one query), for lists. */
export function versionsOf(db: Db, ruleIds: number[]) {
  return ruleIds.length ? db.select().from(ruleVersions).where(inArray(ruleVersions.ruleId, ruleIds)) : Promise.resolve([]);
}

export function listVersions(db: Db, ruleId: number) {
  return db.select().from(ruleVersions).where(eq(ruleVersions.ruleId, ruleId)).orderBy(desc(ruleVersions.version));
}

/** Freezes the rule's locator and failure action as the next version; null when MAX_RULE_VERSIONS exist. */
export async function promote(db: Db, rule: RuleRow) {
  const [agg] = await db.select({ n: sql<number>`count(*)`, max: sql<number>`coalesce(max(${ruleVersions.version}), 0)` }).from(ruleVersions).where(eq(ruleVersions.ruleId, rule.id));
  if ((agg?.n ?? 0) >= MAX_RULE_VERSIONS) return null;
  const [row] = await db.insert(ruleVersions).values({ ruleId: rule.id, version: (agg?.max ?? 0) + 1, locator: rule.locator, failureAction: rule.failureAction }).returning();
  return row!;
}

/** Ordered rule ids attached to an input (All-Outputs stage) or a connection. */
export async function attachedRuleIds(db: Db, kind: AttachmentKind, targetId: number): Promise<number[]> {
  const rows = await db.select({ ruleId: ruleAttachments.ruleId }).from(ruleAttachments).where(and(eq(ruleAttachments.kind, kind), eq(ruleAttachments.targetId, targetId))).orderBy(asc(ruleAttachments.position));
  return rows.map((r) => r.ruleId);
}

/** Replaces the ordered rules of a target in one batch. */
export async function setAttachments(db: Db, kind: AttachmentKind, targetId: number, ruleIds: number[]): Promise<void> {
  const del = db.delete(ruleAttachments).where(and(eq(ruleAttachments.kind, kind), eq(ruleAttachments.targetId, targetId)));
  if (!ruleIds.length) {
    await del;
    return;
  }
  await db.batch([del, db.insert(ruleAttachments).values(ruleIds.map((ruleId, position) => ({ kind, targetId, position, ruleId })))]);
}

/** The rules among `ids` that exist, with their workspace. */
export function rulesByIds(db: Db, ids: number[]) {
  return ids.length ? db.select().from(rules).where(inArray(rules.id, ids)) : Promise.resolve([] as RuleRow[]);
}

/** Where a rule is attached. */
export function attachmentsOfRule(db: Db, ruleId: number) {
  return db.select({ kind: ruleAttachments.kind, targetId: ruleAttachments.targetId, position: ruleAttachments.position }).from(ruleAttachments).where(eq(ruleAttachments.ruleId, ruleId)).orderBy(asc(ruleAttachments.kind), asc(ruleAttachments.targetId));
}

/**
 * The active rules attached to a target, in order, with their latest production version: what the pipeline
 * runs. Rules of another workspace than `workspaceId` are left out (the API refuses them; this is the guard).
 */
export async function loadAttachedRules(db: Db, kind: AttachmentKind, targetId: number, workspaceId: number) {
  const ids = await attachedRuleIds(db, kind, targetId);
  if (!ids.length) return [];
  const rows = (await rulesByIds(db, ids)).filter((r) => r.status === "active" && r.workspaceId === workspaceId);
  const versions = await versionsOf(db, rows.map((r) => r.id));
  const latest = new Map<number, (typeof versions)[number]>();
  for (const v of versions) if ((latest.get(v.ruleId)?.version ?? 0) < v.version) latest.set(v.ruleId, v);
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => {
    const r = byId.get(id);
    return r ? [{ rule: r, production: latest.get(id) ?? null }] : [];
  });
}
