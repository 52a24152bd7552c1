/** Reading an OutboundBatch: identities by type, platform, event names and times, attribute mapping. */
import type { OutboundBatch, OutboundEvent } from "../../pipeline/outbound";

type Data = Record<string, unknown>;

/** `device_info` field for each device identity type that integrations may ask for. */
export const DEVICE_IDENTITY_FIELDS: Record<string, string> = {
  ios_idfa: "ios_advertising_id",
  ios_idfv: "ios_idfv",
  android_aaid: "android_advertising_id",
  android_uuid: "android_uuid",
  roku_aid: "roku_advertising_id",
  roku_publisher_id: "roku_publisher_id",
  fire_aid: "fire_advertising_id",
  push_token: "push_token",
};

const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : typeof v === "number" ? String(v) : undefined);

/** The batch's `device_info` (empty object when absent). */
export function deviceInfo(batch: OutboundBatch): Data {
  const d = batch.device_info;
  return d && typeof d === "object" ? (d as Data) : {};
}

/**
 * An identity of the batch by type: "mpid", an Events API user identity type ("customer_id", "email",
 * "other", "other_id_2", "mobile_number", …; "customerid" accepted), or a device identity type of
 * `DEVICE_IDENTITY_FIELDS` (read from `device_info`).
 */
export function identityOf(batch: OutboundBatch, type: string): string | undefined {
  if (type === "mpid") return batch.mpid && batch.mpid !== "0" ? batch.mpid : undefined;
  const t = type === "customerid" ? "customer_id" : type;
  const device = DEVICE_IDENTITY_FIELDS[t];
  if (device) return str(deviceInfo(batch)[device]);
  return batch.user_identities.find((i) => i.identity_type === t)?.identity || undefined;
}

export type Platform = "ios" | "android" | "web" | "roku" | "firetv" | "tvos" | "xbox" | "smarttv" | "alexa" | "unknown";

/** The batch's platform from `device_info.platform` (mParticle spellings) or the source channel. */
export function platformOf(batch: OutboundBatch): Platform {
  const p = String(deviceInfo(batch).platform ?? "").toLowerCase().replace(/\s+/g, "");
  if (p === "ios") return "ios";
  if (p === "android") return "android";
  if (p === "web" || p === "mobileweb") return "web";
  if (p === "roku") return "roku";
  if (p === "firetv") return "firetv";
  if (p === "tvos") return "tvos";
  if (p === "xbox") return "xbox";
  if (p === "smarttv") return "smarttv";
  if (p === "alexa") return "alexa";
  return batch.source_info?.channel === "javascript" || batch.source_info?.channel === "pixel" ? "web" : "unknown";
}

/** The batch's user agent (`device_info.http_header_user_agent`, else the top-level `context.user_agent`-style fields). */
export function userAgentOf(batch: OutboundBatch): string | undefined {
  return str(deviceInfo(batch).http_header_user_agent) ?? str((batch as Data).user_agent);
}

/** The batch's client IP (`ip` of the Events API batch). */
export function ipOf(batch: OutboundBatch): string | undefined {
  return str(batch.ip);
}

/** Event time in ms (always present on outbound events). */
export function eventTimeMs(ev: OutboundEvent): number {
  return ev.data.timestamp_unixtime_ms;
}

/** The event's `custom_attributes` (empty object when absent). */
export function eventAttributes(ev: OutboundEvent): Data {
  const a = ev.data.custom_attributes;
  return a && typeof a === "object" ? { ...(a as Data) } : {};
}

/** "true" / "false" (any case) → boolean; anything else unchanged. */
export function toBoolean(v: unknown): unknown {
  if (typeof v !== "string") return v;
  const l = v.toLowerCase();
  return l === "true" ? true : l === "false" ? false : v;
}

/** A copy of `attrs` with "true"/"false" strings converted to booleans. */
export function convertBooleans(attrs: Data): Data {
  const out: Data = {};
  for (const [k, v] of Object.entries(attrs)) out[k] = toBoolean(v);
  return out;
}

/**
 * Renames attributes by `map` (mParticle name → partner name). Keys in `map` with a null target are
 * removed. Keys not in `map` are kept as they are, or passed to `other(key)` when given (return
 * undefined to drop the key).
 */
export function mapAttributes(attrs: Data, map: Record<string, string | null>, other?: (key: string) => string | undefined): Data {
  const out: Data = {};
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined) continue;
    const target = k in map ? map[k] : other ? other(k) : k;
    if (target) out[target] = v;
  }
  return out;
}

/** Consent state of the batch: GDPR purposes (lowercase) → consented, and CCPA data-sale opt-out. */
export function consentOf(batch: OutboundBatch): { gdpr: Record<string, boolean>; ccpaOptOut?: boolean } {
  const cs = batch.consent_state as { gdpr?: Record<string, { consented?: boolean }>; ccpa?: { data_sale_opt_out?: { consented?: boolean } } } | undefined;
  const gdpr: Record<string, boolean> = {};
  for (const [k, v] of Object.entries(cs?.gdpr ?? {})) if (typeof v?.consented === "boolean") gdpr[k.toLowerCase()] = v.consented;
  const opt = cs?.ccpa?.data_sale_opt_out?.consented;
  return { gdpr, ...(typeof opt === "boolean" ? { ccpaOptOut: opt } : {}) };
}

/** Integration attributes the batch carries for an mParticle module id (`integration_attributes["<id>"]`). */
export function integrationAttributes(batch: OutboundBatch, moduleId: number): Data {
  const all = batch.integration_attributes as Record<string, unknown> | undefined;
  const mine = all?.[String(moduleId)];
  return mine && typeof mine === "object" ? (mine as Data) : {};
}
