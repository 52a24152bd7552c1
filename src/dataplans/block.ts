/**
 * Blocking of unplanned data (§7.3): per version, unplanned events, event attributes, user attributes and
 * user identities can be blocked; nothing else ever is (invalid values and missing required data are only
 * reported). What counts as planned follows the Web SDK's kit blocker (§7.4): attributes are unplanned only
 * where the plan closes them with `additionalProperties: false` (identity types compared through
 * `identityName`, so `customerid` plans `customer_id`); events only of plannable types (custom,
 * screen view, commerce; §7.2: sessions, state transitions and attribution are not plannable).
 */
import { eventKey, eventName, type PlanEvent } from "./match";
import type { PlanBlocking } from "./settings";
import type { CompiledPlan } from "./validator";

/** What was blocked of one batch (sent to the quarantine connection with the original batch). */
export type BlockedData = {
  events: { index: number; key: string; name: string }[];
  event_attributes: { index: number; key: string; attributes: string[] }[];
  user_attributes: string[];
  user_identities: string[];
};

type Batch = Record<string, unknown> & { events?: PlanEvent[] };

const PLANNABLE = new Set(["custom_event", "screen_view", "commerce_event"]);

/** Names a closed object schema allows: `true` = anything, else the set of planned names. */
function allowed(schema: unknown): true | Set<string> {
  if (!schema || typeof schema !== "object") return true;
  const s = schema as { additionalProperties?: unknown; properties?: Record<string, unknown> };
  if (s.additionalProperties !== false) return true;
  return new Set(Object.keys(s.properties ?? {}));
}

/** Planned custom attribute names of an event's data point (`true` = any). */
function eventAttributesAllowed(definition: Record<string, unknown>): true | Set<string> {
  const data = (definition.properties as Record<string, { properties?: Record<string, unknown>; additionalProperties?: unknown }> | undefined)?.data;
  const custom = data?.properties?.custom_attributes;
  if (custom) return allowed(custom);
  return data?.additionalProperties === false ? new Set() : true;
}

const same = (k: string) => k;

/** Removes the keys of `obj` not in `ok` (compared as `name(k)`); returns the removed names. */
function strip(obj: Record<string, unknown>, ok: true | Set<string>, name: (k: string) => string = same): [Record<string, unknown>, string[]] {
  if (ok === true) return [obj, []];
  const planned = name === same ? ok : new Set([...ok].map(name));
  const removed = Object.keys(obj).filter((k) => !planned.has(name(k)));
  if (!removed.length) return [obj, []];
  return [Object.fromEntries(Object.entries(obj).filter(([k]) => planned.has(name(k)))), removed];
}

/**
 * The batch with blocked data removed (a new object; the input is not changed), the original index of every
 * kept event, and what was blocked (null when nothing was).
 */
export function applyBlocking(plan: CompiledPlan, blok: PlanBlocking, batch: Batch, identityName: (k: string) => string = same): { batch: Batch; indexes: number[]; blocked: BlockedData | null } {
  const blocked: BlockedData = { events: [], event_attributes: [], user_attributes: [], user_identities: [] };
  const events: PlanEvent[] = [];
  const indexes: number[] = [];
  const source = Array.isArray(batch.events) ? batch.events : [];
  for (let i = 0; i < source.length; i++) {
    let e = source[i]!;
    const key = PLANNABLE.has(String(e?.event_type)) ? eventKey(e) : null;
    const point = key ? plan.points.get(key) : undefined;
    if (key && !point && blok.ev) {
      blocked.events.push({ index: i, key, name: eventName(e) });
      continue;
    }
    const attrs = e?.data?.custom_attributes;
    if (point && blok.ea && attrs && typeof attrs === "object" && !Array.isArray(attrs)) {
      const [kept, removed] = strip(attrs as Record<string, unknown>, eventAttributesAllowed(point.schema));
      if (removed.length) {
        blocked.event_attributes.push({ index: i, key: key!, attributes: removed });
        e = { ...e, data: { ...e.data, custom_attributes: kept } };
      }
    }
    events.push(e);
    indexes.push(i);
  }
  let out: Batch = blocked.events.length || blocked.event_attributes.length ? { ...batch, events } : batch;
  const ua = batch.user_attributes;
  const uaPoint = plan.points.get("user_attributes");
  if (blok.ua && uaPoint && ua && typeof ua === "object" && !Array.isArray(ua)) {
    const [kept, removed] = strip(ua as Record<string, unknown>, allowed(uaPoint.schema));
    if (removed.length) (out = { ...out, user_attributes: kept }), blocked.user_attributes.push(...removed);
  }
  const ids = batch.user_identities;
  const idPoint = plan.points.get("user_identities");
  if (blok.id && idPoint && ids && typeof ids === "object" && !Array.isArray(ids)) {
    const [kept, removed] = strip(ids as Record<string, unknown>, allowed(idPoint.schema), identityName);
    if (removed.length) (out = { ...out, user_identities: kept }), blocked.user_identities.push(...removed);
  }
  const any = blocked.events.length + blocked.event_attributes.length + blocked.user_attributes.length + blocked.user_identities.length > 0;
  return { batch: out, indexes, blocked: any ? blocked : null };
}
