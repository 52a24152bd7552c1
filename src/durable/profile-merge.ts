/** Pure merge rules for UserProfile: last write wins by timestamp, deletions leave a dated tombstone. */

export type AttributeValue = string | number | boolean | (string | number | boolean | null)[] | null;
/** `rank` is the source type priority (lower wins, see `SOURCE_RANK`); `source` the input id. */
export type StoredAttribute = { value: AttributeValue; ts: number; deleted: boolean; rank?: number; source?: number };
export type AttributeWrite = { name: string; value: AttributeValue; ts: number; deleted: boolean; rank: number; source: number };

/**
 * Source-type priority of user attributes (seed 004): once a key was set by a higher-priority source type,
 * a lower one cannot overwrite it. SDK and server-to-server platform inputs come first, then custom
 * feeds, then partner feeds.
 */
export const SOURCE_RANK = { platform: 1, custom_feed: 2, partner_feed: 3 } as const;

/**
 * The writes to apply for a batch's `user_attributes` and `deleted_user_attributes` at time `ts`.
 * A write older than what is stored is ignored (an out-of-order batch never overwrites newer data);
 * on equal timestamps the later-processed batch wins.
 */
export function attributeWrites(
  current: Map<string, StoredAttribute>,
  sets: Record<string, AttributeValue> | undefined,
  deletes: string[] | undefined,
  ts: number,
  source: { rank: number; input: number } = { rank: SOURCE_RANK.platform, input: 0 },
): AttributeWrite[] {
  const out: AttributeWrite[] = [];
  const allowed = (name: string) => {
    const cur = current.get(name);
    if (!cur) return true;
    if ((cur.rank ?? SOURCE_RANK.platform) < source.rank) return false;
    return cur.ts <= ts;
  };
  const write = { ts, rank: source.rank, source: source.input };
  for (const [name, value] of Object.entries(sets ?? {})) {
    if (value === undefined || !allowed(name)) continue;
    out.push({ name, value, deleted: false, ...write });
  }
  for (const name of deletes ?? []) {
    if (!allowed(name) || sets?.[name] !== undefined) continue;
    out.push({ name, value: null, deleted: true, ...write });
  }
  return out;
}

/** The live attributes after applying `writes` to `current` (tombstones removed). */
export function liveAttributes(current: Map<string, StoredAttribute>, writes: AttributeWrite[]): Record<string, AttributeValue> {
  const merged = new Map(current);
  for (const w of writes) merged.set(w.name, w);
  const out: Record<string, AttributeValue> = {};
  for (const [name, a] of merged) if (!a.deleted) out[name] = a.value;
  return out;
}
