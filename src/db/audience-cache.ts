/**
 * A workspace's audience set as profiles evaluate it, through the in-isolate configuration cache (one D1
 * batch per workspace per TTL, never per batch). The set carries its version, so a profile that already holds a
 * newer one (a sweep, another isolate) keeps it.
 */
import type { AudienceSet } from "../audiences";
import { cached } from "./cache";
import { createDb } from ".";
import { audienceSetRows } from "./queries/audiences";

/** The workspace's audiences (every audience calculated from it) at their current version. */
export function audienceSetOf(env: Env, workspaceId: number): Promise<AudienceSet> {
  return cached(`audiences:${workspaceId}`, () => loadAudienceSet(env, workspaceId));
}

/** A workspace's audience set read from D1 directly (a sweep must not use an isolate's older cached copy). */
export async function loadAudienceSet(env: Env, workspaceId: number): Promise<AudienceSet> {
  const rows = await audienceSetRows(createDb(env.DB), workspaceId);
  return { workspaceId, version: rows.version, audiences: rows.audiences.map((a) => ({ id: a.id, name: a.name, workspaceIds: a.workspaceIds, criteria: a.criteria })) };
}
