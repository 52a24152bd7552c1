/**
 * The three identity vocabularies (mparticle-api.md §2.9): Events API batch keys, IDSync keys, and device
 * fields of `device_info`. Internally (IdentityIndex, UserProfile) identities use the IDSync keys.
 */

/** Events API `user_identities` key → IDSync key. */
export const BATCH_TO_IDSYNC: Record<string, string> = {
  other: "other",
  customer_id: "customerid",
  customerid: "customerid",
  facebook: "facebook",
  twitter: "twitter",
  google: "google",
  microsoft: "microsoft",
  yahoo: "yahoo",
  email: "email",
  alias: "alias",
  facebook_custom_audience_id: "facebookcustomaudienceid",
  other_id_2: "other2",
  other_id_3: "other3",
  other_id_4: "other4",
  other_id_5: "other5",
  other_id_6: "other6",
  other_id_7: "other7",
  other_id_8: "other8",
  other_id_9: "other9",
  other_id_10: "other10",
  mobile_number: "mobile_number",
  phone_number_2: "phone_number_2",
  phone_number_3: "phone_number_3",
};

/** IDSync user-identity key → Events API batch key (outbound `user_identities[].identity_type`). */
export const IDSYNC_TO_BATCH: Record<string, string> = Object.fromEntries(
  Object.entries(BATCH_TO_IDSYNC).filter(([k]) => k !== "customerid").map(([k, v]) => [v, k]),
);

/** `device_info` field → IDSync device identity key. */
export const DEVICE_INFO_TO_IDSYNC: Record<string, string> = {
  ios_advertising_id: "ios_idfa",
  ios_idfv: "ios_idfv",
  android_advertising_id: "android_aaid",
  android_uuid: "android_uuid",
  roku_advertising_id: "roku_aid",
  roku_publisher_id: "roku_publisher_id",
  fire_advertising_id: "fire_aid",
  microsoft_advertising_id: "microsoft_aid",
  microsoft_publisher_id: "microsoft_publisher_id",
  push_token: "push_token",
  amp_id: "amp_id",
};

/** Default identity priority (mparticle-api.md §3.7), IDSync keys; ids not listed come after, in this order. */
export const DEFAULT_PRIORITY: readonly string[] = [
  "customerid",
  "mobile_number",
  "email",
  "other",
  "facebook",
  "google",
  "twitter",
  "microsoft",
  "yahoo",
  "ios_idfa",
  "ios_idfv",
  "android_aaid",
  "android_uuid",
  "roku_aid",
  "roku_publisher_id",
  "microsoft_publisher_id",
  "microsoft_aid",
  "device_application_stamp",
  "other2",
  "other3",
  "other4",
  "other5",
  "other6",
  "other7",
  "other8",
  "other9",
  "other10",
  "phone_number_2",
  "phone_number_3",
  "facebookcustomaudienceid",
  "fire_aid",
  "push_token",
  "amp_id",
  "alias",
];

/** Device identity keys (not user identities): they live in `device_info`, never in `user_identities`. */
export const DEVICE_IDENTITY_TYPES = new Set([...Object.values(DEVICE_INFO_TO_IDSYNC), "device_application_stamp"]);

export type Identity = { type: string; value: string };
