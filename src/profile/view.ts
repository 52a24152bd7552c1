/** The Profile API's JSON shape (mparticle-api.md §4) from a stored profile. */
import type { ProfileView } from "../durable/user-profile";
import { withCalculated } from "./calculated";
import { DEVICE_IDENTITY_TYPES, IDSYNC_TO_BATCH } from "../identity/identity-types";

/** IDSync device keys → Profile API `device_identities[].type`. */
const DEVICE_TYPE_NAMES: Record<string, string> = {
  android_uuid: "android_id",
  android_aaid: "google_advertising_id",
  ios_idfa: "ios_advertising_id",
  ios_idfv: "ios_vendor_id",
  roku_aid: "roku_advertising_id",
  roku_publisher_id: "roku_publisher_id",
  fire_aid: "fire_advertising_id",
  microsoft_aid: "microsoft_advertising_id",
  microsoft_publisher_id: "microsoft_publisher_id",
  push_token: "push_token",
  amp_id: "amp_id",
  device_application_stamp: "mp_device_application_stamp",
};

/** The sections a caller may ask for with `fields=` (`consent_state` is our addition: the workspace's consent of the user). */
export const PROFILE_FIELDS = ["device_identities", "user_identities", "user_attributes", "audience_memberships", "attribution", "consent_state"] as const;
export type ProfileField = (typeof PROFILE_FIELDS)[number];

type Identity = { type: string; encoding: "none"; value: string };

/** The Profile API body with `mpid` as a decimal string. */
export function profileBody(p: ProfileView, fields: Set<ProfileField>): Record<string, unknown> {
  const body: Record<string, unknown> = {
    mpid: p.mpid,
    created_timestamp_ms: p.createdAt,
    last_stored_timestamp_ms: p.lastSeen,
    is_opted_out: false,
    limit_ad_tracking: null,
  };
  if (fields.has("device_identities")) {
    body.device_identities = p.identities
      .filter((i) => DEVICE_IDENTITY_TYPES.has(i.type))
      .map((i): Identity => ({ type: DEVICE_TYPE_NAMES[i.type] ?? "unknown", encoding: "none", value: i.value }));
  }
  if (fields.has("user_identities")) {
    body.user_identities = p.identities
      .filter((i) => !DEVICE_IDENTITY_TYPES.has(i.type))
      .map((i): Identity => ({ type: IDSYNC_TO_BATCH[i.type] ?? i.type, encoding: "none", value: i.value }));
  }
  if (fields.has("user_attributes")) {
    body.account_userattributes = null;
    // Calculated attributes are user attributes too; a CA wins over a same-named attribute (audiences.md §3).
    body.user_attributes = withCalculated(p.attributes, p.modules?.calculatedAttributes);
  }
  // Real-time audience memberships of the workspace (src/durable/profile/audiences.ts); attribution arrives later.
  if (fields.has("audience_memberships")) body.audience_memberships = p.modules.audiences ?? [];
  if (fields.has("attribution")) body.attribution = null;
  if (fields.has("consent_state")) body.consent_state = p.consent;
  return body;
}

/**
 * The Profile API answer as JSON text. mParticle sends `mpid` as a JSON number; it is written with all its
 * digits (a JSON number, no float rounding on our side).
 */
export function profileJson(p: ProfileView, fields: Set<ProfileField>): string {
  const body = { ...profileBody(p, fields), mpid: "__MPID__" };
  return JSON.stringify(body).replace('"__MPID__"', /^-?\d+$/.test(p.mpid) ? p.mpid : "0");
}
