/**
 * Hourly counters, aggregated in memory per consumer invocation and written in one D1 batch
 * (never one write per event).
 */
import { hourBucket } from "../../lib/time";

export type ConnectionCounts = {
  inbound_batches: number;
  inbound_events: number;
  forwarded_batches: number;
  forwarded_events: number;
  retries: number;
  errors_retryable: number;
  errors_permanent: number;
  dead_lettered: number;
  /** Events removed by data point filters (`applyConnectionFilters`). */
  filtered_events: number;
  /** Events not forwarded because of the connection's consent forwarding rule. */
  consent_dropped_events: number;
  /** Audience connections: members added / removed at the partner, upload requests, rows the partner rejected. */
  audience_adds: number;
  audience_removes: number;
  audience_uploads: number;
  audience_rows_rejected: number;
};
export type InputCounts = { batches: number; events: number; duplicate_batches: number; duplicate_events: number; limit_corrections: number; unknown_users_dropped: number; data_plan_not_found: number };

/** In-memory accumulator; `flush()` writes one upsert per (entity, hour). */
export class Counters {
  private conns = new Map<string, Record<string, number | undefined>>();
  private ins = new Map<string, Record<string, number | undefined>>();
  private drops = new Map<string, number>();
  private stats = new Map<string, number>();

  constructor(private now = Date.now()) {}

  connection(connectionId: number, counts: Partial<ConnectionCounts>): void {
    add(this.conns, `${connectionId}|${hourBucket(this.now)}`, counts);
  }

  input(inputId: number, counts: Partial<InputCounts>): void {
    add(this.ins, `${inputId}|${hourBucket(this.now)}`, counts);
  }

  /** Data dropped for `reason` (table `drop_counters`; reasons are short snake_case strings). */
  drop(inputId: number, reason: string, count = 1): void {
    if (!count) return;
    const key = `${inputId}|${hourBucket(this.now)}|${reason}`;
    this.drops.set(key, (this.drops.get(key) ?? 0) + count);
  }

  /** Web SDK kit forwarding statistics (table `forwarding_stat_counters`): `count` stats of a kit module and message type. */
  forwardingStat(inputId: number, moduleId: number, messageType: number, count = 1): void {
    if (!count) return;
    const key = `${inputId}|${hourBucket(this.now)}|${moduleId}|${messageType}`;
    this.stats.set(key, (this.stats.get(key) ?? 0) + count);
  }

  /** Adds another accumulator's counts (a message's counts join the invocation's only once it is acked). */
  merge(other: Counters): void {
    for (const [k, v] of other.conns) add(this.conns, k, v);
    for (const [k, v] of other.ins) add(this.ins, k, v);
    for (const [k, v] of other.drops) this.drops.set(k, (this.drops.get(k) ?? 0) + v);
    for (const [k, v] of other.stats) this.stats.set(k, (this.stats.get(k) ?? 0) + v);
  }

  /** Statements to write (empty when nothing was counted). */
  statements(db: D1Database): D1PreparedStatement[] {
    const drops = [...this.drops].map(([key, n]) => {
      const [id, hour, reason] = key.split("|");
      return db
        .prepare(`INSERT INTO drop_counters (input_id, hour, reason, count) VALUES (?, ?, ?, ?) ON CONFLICT (input_id, hour, reason) DO UPDATE SET count = count + excluded.count`)
        .bind(Number(id), hour, reason, n);
    });
    // D1 binds at most 100 parameters: 5 per forwarding stat row.
    const rows = [...this.stats].map(([key, n]) => [...key.split("|").map((v, i) => (i === 1 ? v : Number(v))), n] as (string | number)[]);
    const stats: D1PreparedStatement[] = [];
    for (let i = 0; i < rows.length; i += 20) {
      const chunk = rows.slice(i, i + 20);
      stats.push(
        db
          .prepare(
            `INSERT INTO forwarding_stat_counters (input_id, hour, module_id, message_type, count) VALUES ${chunk.map(() => "(?, ?, ?, ?, ?)").join(", ")}
             ON CONFLICT (input_id, hour, module_id, message_type) DO UPDATE SET count = count + excluded.count`,
          )
          .bind(...chunk.flat()),
      );
    }
    return [...upserts(db, "connection_counters", "connection_id", this.conns), ...upserts(db, "input_counters", "input_id", this.ins), ...drops, ...stats];
  }
}

function add(m: Map<string, Record<string, number | undefined>>, key: string, counts: Record<string, number | undefined>): void {
  const cur = m.get(key) ?? {};
  for (const [k, v] of Object.entries(counts)) if (v) cur[k] = (cur[k] ?? 0) + v;
  m.set(key, cur);
}

function upserts(db: D1Database, table: string, idColumn: string, m: Map<string, Record<string, number | undefined>>): D1PreparedStatement[] {
  const out: D1PreparedStatement[] = [];
  for (const [key, counts] of m) {
    const cols = Object.keys(counts).filter((k) => counts[k]);
    if (!cols.length) continue;
    const [id, hour] = key.split("|");
    out.push(
      db
        .prepare(
          `INSERT INTO ${table} (${idColumn}, hour, ${cols.join(", ")}) VALUES (?, ?, ${cols.map(() => "?").join(", ")})
           ON CONFLICT (${idColumn}, hour) DO UPDATE SET ${cols.map((c) => `${c} = ${c} + excluded.${c}`).join(", ")}`,
        )
        .bind(Number(id), hour, ...cols.map((c) => counts[c]!)),
    );
  }
  return out;
}
