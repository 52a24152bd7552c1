/**
 * Rule metrics and logs (docs/rules.md "Metrics and logs"): counted in memory per consumer invocation and
 * written with the invocation's one D1 batch — one upsert per rule and hour, one per non-empty latency bucket,
 * at most RULE_LOGS_PER_INVOCATION log rows per rule (and the rule's log trimmed to RULE_LOGS_KEPT). Never a row
 * per batch.
 */
import { hourBucket, HOUR_MS } from "../../lib/time";

/** Upper bounds (ms) of the latency buckets; the last bucket holds everything slower. */
export const LATENCY_BUCKETS_MS = [0, 1, 2, 3, 5, 7, 10, 15, 20, 30, 50, 75, 100, 150, 200, 300] as const;
/** Log lines one invocation writes per rule, and lines kept per rule. */
export const RULE_LOGS_PER_INVOCATION = 10;
export const RULE_LOGS_KEPT = 500;

export type RuleOutcome = "ok" | "error" | "timeout" | "throttle" | "rejected";
type Counts = { invocations: number; errors: number; throttles: number; timeouts: number; rejected: number; dropped_batches: number };
const COLUMNS = ["invocations", "errors", "throttles", "timeouts", "rejected", "dropped_batches"] as const;

/** The bucket of a latency. */
export function latencyBucket(ms: number): number {
  const i = LATENCY_BUCKETS_MS.findIndex((b) => ms <= b);
  return i < 0 ? LATENCY_BUCKETS_MS.length : i;
}

/** In-memory accumulator of one consumer invocation. */
export class RuleStats {
  private counts = new Map<number, Counts>();
  private latency = new Map<string, number>();
  private logs = new Map<number, { level: string; message: string; at: number }[]>();

  constructor(private now = Date.now()) {}

  /**
   * One call (or refused call) of `ruleId`; `dropped`: the batch did not go on; `called`: the call was made (false
   * for a refused call; true for one given up when the breaker opened, which is `rejected` too).
   */
  record(ruleId: number, outcome: RuleOutcome, ms: number | null, dropped: boolean, called = outcome !== "rejected"): void {
    const c = this.counts.get(ruleId) ?? { invocations: 0, errors: 0, throttles: 0, timeouts: 0, rejected: 0, dropped_batches: 0 };
    if (called) c.invocations++;
    if (outcome === "error") c.errors++;
    else if (outcome === "throttle") c.throttles++;
    else if (outcome === "timeout") c.timeouts++;
    else if (outcome === "rejected") c.rejected++;
    if (dropped) c.dropped_batches++;
    this.counts.set(ruleId, c);
    if (ms !== null) {
      const key = `${ruleId}|${latencyBucket(ms)}`;
      this.latency.set(key, (this.latency.get(key) ?? 0) + 1);
    }
  }

  /** Log lines of `ruleId` (kept up to RULE_LOGS_PER_INVOCATION per invocation). */
  log(ruleId: number, level: "info" | "error", lines: string[]): void {
    const l = this.logs.get(ruleId) ?? [];
    for (const message of lines) if (l.length < RULE_LOGS_PER_INVOCATION) l.push({ level, message, at: Date.now() });
    this.logs.set(ruleId, l);
  }

  /** Statements to write (empty when nothing ran). */
  statements(db: D1Database): D1PreparedStatement[] {
    const hour = hourBucket(this.now);
    const out: D1PreparedStatement[] = [];
    for (const [id, c] of this.counts) {
      out.push(
        db
          .prepare(
            `INSERT INTO rule_counters (rule_id, hour, ${COLUMNS.join(", ")}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT (rule_id, hour) DO UPDATE SET ${COLUMNS.map((k) => `${k} = ${k} + excluded.${k}`).join(", ")}`,
          )
          .bind(id, hour, ...COLUMNS.map((k) => c[k])),
      );
    }
    for (const [key, n] of this.latency) {
      const [id, bucket] = key.split("|").map(Number);
      out.push(db.prepare(`INSERT INTO rule_latency (rule_id, hour, bucket, count) VALUES (?, ?, ?, ?) ON CONFLICT (rule_id, hour, bucket) DO UPDATE SET count = count + excluded.count`).bind(id, hour, bucket, n));
    }
    for (const [id, lines] of this.logs) {
      if (!lines.length) continue;
      for (const l of lines) out.push(db.prepare(`INSERT INTO rule_logs (rule_id, level, message, created_at) VALUES (?, ?, ?, ?)`).bind(id, l.level, l.message.slice(0, 2000), l.at));
      out.push(db.prepare(`DELETE FROM rule_logs WHERE rule_id = ? AND id <= (SELECT id FROM rule_logs WHERE rule_id = ? ORDER BY id DESC LIMIT 1 OFFSET ?)`).bind(id, id, RULE_LOGS_KEPT));
    }
    return out;
  }
}

/** The latency at quantile `q` of a histogram: the upper bound of its bucket (the last bound for slower calls; null when empty). */
export function quantile(hist: number[], q: number): number | null {
  const total = hist.reduce((a, b) => a + b, 0);
  if (!total) return null;
  let seen = 0;
  for (let i = 0; i < hist.length; i++) {
    seen += hist[i]!;
    if (seen >= q * total) return LATENCY_BUCKETS_MS[Math.min(i, LATENCY_BUCKETS_MS.length - 1)]!;
  }
  return null;
}

/** A rule's metrics over the hours starting within the last 24 hours. */
export async function ruleMetrics(db: D1Database, ruleId: number, now = Date.now()) {
  const from = hourBucket(now - 23 * HOUR_MS);
  // One D1 round trip for both reads; the totals are the sums of the hours read.
  const [latency, perHour] = await db.batch([
    db.prepare(`SELECT bucket, SUM(count) AS n FROM rule_latency WHERE rule_id = ? AND hour >= ? GROUP BY bucket`).bind(ruleId, from),
    db.prepare(`SELECT hour, ${COLUMNS.join(", ")} FROM rule_counters WHERE rule_id = ? AND hour >= ? ORDER BY hour`).bind(ruleId, from),
  ]);
  const hist = Array.from({ length: LATENCY_BUCKETS_MS.length + 1 }, () => 0);
  for (const r of latency!.results as { bucket: number; n: number }[]) if (r.bucket >= 0 && r.bucket < hist.length) hist[r.bucket] = r.n;
  const hours = perHour!.results as (Counts & { hour: string })[];
  const counts = Object.fromEntries(COLUMNS.map((k) => [k, hours.reduce((s, h) => s + (h[k] ?? 0), 0)])) as Counts;
  return { from, counts, p50: quantile(hist, 0.5), p95: quantile(hist, 0.95), hist, hours };
}

/** A rule's newest log lines (newest first). */
export async function ruleLogLines(db: D1Database, ruleId: number, limit: number, since = 0) {
  const { results } = await db
    .prepare(`SELECT id, level, message, created_at FROM rule_logs WHERE rule_id = ? AND created_at >= ? ORDER BY id DESC LIMIT ?`)
    .bind(ruleId, since, limit)
    .all<{ id: number; level: string; message: string; created_at: number }>();
  return results;
}
