/**
 * One audience member as a Rokt Event & Audience API batch (partners.md §7): the email in
 * `user_identities` (raw `email` or SHA-256 `other`), mobile and forwarded attributes in `user_attributes`,
 * and one `audiencemembershipupdate` event with `{audience_name, status: "add" | "drop"}`.
 */
import type { AudienceMember, AudienceRef } from "../../runtime/audience-types";
import { hashEmail, hashPhone, normalizeGeneric, sha256Hex } from "../../runtime/hash";
import { attribute, identity } from "../shared/members";
import { AUDIENCE_EVENT, type RoktConfig, type RoktConnection } from "./settings";

type Scalar = string | number | boolean;
/** Reserved attributes with Rokt names, and the connection setting that hashes them. */
const RESERVED: Record<string, { name: string; hashed: string; setting: "hashFirstName" | "hashLastName" | "hashZip" }> = {
  $firstname: { name: "firstname", hashed: "firstnamesha256", setting: "hashFirstName" },
  $lastname: { name: "lastname", hashed: "lastnamesha256", setting: "hashLastName" },
  $zip: { name: "billingzipcode", hashed: "billingzipsha256", setting: "hashZip" },
};

function rawAttribute(m: AudienceMember, name: string): unknown {
  const attrs = m.user_attributes ?? {};
  if (name in attrs) return attrs[name];
  const key = name.startsWith("$") ? Object.keys(attrs).find((k) => k.toLowerCase() === name.toLowerCase()) : undefined;
  return key === undefined ? undefined : attrs[key];
}

const scalar = (v: unknown): v is Scalar => typeof v === "string" || typeof v === "boolean" || (typeof v === "number" && Number.isFinite(v));

/** The forwarded user attributes under Rokt's names, hashed where the connection says so. */
async function forwarded(m: AudienceMember, c: RoktConnection): Promise<Record<string, Scalar | Scalar[]>> {
  const out: Record<string, Scalar | Scalar[]> = {};
  for (const name of c.userAttributes) {
    const lower = name.toLowerCase();
    // $mobile follows Mobile number encoding only ("None" must send no phone at all).
    if (lower === "$mobile") continue;
    const v = rawAttribute(m, name);
    const reserved = RESERVED[lower];
    if (reserved) {
      const s = normalizeGeneric(v);
      if (s === undefined) continue;
      if (c[reserved.setting]) out[reserved.hashed] = await sha256Hex(s);
      else out[reserved.name] = String(v).trim();
      continue;
    }
    const key = name.startsWith("$") ? lower.slice(1) : name;
    if (scalar(v)) out[key] = v;
    else if (Array.isArray(v) && v.some(scalar)) out[key] = v.filter(scalar);
  }
  return out;
}

/** A UUID-shaped id derived from the change, so a rebuilt request repeats it. */
async function messageId(seed: string): Promise<string> {
  const h = await sha256Hex(seed);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The member's batch, or undefined when it has no email (Rokt matches audience members by email). */
export async function roktBatch(m: AudienceMember, action: "add" | "delete", audience: AudienceRef, c: RoktConfig, conn: RoktConnection, now: number): Promise<object | undefined> {
  const email = identity(m, "email");
  if (!email) return undefined;
  const user_identities = c.emailEncoding === "raw" ? { email: email.trim() } : { other: await hashEmail(email) };
  const user_attributes: Record<string, Scalar | Scalar[]> = { ...(await forwarded(m, conn)) };
  const mobile = c.mobileEncoding === "none" ? undefined : (identity(m, "mobile_number") ?? attribute(m, "$mobile"));
  if (mobile && c.mobileEncoding === "raw") user_attributes.mobile = mobile.trim();
  if (mobile && c.mobileEncoding === "sha256") {
    const h = await hashPhone(mobile);
    if (h) user_attributes.mobilesha256 = h;
  }
  // The seed lists mpid among the identities Rokt receives; a batch's top-level `mpid` would be read as
  // Rokt's own user id, so ours travels as an attribute.
  user_attributes.mpid = m.mpid;
  const status = action === "add" ? "add" : "drop";
  return {
    environment: "production",
    user_identities,
    user_attributes,
    events: [
      {
        event_type: "custom_event",
        data: {
          event_name: AUDIENCE_EVENT,
          custom_event_type: "other",
          source_message_id: await messageId(`${audience.id}:${m.mpid}:${status}:${now}`),
          timestamp_unixtime_ms: now,
          custom_attributes: { audience_name: audience.external_name, status },
        },
      },
    ],
  };
}
