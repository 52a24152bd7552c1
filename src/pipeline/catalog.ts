/**
 * The data catalog (Data Master "Catalog"): every event, event attribute, user attribute and identity type an
 * ingest consumer invocation saw, aggregated in memory and upserted once per invocation into `data_catalog`
 * (never a D1 write per batch). Why D1 and not a sharded Durable Object: the rows are bounded by distinct names
 * (`CATALOG_MAX_ENTRIES` per workspace), written at most once per name per invocation, and read by the
 * Platform API with plan coverage joined in — configuration-sized data that D1 serves directly.
 */
import { eventKey, type PlanEvent } from "../dataplans/match";
import { BATCH_TO_IDSYNC, IDSYNC_TO_BATCH } from "../identity/identity-types";

/** Catalog entries kept per workspace (new names beyond it are not added; existing ones keep counting). */
export const CATALOG_MAX_ENTRIES = 10_000;
/** Distinct entries one invocation writes (the rest are seen again by later invocations). */
export const CATALOG_MAX_PER_INVOCATION = 500;
/** Longest name kept (mparticle-api.md §9: event and attribute names are at most 256 characters). */
const MAX_NAME = 256;

export type CatalogKind = "event" | "event_attribute" | "user_attribute" | "identity";
type Entry = { ws: number; kind: CatalogKind; name: string; env: string; count: number; first: number; last: number };

/** The catalog name of an event: its match key for plannable types, else its event type. */
export function catalogEventName(e: PlanEvent): string {
  const key = eventKey(e);
  return (key && key.trim() ? key : String(e.event_type ?? "unknown")).slice(0, MAX_NAME);
}

/** Identity types in the batch vocabulary (`customerid` and `customer_id` are one type). */
const identityName = (k: string) => IDSYNC_TO_BATCH[BATCH_TO_IDSYNC[k] ?? ""] ?? k;

export class Catalog {
  private entries = new Map<string, Entry>();

  private add(workspaceId: number, kind: CatalogKind, name: string, environment: string, at: number, n = 1): void {
    const kept = name.slice(0, MAX_NAME);
    // Unambiguous: the workspace id is a number and the kind and environment come from fixed vocabularies; the name is last.
    const key = `${workspaceId}|${kind}|${environment}|${kept}`;
    const e = this.entries.get(key);
    if (e) {
      e.count += n;
      e.first = Math.min(e.first, at);
      e.last = Math.max(e.last, at);
    } else if (this.entries.size < CATALOG_MAX_PER_INVOCATION) this.entries.set(key, { ws: workspaceId, kind, name: kept, env: environment, count: n, first: at, last: at });
  }

  /** Records what a batch carries (before blocking: blocked data was seen too). */
  observe(workspaceId: number, batch: Record<string, unknown> & { events?: PlanEvent[] }, at: number): void {
    const env = batch.environment === "development" ? "development" : "production";
    for (const e of Array.isArray(batch.events) ? batch.events : []) {
      const name = catalogEventName(e ?? {});
      this.add(workspaceId, "event", name, env, at);
      const attrs = e?.data?.custom_attributes;
      if (attrs && typeof attrs === "object" && !Array.isArray(attrs)) for (const a of Object.keys(attrs)) this.add(workspaceId, "event_attribute", `${name}/${a}`, env, at);
    }
    const ua = batch.user_attributes;
    if (ua && typeof ua === "object" && !Array.isArray(ua)) for (const a of Object.keys(ua)) this.add(workspaceId, "user_attribute", a, env, at);
    const ids = batch.user_identities;
    if (ids && typeof ids === "object" && !Array.isArray(ids)) for (const t of Object.keys(ids)) this.add(workspaceId, "identity", identityName(t), env, at);
  }

  /** Adds another invocation part's entries. */
  merge(o: Catalog): void {
    for (const [key, e] of o.entries) {
      const mine = this.entries.get(key);
      if (mine) {
        mine.count += e.count;
        mine.first = Math.min(mine.first, e.first);
        mine.last = Math.max(mine.last, e.last);
      } else if (this.entries.size < CATALOG_MAX_PER_INVOCATION) this.entries.set(key, { ...e });
    }
  }

  /** One upsert per entry; a new name is added only while its workspace has fewer than `CATALOG_MAX_ENTRIES`. */
  statements(db: D1Database): D1PreparedStatement[] {
    const out: D1PreparedStatement[] = [];
    for (const { ws, kind, name, env, ...e } of this.entries.values()) {
      out.push(
        db
          .prepare(
            `INSERT INTO data_catalog (workspace_id, kind, name, environment, first_seen, last_seen, count)
             SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7 WHERE (SELECT count(*) FROM data_catalog WHERE workspace_id = ?1) < ${CATALOG_MAX_ENTRIES}
               OR EXISTS (SELECT 1 FROM data_catalog WHERE workspace_id = ?1 AND kind = ?2 AND name = ?3 AND environment = ?4)
             ON CONFLICT (workspace_id, kind, name, environment) DO UPDATE SET count = count + excluded.count,
               first_seen = min(first_seen, excluded.first_seen), last_seen = max(last_seen, excluded.last_seen)`,
          )
          .bind(ws, kind, name, env, e.first, e.last, e.count),
      );
    }
    return out;
  }
}
