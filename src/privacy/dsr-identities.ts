/**
 * OpenDSR identity types ↔ our internal identity names (IDSync keys, src/identity/identity-types.ts),
 * after mparticle-api.md §8.2 and the DSR API pages' "Supported Identity Types" tables.
 */
import type { DsrIdentity } from "./dsr-types";

/** Top-level `subject_identities` types (the OpenDSR spec's list) → internal name. */
export const OPENDSR_TO_INTERNAL: Readonly<Record<string, string>> = {
  controller_customer_id: "customerid",
  email: "email",
  android_advertising_id: "android_aaid",
  android_id: "android_uuid",
  fire_advertising_id: "fire_aid",
  ios_advertising_id: "ios_idfa",
  ios_vendor_id: "ios_idfv",
  microsoft_advertising_id: "microsoft_aid",
  microsoft_publisher_id: "microsoft_publisher_id",
  roku_advertising_id: "roku_aid",
  roku_publisher_id: "roku_publisher_id",
  // mParticle's table spells it "roku_publishing_id"; the spec and discovery say roku_publisher_id.
  roku_publishing_id: "roku_publisher_id",
};

/** Types accepted only inside the `opendsr.mparticle.com` extension → internal name ("mpid" is the MPID itself). */
export const EXTENSION_TO_INTERNAL: Readonly<Record<string, string>> = {
  mpid: "mpid",
  other: "other",
  // The v2 page's example extension uses "other1" for `other`.
  other1: "other",
  ...Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`other${i + 2}`, `other${i + 2}`])),
  mobile_number: "mobile_number",
  phone_number_2: "phone_number_2",
  phone_number_3: "phone_number_3",
};

/** Discovery's `supported_identities` (top-level types, raw only). */
export const DISCOVERY_IDENTITY_TYPES = [
  "android_advertising_id",
  "android_id",
  "controller_customer_id",
  "email",
  "fire_advertising_id",
  "ios_advertising_id",
  "ios_vendor_id",
  "microsoft_advertising_id",
  "microsoft_publisher_id",
  "roku_advertising_id",
  "roku_publisher_id",
] as const;

/** The only identity encoding mParticle accepts (the spec also defines sha1, md5, sha256). */
export const RAW_FORMAT = "raw";

/** Identities in a canonical order (type, then value) without duplicates: the stored form and the 409 key. */
export function canonicalIdentities(ids: DsrIdentity[]): DsrIdentity[] {
  const seen = new Set<string>();
  const out: DsrIdentity[] = [];
  for (const id of ids) {
    const k = `${id.type}\u0000${id.value}`;
    if (!seen.has(k)) seen.add(k), out.push({ type: id.type, value: id.value });
  }
  return out.sort((a, b) => (a.type === b.type ? (a.value < b.value ? -1 : a.value > b.value ? 1 : 0) : a.type < b.type ? -1 : 1));
}
