/**
 * How consent changes reach outputs (seed 002 "Forwarding consent state to partners"): a
 * `system_notifications` entry per change for outputs that take raw batches (Webhook), and "Consent Given" /
 * "Consent Rejected" custom events for outputs that support them (Amplitude, Mixpanel). Pure.
 */
import type { OutboundEvent } from "../schema/outbound";
import { stableId } from "../lib/ids";
import type { ConsentChange, ConsentRecord } from "./consent";

type NotificationRecord = ConsentRecord & { regulation: "GDPR" | "CCPA" };

/** mParticle's shape: `{"type":"gdpr_change","data":{"purpose","current":{…},"old":{…}}}`; `old` is absent for a first decision. */
export type SystemNotification = {
  type: "gdpr_change" | "ccpa_change";
  data: { purpose: string; current: NotificationRecord; old?: NotificationRecord };
};

const REGULATION_NAME = { gdpr: "GDPR", ccpa: "CCPA" } as const;

/** One system notification per changed purpose. */
export function systemNotifications(changes: ConsentChange[]): SystemNotification[] {
  return changes.map((c) => {
    const regulation = REGULATION_NAME[c.regulation];
    return {
      type: c.regulation === "gdpr" ? "gdpr_change" : "ccpa_change",
      data: { purpose: c.purpose, current: { regulation, ...c.new }, ...(c.old ? { old: { regulation, ...c.old } } : {}) },
    };
  });
}

/**
 * One "Consent Given" (new `consented: true`) or "Consent Rejected" custom event per change, with the new
 * record as custom attributes (strings, as in the seed's example; absent fields left out). For CCPA the name
 * mirrors `consented` too: "Consent Given" means the user opted out of data sale. The event happens when the
 * change is recorded (`at`, the batch's receipt time; the decision's own time is an attribute), so partners with
 * an age limit on event times (Mixpanel /track: 5 days) take it. Ids are stable per batch and purpose so
 * partners deduplicate a redelivery.
 */
export function consentEvents(changes: ConsentChange[], batchId: string, at: number): OutboundEvent[] {
  return changes.map((c) => {
    const r = c.new;
    const id = stableId(`${batchId}:consent:${c.regulation}:${c.purpose}`);
    const attrs: Record<string, string | number> = { consented: String(r.consented), purpose: c.purpose, regulation: REGULATION_NAME[c.regulation], timestamp_unixtime_ms: r.timestamp_unixtime_ms };
    if (r.document !== null) attrs.document = r.document;
    if (r.location !== null) attrs.location = r.location;
    if (r.hardware_id !== null) attrs.hardware_id = r.hardware_id;
    return {
      event_type: "custom_event",
      data: {
        event_name: r.consented ? "Consent Given" : "Consent Rejected",
        custom_event_type: "Consent",
        custom_attributes: attrs,
        timestamp_unixtime_ms: at,
        event_start_unixtime_ms: at,
        message_id: id,
        event_id: id,
      },
    };
  });
}
