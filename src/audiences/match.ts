/** Which event counters an event adds to (pure): event type, custom event type, name, attribute conditions, workspace. */
import type { CounterSpec } from "./compile";
import { conditionMet } from "./condition";
import { lowerCached } from "../lib/lower";

/** What the profile keeps of an event for audience counters. */
export type EventFacts = {
  workspaceId: number;
  /** Batch `event_type` (`custom_event`, `screen_view`, `commerce_event`, `session_start`, …), lower case. */
  eventType: string;
  /** `custom_event_type` of a custom event; the product or promotion action of a commerce event. */
  customType?: string | null;
  /** `event_name`, or `screen_name` of a screen view. */
  name?: string | null;
  /** The event's `custom_attributes`. */
  attributes?: Record<string, unknown> | null;
  ts: number;
};

/** Lower-cased names and types (remembered: a batch compares each event with every counter). */
const lower = (v: string | null | undefined): string | null => (typeof v === "string" ? lowerCached(v) : null);

/** Whether `e` counts for counter `c`. */
export function eventMatches(c: CounterSpec, e: EventFacts): boolean {
  if (!c.workspaceIds.includes(e.workspaceId)) return false;
  const m = c.match;
  if (e.eventType !== m.type) return false;
  if (m.customType !== null && lower(e.customType) !== m.customType) return false;
  if (m.name !== null && lower(e.name) !== m.name) return false;
  for (const cond of c.event.conditions ?? []) if (!conditionMet(cond, e.attributes?.[cond.attribute_name])) return false;
  return true;
}

/** The facts of a batch event (`{event_type, data}`), as the ingest consumer hands them to the profile. */
export function eventFacts(workspaceId: number, e: { event_type: string; data?: Record<string, unknown> | null }, ts: number): EventFacts {
  const d = e.data ?? {};
  const pa = d.product_action as { action?: unknown } | null | undefined;
  const pr = d.promotion_action as { action?: unknown } | null | undefined;
  const customType = typeof d.custom_event_type === "string" ? d.custom_event_type : typeof pa?.action === "string" ? pa.action : typeof pr?.action === "string" ? `promotion_${pr.action}` : null;
  const name = typeof d.event_name === "string" ? d.event_name : typeof d.screen_name === "string" ? d.screen_name : null;
  const attrs = d.custom_attributes && typeof d.custom_attributes === "object" && !Array.isArray(d.custom_attributes) ? (d.custom_attributes as Record<string, unknown>) : null;
  return { workspaceId, eventType: e.event_type.toLowerCase(), customType, name, attributes: attrs, ts };
}
