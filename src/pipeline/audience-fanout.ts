/**
 * Fan-out of membership changes to audience outputs (docs/audience-outputs.md): each invocation's changes go to
 * the AudienceIndex shards of their audiences (one call per shard) and to the uploader of every connection of
 * those audiences (one call per connection). Connections come from the in-isolate configuration cache (one D1
 * query per audience per TTL, never per message). Both sides settle by change time, so a retried invocation
 * applies the same result again.
 */
import type { AudienceChangesMessage } from "../audiences";
import { cached } from "../db/cache";
import { createDb } from "../db";
import { audienceConnectionsOf } from "../db/queries/audience-connections";
import { type IndexChange, indexName, indexShard } from "../durable/audience-index";
import type { AudienceMember } from "../integrations/runtime/audience-types";
import type { PendingChange } from "../forward/audience-uploader";

/** Ids of the audience's connections (any status: the uploader holds changes while inactive or faulted). */
export function audienceConnectionIds(env: Env, audienceId: number): Promise<number[]> {
  return cached(`audience-conns:${audienceId}`, async () => (await audienceConnectionsOf(createDb(env.DB), [audienceId])).map((c) => c.id));
}

type Planned = { index: Map<string, IndexChange[]>; audiences: Map<number, PendingChange[]> };

/** Groups the messages' changes by index shard and by audience. */
export function planFanout(messages: AudienceChangesMessage[]): Planned {
  const index = new Map<string, IndexChange[]>();
  const audiences = new Map<number, PendingChange[]>();
  for (const m of messages) {
    const member: AudienceMember = {
      mpid: m.mpid,
      user_identities: m.member?.user_identities ?? {},
      device_identities: m.member?.device_identities ?? {},
      user_attributes: m.member?.user_attributes ?? {},
      ...(m.member?.audience_memberships ? { audience_memberships: m.member.audience_memberships } : {}),
    };
    for (const c of m.changes) {
      const key = indexName(c.audience_id, indexShard(m.mpid));
      index.set(key, [...(index.get(key) ?? []), { action: c.action, ts: c.timestamp_ms, member }]);
      const list = audiences.get(c.audience_id) ?? [];
      list.push({ action: c.action, ts: c.timestamp_ms, member, ...(m.erasure ? { forget: true } : {}) });
      audiences.set(c.audience_id, list);
    }
  }
  return { index, audiences };
}

/** Applies one invocation's changes to the index and the uploaders; throws when any call failed (the invocation is retried). */
export async function fanOutChanges(env: Env, messages: AudienceChangesMessage[]): Promise<void> {
  const plan = planFanout(messages);
  const calls: Promise<unknown>[] = [];
  for (const [name, changes] of plan.index) calls.push(env.AUDIENCE_INDEX.getByName(name).apply(changes));
  for (const [audienceId, changes] of plan.audiences) {
    for (const id of await audienceConnectionIds(env, audienceId)) calls.push(env.AUDIENCE_UPLOADER.getByName(String(id)).enqueue(id, changes));
  }
  const results = await Promise.allSettled(calls);
  const failed = results.find((r) => r.status === "rejected");
  if (failed) throw (failed as PromiseRejectedResult).reason;
}
