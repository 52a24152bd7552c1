/**
 * User attributes per workspace (timestamp, source, source priority; merge rules: `../profile-merge.ts`).
 * Table `attributes`: one row per (workspace, name), value as JSON text; grows with attribute names, not traffic.
 */
import { type AttributeValue, type AttributeWrite, attributeWrites, liveAttributes, type StoredAttribute } from "../profile-merge";
import type { ProfileStore } from "./store";

type SourceInput = { input: number; rank: number };

export class Attributes {
  /** Attributes per workspace as `of` read them; dropped when a batch adds a name. */
  private cache = new Map<number, Map<string, StoredAttribute>>();

  constructor(private readonly store: ProfileStore) {
    store.onReset(() => this.cache.clear());
  }

  /** The workspace's stored attributes (the cached map: callers do not change it). */
  of(workspaceId: number): Map<string, StoredAttribute> {
    const cached = this.cache.get(workspaceId);
    if (cached) return cached;
    const current = new Map<string, StoredAttribute>();
    for (const r of this.store.sql.exec<{ name: string; value: string | null; ts: number; deleted: number; source: number | null; rank: number | null }>(
      `SELECT name, value, ts, deleted, source, rank FROM attributes WHERE workspace_id = ?`,
      workspaceId,
    )) {
      current.set(r.name, { value: r.value === null ? null : JSON.parse(r.value), ts: r.ts, deleted: r.deleted === 1, source: r.source ?? undefined, rank: r.rank ?? undefined });
    }
    this.cache.set(workspaceId, current);
    return current;
  }

  /** Applies a batch's sets and deletes at time `ts`; returns the live attributes after it. */
  apply(workspaceId: number, sets: Record<string, AttributeValue> | undefined, deletes: string[] | undefined, ts: number, source?: SourceInput): Record<string, AttributeValue> {
    const current = this.of(workspaceId);
    const writes = attributeWrites(current, sets, deletes, ts, source);
    const live = liveAttributes(current, writes);
    this.write(workspaceId, current, writes);
    return live;
  }

  /**
   * Upserts attribute writes in multi-row statements and keeps `current` (the cached map of the workspace)
   * equal to what `of` would read back: the stored JSON text parsed again, same key order. A name
   * `current` lacks drops the cache instead (where SQLite would list it is its business).
   */
  private write(workspaceId: number, current: Map<string, StoredAttribute>, writes: AttributeWrite[]) {
    if (writes.length === 0) return;
    const rows = writes.map((w) => ({ w, text: w.deleted ? null : JSON.stringify(w.value) }));
    let keep = this.cache.get(workspaceId) === current;
    this.cache.delete(workspaceId); // until every statement succeeded
    // One statement whatever the number of writes: the rows as one JSON text read with json_each (`WHERE true`
    // keeps SQLite from reading ON CONFLICT as a join clause).
    this.store.sql.exec(
      `INSERT INTO attributes (workspace_id, name, value, ts, deleted, source, rank)
       SELECT ?, value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5 FROM json_each(?) WHERE true
       ON CONFLICT (workspace_id, name) DO UPDATE SET value = excluded.value, ts = excluded.ts, deleted = excluded.deleted, source = excluded.source, rank = excluded.rank`,
      workspaceId,
      JSON.stringify(rows.map(({ w, text }) => [w.name, text, w.ts, w.deleted ? 1 : 0, w.source ?? null, w.rank ?? null])),
    );
    for (const { w, text } of rows) {
      if (!current.has(w.name)) keep = false;
      if (!keep) break;
      current.set(w.name, { value: text === null ? null : storedValue(w.value, text), ts: w.ts, deleted: w.deleted, source: w.source, rank: w.rank });
    }
    if (keep) this.cache.set(workspaceId, current);
  }

  /** The live attributes of a workspace with their timestamps and sources. */
  view(workspaceId: number): { attributes: Record<string, AttributeValue>; attributeSources: Record<string, { ts: number; source: number | null; rank: number }> } {
    const attributes: Record<string, AttributeValue> = {};
    const attributeSources: Record<string, { ts: number; source: number | null; rank: number }> = {};
    for (const [name, a] of this.of(workspaceId)) {
      if (a.deleted) continue;
      attributes[name] = a.value;
      attributeSources[name] = { ts: a.ts, source: a.source ?? null, rank: a.rank ?? 1 };
    }
    return { attributes, attributeSources };
  }

  /** The workspace's live attributes, for an export. */
  exportRows(workspaceId: number): { name: string; value: AttributeValue; updated_ms: number; source_input_id: number | null }[] {
    return this.store.sql
      .exec<{ name: string; value: string | null; ts: number; source: number | null }>(`SELECT name, value, ts, source FROM attributes WHERE workspace_id = ? AND deleted = 0 ORDER BY name`, workspaceId)
      .toArray()
      .map((r) => ({ name: r.name, value: r.value === null ? null : (JSON.parse(r.value) as AttributeValue), updated_ms: r.ts, source_input_id: r.source }));
  }
}

/** What `JSON.parse(text)` gives back for `value` (`text` is its JSON): strings, booleans and finite numbers as they are. */
function storedValue(value: AttributeValue, text: string): AttributeValue {
  if (typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number" && Number.isFinite(value) && !Object.is(value, -0)) return value;
  return JSON.parse(text) as AttributeValue;
}
