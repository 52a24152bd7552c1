/**
 * `source_request_id` dedupe per input (mparticle-api.md §1.6), kept exactly 35 days in RequestDedupe
 * Durable Objects (src/durable/request-dedupe.ts): one object per input and shard, the shard being a hash
 * of the key over REQUEST_DEDUPE_SHARDS. The first batch to claim a key owns it; a redelivery of that same
 * batch (same batch id) is not a duplicate, so a retried ingest message is processed again rather than skipped.
 * One consumer invocation makes one call per (input, shard) it has keys for, never one per batch.
 */
import { countVar, shardOf } from "../lib/shard";
import type { RequestClaim } from "../durable/request-dedupe";
import type { IngestItem } from "./messages";

/** Shards per input when REQUEST_DEDUPE_SHARDS is not set: each holds ≤ 10 GB, ~100 M keys at the measured ~100 B per key (docs/scale.md). */
export const DEFAULT_DEDUPE_SHARDS = 16;

/** The dedupe key of an item, or null when its batch has no `source_request_id`. Parts of a split batch dedupe separately. */
export function requestKey(item: IngestItem): string | null {
  const id = item.batch.source_request_id;
  if (typeof id !== "string" || id === "") return null;
  return item.part ? `${id}#${item.part.index}/${item.part.count}` : id;
}

/** The RequestDedupe object name of a key: input id and shard. */
export function dedupeObjectName(inputId: number, key: string, shards: number): string {
  return `${inputId}.${shardOf(key, shards)}`;
}

type Claim = { inputId: number; key: string; batchId: string };

/** Claims grouped by object name (one RPC each). */
export function groupClaims(claims: Claim[], shards: number): Map<string, RequestClaim[]> {
  const groups = new Map<string, RequestClaim[]>();
  for (const c of claims) {
    const name = dedupeObjectName(c.inputId, c.key, shards);
    const g = groups.get(name);
    if (g) g.push({ key: c.key, batchId: c.batchId });
    else groups.set(name, [{ key: c.key, batchId: c.batchId }]);
  }
  return groups;
}

/**
 * Claims the keys of `claims`, one call per (input, shard), all concurrently; returns the set of
 * "inputId|key|batchId" entries that are duplicates (their key belongs to another batch). While the shard
 * count is being changed (REQUEST_DEDUPE_SHARDS_PREVIOUS set for the 35 days after), keys are also looked
 * up, read-only, in their previous shard, so no duplicate slips through the change.
 */
export async function claimRequestKeys(env: Pick<Env, "REQUEST_DEDUPE" | "REQUEST_DEDUPE_SHARDS" | "REQUEST_DEDUPE_SHARDS_PREVIOUS">, claims: Claim[], now: number): Promise<Set<string>> {
  const dups = new Set<string>();
  if (claims.length === 0) return dups;
  const shards = countVar(env.REQUEST_DEDUPE_SHARDS, DEFAULT_DEDUPE_SHARDS);
  const previous = env.REQUEST_DEDUPE_SHARDS_PREVIOUS ? countVar(env.REQUEST_DEDUPE_SHARDS_PREVIOUS, shards) : shards;
  const collect = (name: string) => (found: RequestClaim[]) => {
    const input = name.slice(0, name.indexOf("."));
    for (const d of found) dups.add(`${input}|${d.key}|${d.batchId}`);
  };
  let open = claims;
  if (previous !== shards) {
    // Read-only first, so a key another batch holds in its old shard is never claimed again in the new one.
    await Promise.all([...groupClaims(claims, previous)].map(([name, group]) => env.REQUEST_DEDUPE.getByName(name).held(group, now).then(collect(name))));
    open = claims.filter((c) => !dups.has(`${c.inputId}|${c.key}|${c.batchId}`));
  }
  const calls = [...groupClaims(open, shards)].map(([name, group]) => env.REQUEST_DEDUPE.getByName(name).claim(group, now).then(collect(name)));
  // Two batches of one invocation with the same key: the object sees them in order and reports the second.
  await Promise.all(calls);
  return dups;
}
