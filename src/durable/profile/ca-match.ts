/**
 * Which events a calculated attribute counts and what it reads from them (audiences.md §1.5): the data point
 * (event type, custom event type or product action, name), the attribute category (event, product,
 * promotion), the conditions (operator × type, values as strings). Pure.
 */
import { type CaSpec, type Condition, parseIsoDate } from "../../schema/calculated-attribute";
import type { ProfileEvent } from "./events";
import { lowerCached } from "../../lib/lower";

/** One value an event gives a calculation: its time, the attribute's value (or the event's name), its weight. */
export type Observation = { ts: number; value: string | null; weight: number };

const lower = (s: string) => s.toLowerCase();

/** An attribute by name: exact, else case-insensitive (mParticle matches attribute names without case). */
function lookup(attrs: Record<string, string>, name: string): string | undefined {
  if (name in attrs) return attrs[name];
  const n = lower(name);
  for (const k in attrs) if (lower(k) === n) return attrs[k];
  return undefined;
}

const num = (s: string) => (s.trim() === "" ? NaN : Number(s));
/** Start of the UTC day of `t`. */
const dayOf = (t: number) => Math.floor(t / 86_400_000) * 86_400_000;

/** `*` any characters, `?` one character, case-insensitive (audiences.md §4.3). */
function patternMatch(value: string, pattern: string): boolean {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`, "is");
  return re.test(value);
}

/** Whether a condition holds for the attributes (a missing attribute fails every operator but `not_exists`). */
export function conditionHolds(c: Condition, attrs: Record<string, string>): boolean {
  const v = lookup(attrs, c.attribute_name);
  if (c.operator === "not_exists") return v === undefined;
  if (v === undefined) return false;
  if (c.operator === "exists") return v !== "";
  if (c.operator === "empty") return v === "";
  switch (c.type) {
    case "string": {
      const a = lower(v);
      const b = lower(c.value ?? "");
      switch (c.operator) {
        case "equals": return a === b;
        case "not_equals": return a !== b;
        case "contains": return a.includes(b);
        case "not_contains": return !a.includes(b);
        case "pattern": return patternMatch(v, c.value ?? "");
        case "in_list": return (c.values ?? []).some((x) => lower(x) === a);
      }
      return false;
    }
    case "number": {
      const x = num(v);
      if (!Number.isFinite(x)) return false;
      switch (c.operator) {
        case "equals": return x === Number(c.value);
        case "not_equals": return x !== Number(c.value);
        case "greater_than": return x > Number(c.value);
        case "greater_or_equal": return x >= Number(c.value);
        case "less_than": return x < Number(c.value);
        case "less_than_or_equal": return x <= Number(c.value);
        case "between": return x >= Number(c.min_value) && x <= Number(c.max_value);
        case "in_list": return (c.values ?? []).some((y) => Number(y) === x);
      }
      return false;
    }
    case "boolean":
      return c.operator === "equals" && lower(v) === lower(c.value ?? "");
    case "date": {
      const t = parseIsoDate(v) ?? (/^\d{10,13}$/.test(v) ? Number(v) * (v.length === 10 ? 1000 : 1) : null);
      if (t === null) return false;
      const at = (s: string | null) => parseIsoDate(s ?? "") ?? NaN;
      switch (c.operator) {
        case "equals": return dayOf(t) === dayOf(at(c.value)); // On: the whole UTC day
        case "before": return t < at(c.value); // exclusive
        case "after": return t >= at(c.value); // inclusive
        case "between_dates": return t >= dayOf(at(c.min_value)) && t < dayOf(at(c.max_value)) + 86_400_000; // inclusive days
      }
      return false;
    }
  }
}

/** Whether the event has this name (without case). */
function nameIs(e: ProfileEvent, n: string | null): boolean {
  return n !== null && e.name !== null && (e.name === n || lowerCached(e.name) === lowerCached(n));
}

/** Whether the event is the definition's data point (attributes and conditions aside). */
export function eventMatches(spec: CaSpec, e: ProfileEvent): boolean {
  const dp = spec.dp;
  if (e.eventType !== dp.event_type) return false;
  const cet = e.detail?.customEventType;
  switch (dp.event_type) {
    case "custom_event":
      return nameIs(e, dp.event_name) && (!dp.custom_event_type || dp.custom_event_type === "unknown" || cet === dp.custom_event_type);
    case "screen_view":
      return nameIs(e, dp.event_name);
    case "commerce_event":
      // The product action (or promotion view/click) identifies a commerce event; its name only when no action is given.
      return dp.custom_event_type ? cet === dp.custom_event_type : nameIs(e, dp.event_name);
    default:
      return !dp.event_name || nameIs(e, dp.event_name);
  }
}

/** The values `spec` takes from `e` (none when the event does not match or no item meets the conditions). */
export function observe(spec: CaSpec, e: ProfileEvent): Observation[] {
  if (!eventMatches(spec, e)) return [];
  if (spec.sinceMs !== null && e.ts < spec.sinceMs) return [];
  const eventAttrs = e.detail?.attributes ?? {};
  const dp = spec.dp;
  let items: { attrs: Record<string, string>; weight: number }[];
  if (dp.attribute_category === "product_attribute") {
    items = (e.detail?.products ?? []).map((p) => ({ attrs: { ...eventAttrs, ...p.attributes }, weight: dp.use_product_quantity ? p.quantity : 1 }));
  } else if (dp.attribute_category === "promotion_attribute") {
    items = (e.detail?.promotions ?? []).map((p) => ({ attrs: { ...eventAttrs, ...p }, weight: 1 }));
  } else items = [{ attrs: eventAttrs, weight: 1 }];
  if (spec.conditions.length) items = items.filter((it) => spec.conditions.every((c) => conditionHolds(c, it.attrs)));
  if (items.length === 0) return [];
  // Counting and event times: one observation per event.
  if (spec.calc === "count" || spec.calc === "first_occurrence_timestamp" || spec.calc === "last_occurrence_timestamp") return [{ ts: e.ts, value: null, weight: 1 }];
  if (!dp.attribute_name) return [{ ts: e.ts, value: e.name, weight: 1 }];
  const out: Observation[] = [];
  for (const it of items) {
    const v = lookup(it.attrs, dp.attribute_name);
    if (v !== undefined && v !== "") out.push({ ts: e.ts, value: v, weight: it.weight });
  }
  return out;
}
