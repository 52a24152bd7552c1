/**
 * Validation counts of plan versions, aggregated in memory per ingest consumer invocation and written once
 * (one upsert per version × hour × data point × error type, one examples row per version): never a D1 write
 * per batch. Tables `plan_validation_counts` and `plan_validation_examples`; the data catalog (`catalog`) is
 * aggregated and written the same way.
 */
import { hourBucket } from "../lib/time";
import { Catalog } from "./catalog";

/** Examples kept per version (the latest). */
export const MAX_EXAMPLES = 10;

export type ValidationExample = {
  received_at: number;
  batch_id: string;
  input_id: number;
  environment: string;
  data_point: string;
  event_index?: number;
  validation_errors: unknown[];
};

export class PlanStats {
  private counts = new Map<string, number>();
  private examples = new Map<number, ValidationExample[]>();
  /** What the invocation saw (src/pipeline/catalog.ts). */
  readonly catalog = new Catalog();

  constructor(private readonly now = Date.now()) {}

  /** Counts one error of `errorType` at `dataPoint` of the version (row id). */
  count(versionRowId: number, dataPoint: string, errorType: string, n = 1): void {
    const key = JSON.stringify([versionRowId, hourBucket(this.now), dataPoint, errorType]);
    this.counts.set(key, (this.counts.get(key) ?? 0) + n);
  }

  /** Keeps an example (the latest `MAX_EXAMPLES` per version). */
  example(versionRowId: number, e: ValidationExample): void {
    const list = this.examples.get(versionRowId) ?? [];
    list.unshift(e);
    if (list.length > MAX_EXAMPLES) list.length = MAX_EXAMPLES;
    this.examples.set(versionRowId, list);
  }

  /** Adds another aggregate (a group part's) to this one. */
  merge(o: PlanStats): void {
    for (const [k, n] of o.counts) this.counts.set(k, (this.counts.get(k) ?? 0) + n);
    for (const [id, list] of o.examples) for (const e of [...list].reverse()) this.example(id, e);
    this.catalog.merge(o.catalog);
  }

  /** The upserts of the invocation. */
  statements(db: D1Database): D1PreparedStatement[] {
    const out: D1PreparedStatement[] = [];
    for (const [key, n] of this.counts) {
      const [id, hour, point, type] = JSON.parse(key) as [number, string, string, string];
      out.push(
        db
          .prepare(`INSERT INTO plan_validation_counts (version_row_id, hour, data_point, error_type, count) VALUES (?, ?, ?, ?, ?) ON CONFLICT (version_row_id, hour, data_point, error_type) DO UPDATE SET count = count + excluded.count`)
          .bind(id, hour, point, type, n),
      );
    }
    for (const [id, list] of this.examples) {
      out.push(
        db
          .prepare(`INSERT INTO plan_validation_examples (version_row_id, examples, updated_at) VALUES (?, ?, ?) ON CONFLICT (version_row_id) DO UPDATE SET examples = excluded.examples, updated_at = excluded.updated_at`)
          .bind(id, JSON.stringify(list), this.now),
      );
    }
    return [...out, ...this.catalog.statements(db)];
  }
}
