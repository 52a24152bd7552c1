/**
 * What the profile's modules evaluate about an event beyond type, name and time (`EventDetail`): the custom
 * event type (or commerce action) and the custom attributes as strings. Built only when the workspace has
 * something that reads it (audiences), so a workspace without any pays nothing.
 */
import type { EventDetail } from "../durable/user-profile";

const text = (v: unknown): string | null => (typeof v === "string" ? v : typeof v === "number" || typeof v === "boolean" ? String(v) : null);

/** The detail of a batch event (`{event_type, data}`). */
export function eventDetail(e: { event_type: string; data?: Record<string, unknown> | null }): EventDetail {
  const d = e.data ?? {};
  const pa = d.product_action as { action?: unknown } | null | undefined;
  const pr = d.promotion_action as { action?: unknown } | null | undefined;
  const customEventType = typeof d.custom_event_type === "string" ? d.custom_event_type : typeof pa?.action === "string" ? pa.action : typeof pr?.action === "string" ? `promotion_${pr.action}` : undefined;
  const out: EventDetail = customEventType ? { customEventType } : {};
  const ca = d.custom_attributes;
  if (ca && typeof ca === "object" && !Array.isArray(ca)) {
    const attributes: Record<string, string> = {};
    for (const [k, v] of Object.entries(ca as Record<string, unknown>)) {
      const t = text(v);
      if (t !== null) attributes[k] = t;
    }
    out.attributes = attributes;
  }
  return out;
}
