/**
 * Data point filters of a connection (Platform API "data points"), applied to an outbound batch before it
 * is queued for the connection. Pure. Disabling is hierarchical: an EventType stops its events, an event
 * stops its attributes. A data point that is neither known nor filtered is "new": it is sent only when
 * `sendNewDataPointsByDefault` is true.
 */
import type { OutboundBatch, OutboundEvent } from "../pipeline/outbound";

export const DATA_POINT_TYPES = ["EventType", "Event", "EventAttribute", "ScreenView", "ScreenViewAttribute", "Commerce", "CommerceAttribute", "UserAttribute", "UserIdentity"] as const;
export type DataPointType = (typeof DATA_POINT_TYPES)[number];
export type DataPointKey = { type: DataPointType; name: string; eventType?: string | null; attributeName?: string | null };

export type ConnectionFilters = {
  sendNewDataPointsByDefault: boolean;
  /** `dataPointId()` of data points whose filter is off. */
  disabled: ReadonlySet<string>;
  /** `dataPointId()` of data points known to the app (registered or filtered on): never "new". */
  known: ReadonlySet<string>;
};

const norm = (s: string | null | undefined) => (s ?? "").toLowerCase().replace(/[\s_-]/g, "");

/** Canonical id of a data point: event types and identity names compare loosely, event and attribute names exactly. */
export function dataPointId(k: DataPointKey): string {
  const loose = k.type === "EventType" || k.type === "UserIdentity";
  return [k.type, loose ? norm(k.name) : k.name, norm(k.eventType), k.attributeName ?? ""].join("|");
}

/** Builds filters from stored rows. */
export function buildFilters(sendNew: boolean, filters: (DataPointKey & { enabled: boolean })[], known: DataPointKey[]): ConnectionFilters {
  const disabled = new Set<string>();
  const all = new Set<string>(known.map(dataPointId));
  for (const f of filters) {
    const id = dataPointId(f);
    all.add(id);
    if (!f.enabled) disabled.add(id);
  }
  return { sendNewDataPointsByDefault: sendNew, disabled, known: all };
}

type EventPoint = { type: DataPointType; attrType: DataPointType; name: string; eventType: string; parentType?: string };

function eventPoint(e: OutboundEvent): EventPoint | null {
  const d = e.data;
  if (e.event_type === "custom_event") return { type: "Event", attrType: "EventAttribute", name: String(d.event_name ?? ""), eventType: String(d.custom_event_type ?? "other"), parentType: String(d.custom_event_type ?? "other") };
  if (e.event_type === "screen_view") return { type: "ScreenView", attrType: "ScreenViewAttribute", name: String(d.screen_name ?? ""), eventType: "" };
  if (e.event_type === "commerce_event") {
    const action = (d.product_action as { action?: string } | undefined)?.action ?? (d.promotion_action as { action?: string } | undefined)?.action ?? "impression";
    return { type: "Commerce", attrType: "CommerceAttribute", name: String(d.event_name ?? action), eventType: action };
  }
  return null;
}

/** Whether a data point passes: off when disabled, or new while new data points are not sent. */
function passes(f: ConnectionFilters, k: DataPointKey): boolean {
  const id = dataPointId(k);
  if (f.disabled.has(id)) return false;
  return f.sendNewDataPointsByDefault || f.known.has(id);
}

function filterAttributes(f: ConnectionFilters, p: EventPoint, attrs: unknown): Record<string, unknown> | undefined {
  if (!attrs || typeof attrs !== "object") return undefined;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(attrs)) if (passes(f, { type: p.attrType, name: p.name, eventType: p.eventType, attributeName: k })) out[k] = v;
  return out;
}

/** The batch as this connection may receive it, and how many events the filters removed. */
export function applyConnectionFilters(batch: OutboundBatch, filters: ConnectionFilters | null | undefined): { batch: OutboundBatch; filteredEvents: number } {
  if (!filters) return { batch, filteredEvents: 0 };
  const f = filters;
  const events: OutboundEvent[] = [];
  for (const e of batch.events) {
    const p = eventPoint(e);
    if (!p) {
      events.push(e);
      continue;
    }
    if (p.parentType !== undefined && f.disabled.has(dataPointId({ type: "EventType", name: p.parentType }))) continue;
    if (!passes(f, { type: p.type, name: p.name, eventType: p.eventType })) continue;
    const attrs = filterAttributes(f, p, e.data.custom_attributes);
    events.push(attrs === undefined ? e : { ...e, data: { ...e.data, custom_attributes: attrs } });
  }
  const userAttributes: OutboundBatch["user_attributes"] = {};
  for (const [k, v] of Object.entries(batch.user_attributes ?? {})) if (passes(f, { type: "UserAttribute", name: k })) userAttributes[k] = v;
  // Identities are never "new" (partners need them to match users); only an explicit filter removes one.
  const identities = (batch.user_identities ?? []).filter((i) => !f.disabled.has(dataPointId({ type: "UserIdentity", name: i.identity_type })));
  return {
    batch: { ...batch, events, user_attributes: userAttributes, user_identities: identities },
    filteredEvents: batch.events.length - events.length,
  };
}
