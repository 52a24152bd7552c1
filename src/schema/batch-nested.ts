/** Nested objects of a batch: location, device and application info, consent, commerce parts. */
import { z } from "zod";
import { IDENTITY_TYPES, type IdentityType, PRODUCT_ACTIONS } from "./batch-vocabulary";
import { absent, bool, eventAttrs, looseMap, num, opt, requiredEnum, str, text } from "./batch-fields";

// ---------------------------------------------------------------------------------------------
// Nested objects
// ---------------------------------------------------------------------------------------------

export const location = z.looseObject({
  latitude: num,
  longitude: num,
  accuracy: num,
  country_code: text,
  region_code: text,
  city_name: text,
  postal_code: text,
  dma_code: num,
  location_source: str,
});

export const product = z.looseObject({
  id: text,
  name: text,
  brand: text,
  category: text,
  variant: text,
  position: num,
  price: num,
  quantity: num,
  total_product_amount: num,
  coupon_code: text,
  added_to_cart_time_ms: num,
  custom_attributes: eventAttrs,
});
export const products = opt(z.array(product));

export const productAction = z.looseObject({
  // MODELS/PY also accept "unknown"; the commerce custom_event_type spelling "remove_from_wishlist"
  // is taken as the product action it names.
  action: requiredEnum("action", PRODUCT_ACTIONS, { remove_from_wishlist: "remove_from_wish_list" }),
  checkout_step: num,
  checkout_options: text,
  product_action_list: text,
  product_list_source: text,
  transaction_id: text,
  affiliation: text,
  total_amount: num,
  tax_amount: num,
  shipping_amount: num,
  coupon_code: text,
  products,
});

// Optional enums we do not route on (promotion action, push types, platform...) are kept as the
// strings given: an unexpected value there is not worth rejecting a whole batch for.
export const promotionAction = z.looseObject({
  action: str,
  promotions: opt(
    z.array(z.looseObject({ id: text, name: text, creative: text, position: text })),
  ),
});

export const productImpression = z.looseObject({ product_impression_list: text, products });

export const identityChange = z.looseObject({
  identity_type: z.preprocess((v) => (v === "customerid" ? "customer_id" : absent(v)), z.string().optional()),
  identity: text,
  timestamp_unixtime_ms: num,
  created_this_batch: bool,
});

export const consentPurpose = z.looseObject({
  // Consent without a decision would be recorded as something the user never said: reject it.
  consented: z.preprocess(
    absent,
    z.boolean({ error: 'Required consent field "consented" is missing or not a boolean.' }),
  ),
  document: str,
  timestamp_unixtime_ms: num,
  location: str,
  hardware_id: str,
});

export const consentState = z.looseObject({
  gdpr: opt(z.record(z.string(), consentPurpose)),
  ccpa: opt(z.looseObject({ data_sale_opt_out: opt(consentPurpose) })),
});

export const deviceInfo = z.looseObject({
  brand: text,
  product: text,
  device: text,
  android_uuid: text,
  device_manufacturer: text,
  platform: text,
  os_version: text,
  device_model: text,
  screen_height: num,
  screen_width: num,
  screen_dpi: num,
  device_country: text,
  locale_language: text,
  locale_country: text,
  network_country: text,
  network_carrier: text,
  network_code: text,
  network_mobile_country_code: text,
  timezone_offset: num,
  build_identifier: text,
  http_header_user_agent: text,
  ios_advertising_id: text,
  att_authorization_status: text,
  att_timestamp_unixtime_ms: num,
  push_token: text,
  cpu_architecture: text,
  is_tablet: bool,
  push_notification_sound_enabled: bool,
  push_notification_vibrate_enabled: bool,
  radio_access_technology: text,
  supports_telephony: bool,
  has_nfc: bool,
  bluetooth_enabled: bool,
  bluetooth_version: text,
  ios_idfv: text,
  android_advertising_id: text,
  build_version_release: text,
  limit_ad_tracking: bool,
  amp_id: text,
  is_dst: bool,
  roku_advertising_id: text,
  roku_publisher_id: text,
  microsoft_advertising_id: text,
  microsoft_publisher_id: text,
  fire_advertising_id: text,
});

export const applicationInfo = z.looseObject({
  application_name: text,
  application_version: text,
  application_build_number: text,
  install_referrer: text,
  package: text,
  os: text,
  apple_search_ads_attributes: looseMap,
  sideloaded_kits_count: num,
});

export const context = z.looseObject({
  data_plan: opt(z.looseObject({ plan_id: text, plan_version: num })),
  location: opt(location),
});

// ---------------------------------------------------------------------------------------------
// user_identities
// ---------------------------------------------------------------------------------------------

/** Identity values: numbers become strings; null and "" are absent (an empty id would merge users). */
export const identityValue = z.preprocess(
  (v) => (v === null || v === "" ? undefined : typeof v === "number" && Number.isFinite(v) ? String(v) : v),
  z.string().optional(),
);

export type UserIdentities = { [K in IdentityType]?: string } & { [key: string]: unknown };

export const identityShape = Object.fromEntries(
  [...IDENTITY_TYPES, "customerid"].map((k) => [k, identityValue]),
) as Record<IdentityType | "customerid", typeof identityValue>;

export const userIdentities = opt(
  z.looseObject(identityShape).transform((ids): UserIdentities => {
    if (!("customerid" in ids)) return ids;
    // Both spellings (Node SDK `customerid`, Web SDK `customer_id`): the canonical one wins if both are set.
    const { customerid, ...rest } = ids;
    if (rest.customer_id === undefined && customerid !== undefined) rest.customer_id = customerid;
    return rest;
  }),
);
