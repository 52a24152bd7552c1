/** CAPI `user_data` (partners.md §4): normalised SHA-256 for personal data; IP, user agent and device ids in clear. */
import type { OutboundBatch } from "../../pipeline/outbound";
import { hashEmail, hashGeneric, hashPhone } from "../runtime/hash";
import { deviceInfo, identityOf, ipOf, userAgentOf } from "../runtime/mapping";

const attr = (b: OutboundBatch, k: string) => b.user_attributes[k];
const squash = (v: unknown) => (typeof v === "string" ? v.replace(/[\s\p{P}]/gu, "") : v);

function gender(v: unknown): string | undefined {
  const g = typeof v === "string" ? v.trim().toLowerCase() : "";
  return g === "m" || g === "male" ? "m" : g === "f" || g === "female" ? "f" : undefined;
}

/** user_data for one batch; empty when nothing can match a person. */
export async function userData(batch: OutboundBatch): Promise<Record<string, unknown>> {
  const d = deviceInfo(batch);
  const [em, ph, externalId, fn, ln, ge, ct, st, zp, country] = await Promise.all([
    hashEmail(identityOf(batch, "email")),
    hashPhone(identityOf(batch, "mobile_number") ?? attr(batch, "$Mobile")),
    hashGeneric(identityOf(batch, "customer_id")),
    hashGeneric(squash(attr(batch, "$FirstName"))),
    hashGeneric(squash(attr(batch, "$LastName"))),
    hashGeneric(gender(attr(batch, "$Gender"))),
    hashGeneric(squash(attr(batch, "$City"))),
    hashGeneric(squash(attr(batch, "$State"))),
    hashGeneric(typeof attr(batch, "$Zip") === "string" ? (attr(batch, "$Zip") as string).replace(/[\s-]/g, "") : attr(batch, "$Zip")),
    hashGeneric(attr(batch, "$Country")),
  ]);
  const out: Record<string, unknown> = {};
  if (em) out.em = [em];
  if (ph) out.ph = [ph];
  if (externalId) out.external_id = [externalId];
  for (const [k, v] of Object.entries({ fn, ln, ge, ct, st, zp, country })) if (v) out[k] = [v];
  const ip = ipOf(batch);
  if (ip) out.client_ip_address = ip;
  const ua = userAgentOf(batch);
  if (ua) out.client_user_agent = ua;
  const madid = d.ios_advertising_id ?? d.android_advertising_id;
  if (typeof madid === "string" && madid) out.madid = madid;
  return out;
}
