/** Braze user attribute mapping: reserved attributes, $-stripping, subscription groups, consent (seed 002 "Braze"). */
import type { OutboundBatch } from "../../pipeline/outbound";
import { consentOf, identityOf, toBoolean } from "../runtime/mapping";
import type { BrazeConfig, BrazeConnection } from "./settings";

/** mParticle reserved user attributes → Braze standard profile attributes; other keys lose a leading "$". */
export const RESERVED_ATTRIBUTES: Record<string, string> = {
  $FirstName: "first_name",
  $LastName: "last_name",
  $Gender: "gender",
  $Country: "country",
  $City: "home_city",
  $Mobile: "phone",
};

/** Braze gender codes: M, F, O (other), N (not applicable), P (prefer not to say). */
function gender(v: unknown): unknown {
  const g = String(v).trim().toLowerCase();
  if (g === "m" || g === "male") return "M";
  if (g === "f" || g === "female") return "F";
  if (g === "n" || g === "p" || g === "o") return g.toUpperCase();
  return "O";
}

function typed(v: unknown): unknown {
  const b = toBoolean(v);
  if (typeof b === "string" && /^-?\d+(\.\d+)?$/.test(b.trim())) return Number(b);
  return b;
}

/** The attributes of one batch (without the identifier); empty when there is nothing to send. */
export function brazeAttributes(batch: OutboundBatch, config: BrazeConfig, connection: BrazeConnection): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, raw] of Object.entries(batch.user_attributes)) {
    const v = config.enableTypeDetection ? typed(raw) : raw;
    const key = RESERVED_ATTRIBUTES[k] ?? k.replace(/^\$+/, "");
    if (key) out[key] = key === "gender" ? gender(v) : v;
  }
  const email = identityOf(batch, "email");
  if (email) out.email = email;
  if (out.phone === undefined) {
    const phone = identityOf(batch, "mobile_number");
    if (phone) out.phone = phone;
  }
  const groups = connection.subscriptionGroupMapping.flatMap(({ attribute, subscriptionGroupId }) => {
    const v = toBoolean(batch.user_attributes[attribute]);
    return typeof v === "boolean" ? [{ subscription_group_id: subscriptionGroupId, subscription_state: v ? "subscribed" : "unsubscribed" }] : [];
  });
  if (groups.length) out.subscription_groups = groups;
  const { gdpr } = consentOf(batch);
  for (const { purpose, brazeKey } of connection.consentMapping) {
    const c = gdpr[purpose.toLowerCase()];
    if (c !== undefined) out[`$${brazeKey}`] = c;
  }
  return out;
}
