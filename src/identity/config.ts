/**
 * Identity configuration from workspace and input settings (JSON columns in D1): the workspace's
 * strategy under `settings.identity`, the input's protection level and key-only auth.
 */
import { z } from "zod";
import type { InputContext } from "../db/queries/inputs";
import { DEFAULT_STRATEGY, type StrategyConfig } from "./strategy";

const identityKey = z.string().min(1).max(64);
/** Most identity types in one strategy list (our bound: there are 33 IDSync identity types). */
const MAX_STRATEGY_TYPES = 50;
const identityKeys = z.array(identityKey).max(MAX_STRATEGY_TYPES);

/** `workspaces.settings.identity`: every field optional, defaults from DEFAULT_STRATEGY. */
export const strategySettingsSchema = z
  .object({
    strategy: z.enum(["profile_conversion", "profile_link", "profile_isolation", "best_match"]).describe("IDSync identity strategy."),
    uniqueIds: identityKeys.describe("IDSync identity types of which only one profile may hold a value."),
    loginIds: identityKeys.describe("IDSync identity types that log a user in."),
    immutableIds: identityKeys.describe("Unique login ids whose value never changes (Profile API resolve)."),
    priority: identityKeys.describe("Lookup order of identity types."),
    scope: z.enum(["organization", "account", "workspace"]).describe("Where profiles are shared: the organization (default), the account or the workspace."),
  })
  .partial();

/** The workspace's strategy (invalid settings fall back to the default, field by field). */
export function strategyFromSettings(settings: Record<string, unknown> | null | undefined): StrategyConfig {
  const parsed = strategySettingsSchema.safeParse(settings?.identity ?? {});
  const s = parsed.success ? parsed.data : {};
  const strategy = s.strategy ?? DEFAULT_STRATEGY.strategy;
  const best = strategy === "best_match";
  const immutableIds = best ? [] : (s.immutableIds ?? DEFAULT_STRATEGY.immutableIds);
  return {
    strategy,
    // Immutable ids are unique and login ids by definition; best match has neither.
    uniqueIds: best ? [] : [...new Set([...(s.uniqueIds ?? DEFAULT_STRATEGY.uniqueIds), ...immutableIds])],
    loginIds: best ? [] : [...new Set([...(s.loginIds ?? DEFAULT_STRATEGY.loginIds), ...immutableIds])],
    immutableIds,
    priority: s.priority ?? DEFAULT_STRATEGY.priority,
    scope: s.scope ?? DEFAULT_STRATEGY.scope,
  };
}

/** The object-name prefix of the identity scope. */
export function scopeName(config: StrategyConfig, ids: { organizationId: number; accountId: number; workspaceId: number }): string {
  if (config.scope === "workspace") return `ws:${ids.workspaceId}`;
  if (config.scope === "account") return `acct:${ids.accountId}`;
  return `org:${ids.organizationId}`;
}

export type ProtectionLevel = "create_update" | "update_only" | "read_only";

/** Input protection level (seed 004); default Create & Update. */
export function protectionLevel(input: Pick<InputContext, "settings">): ProtectionLevel {
  const p = input.settings?.protectionLevel;
  return p === "update_only" || p === "read_only" ? p : "create_update";
}

/**
 * Whether a request with this input's public key alone may change identities as mParticle lets it (modify a
 * login identity, take one another profile holds, replace identities from batches): the input setting
 * `allowPublicKeyIdentityChanges`, off by default (src/identity/public-key.ts, docs/security.md).
 */
export function publicKeyIdentityChangesAllowed(input: Pick<InputContext, "settings">): boolean {
  return input.settings?.allowPublicKeyIdentityChanges === true;
}

/** Whether key-only Identity API auth (`x-mp-key` alone) is allowed: on by default for web inputs, off otherwise. */
export function keyOnlyAuthAllowed(input: Pick<InputContext, "settings" | "platform">): boolean {
  const v = input.settings?.keyOnlyAuth;
  return typeof v === "boolean" ? v : input.platform === "web";
}
