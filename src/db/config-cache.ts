/**
 * In-isolate cache for configuration read on hot paths (input by key, connections of an input, one
 * connection). A short TTL bounds staleness across isolates; writes in this isolate call
 * `invalidateConfig()`. Concurrent misses share one D1 query.
 */
import { createDb } from ".";
import { decryptJson } from "../lib/crypto";
import { type ConnectionRow, getConnection, listConnectionsForInput } from "./queries/connections";
import { findInputByKey, type InputContext } from "./queries/inputs";
import { storedRules } from "../privacy/rules";

/** How long a configuration read is reused in one isolate. */
export const CONFIG_TTL_MS = 30_000;
/** Unknown API keys are remembered briefly so bad credentials cannot make a D1 query per request. */
export const NEGATIVE_TTL_MS = 5_000;

type Entry = { expires: number; value: Promise<unknown> };
const cache = new Map<string, Entry>();

/** `load()` through the isolate cache under `key` (shared by `plan-cache.ts`). */
export function cached<T>(key: string, load: () => Promise<T>, ttl = (v: T) => (v == null ? NEGATIVE_TTL_MS : CONFIG_TTL_MS)): Promise<T> {
  const now = Date.now();
  const hit = cache.get(key);
  if (hit && hit.expires > now) return hit.value as Promise<T>;
  const value = load();
  const entry: Entry = { expires: now + CONFIG_TTL_MS, value };
  cache.set(key, entry);
  value.then(
    (v) => (entry.expires = now + ttl(v)),
    () => cache.delete(key), // never cache a failed read
  );
  return value;
}

/** Drops every cached configuration entry (call after a configuration write). */
export function invalidateConfig(): void {
  cache.clear();
}

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
export type ResolvedConnection = Omit<ConnectionRow, "secretSettings"> & { outputSettings: Record<string, unknown>; consentRulesInvalid?: true };

async function resolve(env: Env, row: ConnectionRow): Promise<ResolvedConnection> {
  const { secretSettings, consentRules: raw, ...base } = row;
  const { rules, invalid } = storedRules(raw);
  const rest: ResolvedConnection = { ...base, consentRules: rules, ...(invalid ? { consentRulesInvalid: true as const } : {}) };
  if (!secretSettings) return rest;
  const secrets = await decryptJson<Record<string, unknown>>(env.CONFIG_ENCRYPTION_KEY, secretSettings);
  return { ...rest, outputSettings: { ...row.outputSettings, ...secrets } };
}

/** Connections of an input, with output settings resolved. */
export function connectionsForInput(env: Env, inputId: number): Promise<ResolvedConnection[]> {
  return cached(`conns:${inputId}`, async () => {
    const rows = await listConnectionsForInput(createDb(env.DB), inputId);
    return Promise.all(rows.map((r) => resolve(env, r)));
  }, () => CONFIG_TTL_MS);
}

/** One connection with output settings resolved, or null when it no longer exists. */
export function connectionById(env: Env, id: number): Promise<ResolvedConnection | null> {
  return cached(`conn:${id}`, async () => {
    const row = await getConnection(createDb(env.DB), id);
    return row ? resolve(env, row) : null;
  });
}
