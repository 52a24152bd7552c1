/**
 * The rules the pipeline runs, read through the in-isolate configuration cache (src/db/cache.ts): per input
 * (All-Outputs stage) and per connection, active rules only, in order, with their production version and
 * their signing secret opened. Writes through the Rules API call `invalidateConfig()`.
 */
import { createDb } from ".";
import { cached } from "./cache";
import { tryUnseal } from "../lib/sealed";
import { type AttachmentKind, loadAttachedRules } from "./queries/rules";
import type { FailureAction, RuleLocator, RuleRow, RuleVersionRow } from "./schema-rules";

export type RuleVersionSpec = { locator: RuleLocator; failureAction: FailureAction };
export type ResolvedRule = {
  id: number;
  workspaceId: number;
  name: string;
  /** What development data runs: the rule's current locator and failure action. */
  development: RuleVersionSpec;
  /** What production data runs: the latest promoted version (null: not promoted, production data skips the rule). */
  production: (RuleVersionSpec & { version: number }) | null;
  secret: string | null;
  /** Set when the sealed secret cannot be opened (calls then fail and the failure action applies). */
  secretError?: string;
};

/** A rule row with its latest version, as the pipeline runs it (secret opened). */
export async function resolveRule(env: Env, rule: RuleRow, production: RuleVersionRow | null): Promise<ResolvedRule> {
  const opened = rule.secretSealed ? await tryUnseal<string>(env, rule.secretSealed) : null;
  return {
    id: rule.id,
    workspaceId: rule.workspaceId,
    name: rule.name,
    development: { locator: rule.locator, failureAction: rule.failureAction },
    production: production ? { version: production.version, locator: production.locator, failureAction: production.failureAction } : null,
    secret: opened?.ok ? opened.value : null,
    ...(opened && !opened.ok ? { secretError: opened.reason } : {}),
  };
}

async function load(env: Env, kind: AttachmentKind, targetId: number, workspaceId: number): Promise<ResolvedRule[]> {
  const rows = await loadAttachedRules(createDb(env.DB), kind, targetId, workspaceId);
  return Promise.all(rows.map(({ rule, production }) => resolveRule(env, rule, production)));
}

/** The All-Outputs rules of an input, in order. */
export function rulesForInput(env: Env, inputId: number, workspaceId: number): Promise<ResolvedRule[]> {
  return cached(`rules:input:${inputId}:${workspaceId}`, () => load(env, "input", inputId, workspaceId));
}

/** The rules of a connection, in order. */
export function rulesForConnection(env: Env, connectionId: number, workspaceId: number): Promise<ResolvedRule[]> {
  return cached(`rules:connection:${connectionId}:${workspaceId}`, () => load(env, "connection", connectionId, workspaceId));
}
