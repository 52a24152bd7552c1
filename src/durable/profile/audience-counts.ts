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

  constructor(private readonly store: ProfileStore) {
    store.onReset(() => this.cache.clear());
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

  private add(c: CounterSpec, ts: number, n = 1) {
    const bucket = Math.floor(ts / c.bucketMs) * c.bucketMs;
    this.store.sql.exec(`INSERT INTO audience_counts (counter, bucket, n) VALUES (?, ?, ?) ON CONFLICT (counter, bucket) DO UPDATE SET n = n + excluded.n`, c.key, bucket, n);
    this.cache.delete(c.key);
  }

  /**
   * Starts the set's counters this profile does not have yet from the history (type, name, time and the
   * event's detail when it was kept: docs/audiences.md "Backfill"); `exclude`: ids of this batch's events
   * (they are counted live).
   */
  start(set: CompiledSet, history: History, exclude: Set<string>, now: number): void {
    const known = new Set(this.store.sql.exec<{ counter: string }>(`SELECT counter FROM audience_counters`).toArray().map((r) => r.counter));
    const missing = set.counters.filter((c) => !known.has(c.key));
    if (!missing.length) return;
    const replays = new Map<number, ProfileEvent[]>();
    for (const c of missing) {
      this.store.sql.exec(`INSERT INTO audience_counters (counter, since) VALUES (?, ?)`, c.key, now);
      for (const ws of c.workspaceIds) {
        let events = replays.get(ws);
        if (!events) replays.set(ws, (events = history.replay(ws)));
        for (const e of events) {
          if (exclude.has(e.id) || e.ts < now - c.retentionMs - c.bucketMs || e.ts > now) continue;
          if (eventMatches(c, factsOf(ws, e))) this.add(c, e.ts);
        }
      }
    }
  }

  /**
   * Counts a batch's events once per batch part (`key`: a redelivered part is not counted again); events later
   * than `now` count at `now` (clients' clocks run ahead). Returns whether any counter changed.
   */
  count(set: CompiledSet, key: string, events: EventFacts[], now: number): boolean {
    if (!events.length || !set.counters.length) return false;
    const hits: [CounterSpec, number][] = [];
    for (const e of events) for (const c of set.counters) if (e.ts > now - c.retentionMs - c.bucketMs && eventMatches(c, e)) hits.push([c, Math.min(e.ts, now)]);
    if (!hits.length) return false;
    this.store.sql.exec(`INSERT OR IGNORE INTO audience_batches (batch_key, at) VALUES (?, ?)`, key, now);
    if (this.store.sql.exec<{ n: number }>(`SELECT changes() AS n`).one().n === 0) return false;
    for (const [c, ts] of hits) this.add(c, ts);
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
      } else this.store.sql.exec(`DELETE FROM audience_counts WHERE counter = ? AND bucket < ?`, counter, now - c.retentionMs - c.bucketMs);
      this.cache.delete(counter);
    }
    this.store.sql.exec(`DELETE FROM audience_batches WHERE at < ?`, now - batchKeyMs);
  }
}
