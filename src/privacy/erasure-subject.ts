/**
 * Resolves a DSR subject to MPIDs through the identity index of the request's workspace scope
 * (src/identity/config.ts `scopeName`), the way the Identity API would find them.
 */
import { workspaceSettings } from "../db/config-cache";
import { identityIndexName } from "../durable/identity-index";
import { userProfileName } from "../durable/user-profile";
import { scopeName, strategyFromSettings } from "../identity/config";
import { DEVICE_IDENTITY_TYPES, type Identity } from "../identity/identity-types";
import { key as idKey } from "../identity/strategy";
import { normalizeMpid } from "../schema/batch";
import type { DsrIdentity } from "./dsr-types";

/** An index entry whose profile does not exist and that is older than this is dangling, not a claim under way. */
export const DANGLING_CLAIM_GRACE_MS = 60_000;

/** The identity scope of a workspace and every workspace sharing it (their dead letters concern the same profiles). */
export type SubjectScope = { scope: string; workspaceId: number; workspaceIds: number[] };

export type ResolvedSubject = {
  mpids: string[];
  /** Identities of the resolved profiles, then the request's own (without `mpid`), without duplicates. */
  identities: Identity[];
  /** Index entries of the request's identities that point to a profile that no longer exists. */
  dangling: { identity: Identity; mpid: string }[];
};

/** Merges identity lists, first occurrence wins. */
export function uniqueIdentities(...lists: Identity[][]): Identity[] {
  const seen = new Map<string, Identity>();
  for (const list of lists) for (const i of list) if (!seen.has(idKey(i))) seen.set(idKey(i), { type: i.type, value: i.value });
  return [...seen.values()];
}

/** The scope of `workspaceId`, or null when the workspace does not exist. */
export async function subjectScope(env: Env, workspaceId: number): Promise<SubjectScope | null> {
  const ws = await env.DB.prepare(`SELECT w.id, w.account_id, a.organization_id FROM workspaces w JOIN accounts a ON a.id = w.account_id WHERE w.id = ?`)
    .bind(workspaceId)
    .first<{ id: number; account_id: number; organization_id: number }>();
  if (!ws) return null;
  const scopeOf = (settings: Record<string, unknown> | null, w: { id: number; account_id: number; organization_id: number }) =>
    scopeName(strategyFromSettings(settings), { organizationId: w.organization_id, accountId: w.account_id, workspaceId: w.id });
  const scope = scopeOf(await workspaceSettings(env, workspaceId), ws);
  if (scope.startsWith("ws:")) return { scope, workspaceId, workspaceIds: [workspaceId] };
  const { results } = await env.DB.prepare(`SELECT w.id, w.account_id, a.organization_id, w.settings FROM workspaces w JOIN accounts a ON a.id = w.account_id WHERE a.organization_id = ?`)
    .bind(ws.organization_id)
    .all<{ id: number; account_id: number; organization_id: number; settings: string }>();
  const workspaceIds = results.filter((w) => scopeOf(JSON.parse(w.settings) as Record<string, unknown>, w) === scope).map((w) => w.id);
  return { scope, workspaceId, workspaceIds: workspaceIds.includes(workspaceId) ? workspaceIds : [workspaceId, ...workspaceIds] };
}

/**
 * The subject's MPIDs: an `mpid` identity whose profile exists, and the profiles that hold one of the user
 * identities. Device identities add profiles only when the request names nothing but device identities: a
 * shared device (a family tablet) must not pull other people into a request that names a person, even when
 * that person's identities match nobody.
 */
export async function resolveSubject(env: Env, scope: string, requested: DsrIdentity[]): Promise<ResolvedSubject> {
  const profile = (mpid: string) => env.USER_PROFILE.getByName(userProfileName(scope, mpid));
  const summaries = new Map<string, Promise<{ exists: boolean; identities: Identity[] }>>();
  const summary = (mpid: string) => {
    if (!summaries.has(mpid)) summaries.set(mpid, profile(mpid).summary());
    return summaries.get(mpid)!;
  };
  const strong = new Set<string>();
  const weak = new Set<string>();
  const dangling: ResolvedSubject["dangling"] = [];
  const now = Date.now();
  const plain = requested.filter((i) => i.type !== "mpid");
  await Promise.all(
    requested
      .filter((i) => i.type === "mpid")
      .map(async (i) => {
        const mpid = normalizeMpid(i.value);
        if (mpid && (await summary(mpid)).exists) strong.add(mpid);
      }),
  );
  await Promise.all(
    plain.map(async (id) => {
      const owners = await env.IDENTITY_INDEX.getByName(await identityIndexName(scope, id.type, id.value)).owners();
      for (const o of owners) {
        const s = await summary(o.mpid);
        if (s.exists && s.identities.some((h) => h.type === id.type && h.value === id.value)) (DEVICE_IDENTITY_TYPES.has(id.type) ? weak : strong).add(o.mpid);
        else if (!s.exists && now - o.seenAt > DANGLING_CLAIM_GRACE_MS) dangling.push({ identity: { type: id.type, value: id.value }, mpid: o.mpid });
      }
    }),
  );
  const deviceOnly = requested.length > 0 && requested.every((i) => i.type !== "mpid" && DEVICE_IDENTITY_TYPES.has(i.type));
  const mpids = [...(deviceOnly ? weak : strong)].sort();
  const held = await Promise.all(mpids.map(async (m) => (await summary(m)).identities));
  return { mpids, identities: uniqueIdentities(...held, plain), dangling };
}
