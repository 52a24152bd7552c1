/** Mixpanel People attribute mapping (seed 002 "Attribute Mappings"). */
import type { OutboundBatch } from "../../pipeline/outbound";
import { convertBooleans, identityOf, mapAttributes } from "../runtime/mapping";

/** mParticle reserved user attributes replaced by Mixpanel's own; other reserved ones lose the leading "$". */
export const RESERVED_ATTRIBUTES: Record<string, string> = {
  $FirstName: "$first_name",
  $LastName: "$last_name",
  $Mobile: "$phone",
};

/** The `$set` object: mapped user attributes ("true"/"false" → booleans) and the email identity as `$email`. */
export function peopleSet(batch: OutboundBatch): Record<string, unknown> {
  const set = mapAttributes(convertBooleans(batch.user_attributes as Record<string, unknown>), RESERVED_ATTRIBUTES, (k) => (k.startsWith("$") ? k.slice(1) : k));
  const email = identityOf(batch, "email");
  if (email) set.$email = email;
  return set;
}

/** `yyyy-MM-ddTHH:mm:ss` (UTC), the format of `$transactions[].$time`. */
export function transactionTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19);
}
