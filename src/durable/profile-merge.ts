/** Pure merge rules for UserProfile: last write wins by timestamp, deletions leave a dated tombstone. */

export type AttributeValue = string | number | boolean | (string | number | boolean | null)[] | null;
export type StoredAttribute = { value: AttributeValue; ts: number; deleted: boolean };
export type AttributeWrite = { name: string; value: AttributeValue; ts: number; deleted: boolean };

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
): AttributeWrite[] {
  const out: AttributeWrite[] = [];
  const newer = (name: string) => {
    const cur = current.get(name);
    return !cur || cur.ts <= ts;
  };
  for (const [name, value] of Object.entries(sets ?? {})) {
    if (value === undefined || !newer(name)) continue;
    out.push({ name, value, ts, deleted: false });
  }
  for (const name of deletes ?? []) {
    if (!newer(name) || sets?.[name] !== undefined) continue;
    out.push({ name, value: null, ts, deleted: true });
  }
  return out;
}

/** The live attributes after applying `writes` to `current` (tombstones removed). */
export function liveAttributes(current: Map<string, StoredAttribute>, writes: AttributeWrite[]): Record<string, AttributeValue> {
  const merged = new Map(current);
  for (const w of writes) merged.set(w.name, { value: w.value, ts: w.ts, deleted: w.deleted });
  const out: Record<string, AttributeValue> = {};
  for (const [name, a] of merged) if (!a.deleted) out[name] = a.value;
  return out;
}
