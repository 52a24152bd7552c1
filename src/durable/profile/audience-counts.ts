/**
 * Event counters of the audiences module in time buckets (`audience_counts`): one row per counter and bucket
 * with events. Counters start (`audience_counters.since`) by counting the history the profile keeps, so an
 * audience defined today sees the user's past events as far as the history holds what its leaf asks.
 * Growth: at most ~50–200 buckets per counter (window / bucket width), removed once out of the window.
 */
import { type Buckets, type CompiledSet, type CounterSpec, type EventFacts, eventMatches } from "../../audiences";
import type { ProfileStore } from "./store";
import type { History } from "./history";
import type { ProfileEvent } from "./types";

/** The facts of a profile event for the counters (its workspace is the batch's). */
export function factsOf(workspaceId: number, e: ProfileEvent): EventFacts {
  return { workspaceId, eventType: e.eventType.toLowerCase(), customType: e.detail?.customEventType ?? null, name: e.name, attributes: e.detail?.attributes ?? null, ts: e.ts };
}

export class AudienceCounts {
  private cache = new Map<string, Buckets>();
  /** Counters started in this profile (`audience_counters`), read once per instance. */
  private known: Set<string> | undefined;

  constructor(private readonly store: ProfileStore) {
    store.onReset(() => {
      this.cache.clear();
      this.known = undefined;
    });
  }

  /** Buckets of a counter, ascending (cached until a write to it). */
  buckets(counter: string): Buckets {
    let b = this.cache.get(counter);
    if (!b) {
      b = this.store.sql.exec<{ bucket: number; n: number }>(`SELECT bucket, n FROM audience_counts WHERE counter = ? ORDER BY bucket`, counter).toArray().map((r) => [r.bucket, r.n] as [number, number]);
      this.cache.set(counter, b);
    }
    return b;
  }

  /** Adds events to counters: one upsert per (counter, bucket), the cached buckets updated in place. */
  private addAll(hits: [CounterSpec, number][]) {
    const sums = new Map<CounterSpec, Map<number, number>>();
    for (const [c, ts] of hits) {
      const bucket = Math.floor(ts / c.bucketMs) * c.bucketMs;
      const m = sums.get(c) ?? new Map<number, number>();
      sums.set(c, m);
      m.set(bucket, (m.get(bucket) ?? 0) + 1);
    }
    const rows: [string, number, number][] = [];
    for (const [c, m] of sums) {
      const cached = this.cache.get(c.key);
      for (const [bucket, n] of m) {
        rows.push([c.key, bucket, n]);
        if (cached) addToBuckets(cached, bucket, n);
      }
    }
    if (!rows.length) return;
    // One statement whatever the number of rows (one JSON text read with json_each; `WHERE true` keeps SQLite
    // from reading ON CONFLICT as a join clause).
    this.store.sql.exec(
      `INSERT INTO audience_counts (counter, bucket, n) SELECT value ->> 0, value ->> 1, value ->> 2 FROM json_each(?) WHERE true ON CONFLICT (counter, bucket) DO UPDATE SET n = n + excluded.n`,
      JSON.stringify(rows),
    );
  }

  private knownCounters(): Set<string> {
    this.known ??= new Set(this.store.sql.exec<{ counter: string }>(`SELECT counter FROM audience_counters`).toArray().map((r) => r.counter));
    return this.known;
  }

  /**
   * Starts the set's counters this profile does not have yet from the history (type, name, time and the
   * event's detail when it was kept: docs/audiences.md "Backfill"); `exclude`: ids of this batch's events
   * (they are counted live).
   */
  start(set: CompiledSet, history: History, exclude: Set<string>, now: number): void {
    const known = this.knownCounters();
    const missing = set.counters.filter((c) => !known.has(c.key));
    if (!missing.length) return;
    const replays = new Map<number, ProfileEvent[]>();
    const hits: [CounterSpec, number][] = [];
    for (const c of missing) {
      this.store.sql.exec(`INSERT INTO audience_counters (counter, since) VALUES (?, ?)`, c.key, now);
      known.add(c.key);
      for (const ws of c.workspaceIds) {
        let events = replays.get(ws);
        if (!events) replays.set(ws, (events = history.replay(ws)));
        for (const e of events) {
          if (exclude.has(e.id) || e.ts < now - c.retentionMs - c.bucketMs || e.ts > now) continue;
          if (eventMatches(c, factsOf(ws, e))) hits.push([c, e.ts]);
        }
      }
    }
    this.addAll(hits);
  }

  /**
   * Counts a batch's events (the profile passes none for a batch part it recognised as a redelivery); with a
   * `key` (a batch not recognised by message ids) once per key as well, so a redelivered part is not counted
   * again. Events later than `now` count at `now` (clients' clocks run ahead). Returns whether any counter changed.
   */
  count(set: CompiledSet, key: string | null, events: EventFacts[], now: number): boolean {
    if (!events.length || !set.counters.length) return false;
    const hits: [CounterSpec, number][] = [];
    for (const e of events) for (const c of set.counters) if (e.ts > now - c.retentionMs - c.bucketMs && eventMatches(c, e)) hits.push([c, Math.min(e.ts, now)]);
    if (!hits.length) return false;
    if (key !== null && this.store.sql.exec(`INSERT OR IGNORE INTO audience_batches (batch_key, at) VALUES (?, ?)`, key, now).rowsWritten === 0) return false;
    this.addAll(hits);
    return true;
  }

  /** Removes buckets past every window of their counter, counters no set uses, and old batch keys. */
  prune(sets: CompiledSet[], now: number, batchKeyMs: number): void {
    const live = new Map<string, CounterSpec>();
    for (const s of sets) for (const c of s.counters) live.set(c.key, c);
    for (const { counter } of this.store.sql.exec<{ counter: string }>(`SELECT counter FROM audience_counters`).toArray()) {
      const c = live.get(counter);
      if (!c) {
        this.store.sql.exec(`DELETE FROM audience_counts WHERE counter = ?`, counter);
        this.store.sql.exec(`DELETE FROM audience_counters WHERE counter = ?`, counter);
        this.known?.delete(counter);
      } else this.store.sql.exec(`DELETE FROM audience_counts WHERE counter = ? AND bucket < ?`, counter, now - c.retentionMs - c.bucketMs);
      this.cache.delete(counter);
    }
    this.store.sql.exec(`DELETE FROM audience_batches WHERE at < ?`, now - batchKeyMs);
  }
}

/** Adds `n` to `bucket` in ascending buckets (a new bucket is inserted in order). */
export function addToBuckets(buckets: Buckets, bucket: number, n: number): void {
  let i = buckets.length;
  while (i > 0 && buckets[i - 1]![0] > bucket) i--;
  const prev = buckets[i - 1];
  if (prev && prev[0] === bucket) prev[1] += n;
  else buckets.splice(i, 0, [bucket, n]);
}
