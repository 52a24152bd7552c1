/**
 * In-isolate cache for configuration read on hot paths (input by key, connections of an input, one
 * connection). A short TTL bounds staleness across isolates; writes in this isolate call
 * `invalidateConfig()`. Concurrent misses share one D1 query.
 */
import { createDb } from ".";
import { cached, CONFIG_TTL_MS } from "./cache";
import { tryUnseal } from "../lib/sealed";
import { undecryptableSecretsMessage } from "./queries/output-secrets";
import { type ConnectionRow, getConnection, listConnectionsForInput } from "./queries/connections";
import { findInputByKey, type InputContext } from "./queries/inputs";
import { storedRules } from "../schema/consent-rules";

export { CONFIG_TTL_MS, invalidateConfig, NEGATIVE_TTL_MS } from "./cache";
// The rules of an input or a connection, through the same cache (docs/rules.md).
export { type ResolvedRule, rulesForConnection, rulesForInput } from "./rules-cache";

/** The input for an API key, or null. */
export function inputByKey(env: Env, apiKey: string): Promise<InputContext | null> {
  return cached(`input:${apiKey}`, () => findInputByKey(createDb(env.DB), apiKey));
}

/** A workspace's settings (identity strategy, regulations...), or null. */
export function workspaceSettings(env: Env, workspaceId: number): Promise<Record<string, unknown> | null> {
  return cached(`ws:${workspaceId}`, async () => {
    const row = await env.DB.prepare(`SELECT settings FROM workspaces WHERE id = ?`).bind(workspaceId).first<{ settings: string }>();
    return row ? (JSON.parse(row.settings) as Record<string, unknown>) : null;
  });
}

/**
 * A connection with its output's settings merged with the decrypted secret settings, and its consent rules
 * validated (`consentRulesInvalid`: a stored rule is malformed, so nothing is forwarded on it).
 */
export type ResolvedConnection = Omit<ConnectionRow, "secretSettings"> & {
  outputSettings: Record<string, unknown>;
  consentRulesInvalid?: true;
  /** Set (the reason) when the output's secret settings cannot be decrypted: nothing is delivered on it. */
  secretsUndecryptable?: string;
};

async function resolve(env: Env, row: ConnectionRow): Promise<ResolvedConnection> {
  const { secretSettings, consentRules: raw, ...base } = row;
  const { rules, invalid } = storedRules(raw);
  const rest: ResolvedConnection = { ...base, consentRules: rules, ...(invalid ? { consentRulesInvalid: true as const } : {}) };
  if (!secretSettings) return rest;
  const secrets = await tryUnseal<Record<string, unknown>>(env, secretSettings);
  if (!secrets.ok) return { ...rest, secretsUndecryptable: undecryptableSecretsMessage(row.outputId, secrets.reason) };
  return { ...rest, outputSettings: { ...row.outputSettings, ...secrets.value } };
}

/** An input's connections live CONFIG_TTL_MS, empty or not (one function: the cache keeps one view per TTL function). */
const connectionsTtl = () => CONFIG_TTL_MS;

/** Connections of an input, with output settings resolved. */
export function connectionsForInput(env: Env, inputId: number): Promise<ResolvedConnection[]> {
  return cached(`conns:${inputId}`, async () => {
    const rows = await listConnectionsForInput(createDb(env.DB), inputId);
    return Promise.all(rows.map((r) => resolve(env, r)));
  }, connectionsTtl);
}

/** One connection with output settings resolved, or null when it no longer exists. */
export function connectionById(env: Env, id: number): Promise<ResolvedConnection | null> {
  return cached(`conn:${id}`, async () => {
    const row = await getConnection(createDb(env.DB), id);
    return row ? resolve(env, row) : null;
  });
}
