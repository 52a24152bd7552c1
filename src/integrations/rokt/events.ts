/**
 * mParticle events → Rokt Event API events. Custom events keep their name as `eventType`; a purchase is the
 * reserved `conversion` (attribution) with amount, currency, quantity and confirmation reference; other
 * product actions use the action as `eventType`. Screen views, promotions, impressions and session events
 * are not forwarded (Rokt's Event API is for conversions and engagement events).
 */
import type { OutboundBatch, OutboundEvent } from "../../pipeline/outbound";
import { commerceTotal, productAction } from "../runtime/commerce";
import { hashEmail, hashPhone } from "../runtime/hash";
import { eventAttributes, identityOf, integrationAttributes } from "../runtime/mapping";

export const ROKT_MODULE_ID = 1277;
/** Field limits (partners.md §7): clientEventId ≤ 36, eventType ≤ 128, events older than 18 months refused. */
export const MAX_CLIENT_EVENT_ID = 36;
export const MAX_EVENT_TYPE = 128;
export const MAX_AGE_MS = 548 * 24 * 3600 * 1000; // 18 months (18 × 30.44 days, rounded down)
export const MAX_FUTURE_MS = 5 * 60 * 1000;

export type NameValue = { name: string; value: string };
export type RoktEvent = { clientEventId: string; eventType: string; eventTime: string; metaData: NameValue[]; objectData: NameValue[] };

type Data = Record<string, unknown>;
const str = (v: unknown) => (typeof v === "string" && v !== "" ? v : typeof v === "number" || typeof v === "boolean" ? String(v) : undefined);
/** Rokt names are free-form but `rokt.`-prefixed ones are reserved (partners.md §7): those are not sent. */
const nv = (o: Data): NameValue[] => {
  const out: NameValue[] = [];
  for (const name of Object.keys(o)) {
    const v = o[name];
    const value = Array.isArray(v) ? JSON.stringify(v) : str(v);
    if (value !== undefined && !name.toLowerCase().startsWith("rokt.")) out.push({ name, value });
  }
  return out;
};

function commerce(data: Data): { eventType: string; values: Data } | undefined {
  const pa = productAction(data);
  if (!pa) return undefined;
  const values: Data = {};
  const total = pa.action === "purchase" || pa.action === "refund" ? commerceTotal(data) : undefined;
  if (total !== undefined) values.amount = total;
  if (str(data.currency_code)) values.currency = data.currency_code;
  if (pa.products.length) values.quantity = pa.products.reduce((t, p) => t + (typeof p.quantity === "number" ? p.quantity : 1), 0);
  if (str(pa.transaction_id)) values.confirmationref = pa.transaction_id;
  if (pa.action === "purchase") return { eventType: "conversion", values: { conversiontype: "purchase", ...values } };
  return { eventType: pa.action, values };
}

/** The event's Rokt form, undefined when the event type is not forwarded, or a reason to drop it. */
function toRokt(ev: OutboundEvent, now?: number): RoktEvent | { reason: string } | undefined {
  const d = ev.data;
  let eventType: string;
  let values: Data;
  if (ev.event_type === "custom_event" && str(d.event_name)) [eventType, values] = [String(d.event_name), {}];
  else if (ev.event_type === "commerce_event") {
    const c = commerce(d);
    if (!c) return undefined;
    [eventType, values] = [c.eventType, c.values];
  } else return undefined;
  const t = d.timestamp_unixtime_ms;
  if (now !== undefined && (t < now - MAX_AGE_MS || t > now + MAX_FUTURE_MS)) return { reason: "event time more than 18 months old or over 5 minutes ahead (Rokt refuses it)" };
  const sid = typeof d.source_message_id === "string" && d.source_message_id.length <= MAX_CLIENT_EVENT_ID ? d.source_message_id : undefined;
  return {
    clientEventId: sid ?? d.message_id,
    eventType: eventType.slice(0, MAX_EVENT_TYPE),
    eventTime: new Date(t).toISOString(),
    metaData: [],
    objectData: nv({ ...eventAttributes(ev), ...values }),
  };
}

/** Forwardable events of a batch with their index; drops carry a reason. */
export function toRoktEvents(batch: OutboundBatch, now?: number): ({ index: number; event: RoktEvent } | { index: number; reason: string })[] {
  const out: ({ index: number; event: RoktEvent } | { index: number; reason: string })[] = [];
  batch.events.forEach((ev, index) => {
    const r = toRokt(ev, now);
    if (r) out.push("reason" in r ? { index, reason: r.reason } : { index, event: r });
  });
  return out;
}

/** User data added to every event of the batch, by the email / mobile encoding settings. */
export async function batchUserData(batch: OutboundBatch, c: { emailEncoding: "raw" | "sha256"; mobileEncoding: "none" | "raw" | "sha256" }) {
  const o: Data = {};
  const email = identityOf(batch, "email");
  const mobile = c.mobileEncoding === "none" ? undefined : (identityOf(batch, "mobile_number") ?? str(batch.user_attributes.$mobile));
  const [emailHash, mobileHash] = await Promise.all([
    email && c.emailEncoding === "sha256" ? hashEmail(email) : undefined,
    mobile && c.mobileEncoding === "sha256" ? hashPhone(mobile) : undefined,
  ]);
  if (email) o[c.emailEncoding === "raw" ? "email" : "emailsha256"] = c.emailEncoding === "raw" ? email : emailHash;
  if (mobile) o[c.mobileEncoding === "raw" ? "mobile" : "mobilesha256"] = c.mobileEncoding === "raw" ? mobile : mobileHash;
  const rtid = str(integrationAttributes(batch, ROKT_MODULE_ID).passbackconversiontrackingid);
  if (rtid) o.passbackconversiontrackingid = rtid;
  const matchable = Object.keys(o).length > 0;
  const ua = batch.user_attributes;
  if (str(ua.$firstname)) o.firstname = ua.$firstname;
  if (str(ua.$lastname)) o.lastname = ua.$lastname;
  if (str(ua.$zip)) o.billingzipcode = ua.$zip;
  return { matchable, objectData: nv(o), metaData: nv({ mpid: batch.mpid }) };
}
