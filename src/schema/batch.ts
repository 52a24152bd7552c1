/**
 * Inbound Events API batch (mParticle "JSON reference", schema version 2): the single source of the
 * batch types. Lenient where real SDKs are: unknown fields are kept at every level, explicit `null`
 * means "absent", numeric strings are accepted for numbers, MPIDs arrive as number or string and
 * `customerid` is accepted next to `customer_id`. Strict where processing would be impossible or the
 * data corrupted (required event fields, MPIDs that are not 64-bit integers, enums we route on).
 * Every schema is built once at module load; parsing allocates nothing but its result.
 */
import { z } from "zod";

// ---------------------------------------------------------------------------------------------
// Vocabularies
// ---------------------------------------------------------------------------------------------

/** Every inbound `event_type` (JSON reference + EV-OAS/MODELS enum; media is a `custom_event`). */
export const EVENT_TYPES = [
  "custom_event",
  "commerce_event",
  "session_start",
  "session_end",
  "screen_view",
  "uninstall",
  "crash_report",
  "opt_out",
  "push_registration",
  "application_state_transition",
  "push_message",
  "network_performance",
  "breadcrumb",
  "first_run",
  "pre_attribution",
  "profile",
  "push_reaction",
  "user_attribute_change",
  "user_identity_change",
  "unknown",
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** Events API batch `user_identities` keys (§2.9), canonical `customer_id` spelling. */
export const IDENTITY_TYPES = [
  "other",
  "customer_id",
  "facebook",
  "twitter",
  "google",
  "microsoft",
  "yahoo",
  "email",
  "alias",
  "facebook_custom_audience_id",
  "other_id_2",
  "other_id_3",
  "other_id_4",
  "other_id_5",
  "other_id_6",
  "other_id_7",
  "other_id_8",
  "other_id_9",
  "other_id_10",
  "mobile_number",
  "phone_number_2",
  "phone_number_3",
] as const;
export type IdentityType = (typeof IDENTITY_TYPES)[number];

export const CUSTOM_EVENT_TYPES = [
  "navigation",
  "location",
  "search",
  "transaction",
  "user_content",
  "user_preference",
  "social",
  "other",
  "media",
  "attribution",
  "unknown",
] as const;
export type CustomEventType = (typeof CUSTOM_EVENT_TYPES)[number];

export const PRODUCT_ACTIONS = [
  "add_to_cart",
  "remove_from_cart",
  "checkout",
  "checkout_option",
  "click",
  "view_detail",
  "purchase",
  "refund",
  "add_to_wishlist",
  "remove_from_wish_list",
  "unknown",
] as const;
export type ProductActionType = (typeof PRODUCT_ACTIONS)[number];

export const APPLICATION_TRANSITION_TYPES = [
  "application_initialized",
  "application_exit",
  "application_background",
  "application_foreground",
] as const;

// ---------------------------------------------------------------------------------------------
// Field building blocks (shared instances; a schema may appear under many keys)
// ---------------------------------------------------------------------------------------------

const absent = (v: unknown): unknown => (v === null ? undefined : v);
const orEmptyObject = (v: unknown): unknown => v ?? {};

/** Optional field where an explicit `null` counts as absent. */
const opt = <S extends z.ZodType>(schema: S) => z.preprocess(absent, schema.optional());

const NUMERIC = /^\s*-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$/;
/** Optional number; SDKs sometimes send timestamps and amounts as numeric strings. */
const num = z.preprocess(
  (v) => (v === null || v === "" ? undefined : typeof v === "string" && NUMERIC.test(v) ? Number(v) : v),
  z.number().optional(),
);
/** Optional boolean; "true"/"false" strings are coerced. */
const bool = z.preprocess(
  (v) => (v === null ? undefined : v === "true" ? true : v === "false" ? false : v),
  z.boolean().optional(),
);
const str = opt(z.string());
/** Optional identifier or label that callers sometimes send as a number: kept as a string. */
const text = z.preprocess(
  (v) => (v === null ? undefined : typeof v === "number" && Number.isFinite(v) ? String(v) : v),
  z.string().optional(),
);
/** int64 ids the server assigns (session_id, event_id) and fields documented both ways: kept as given. */
const numOrStr = opt(z.union([z.number(), z.string()]));
const looseMap = opt(z.record(z.string(), z.unknown()));
const looseObj = opt(z.looseObject({}));

type Scalar = string | number | boolean | null;
const isScalar = (v: unknown): v is Scalar =>
  v === null || typeof v === "string" || typeof v === "boolean" || (typeof v === "number" && Number.isFinite(v));

/** Event attribute value: SDKs send numbers and booleans unconverted; kept as given. */
const eventAttrValue = z.custom<Scalar>(isScalar, {
  error: "Attribute values must be a string, number, boolean or null.",
});
/** User attribute value: a scalar, or a list (arrays kept as given). `null` is a tag without value. */
export type UserAttributeValue = Scalar | Array<string | number | boolean>;
const userAttrValue = z.custom<UserAttributeValue>(
  (v) => isScalar(v) || (Array.isArray(v) && v.every((e) => e !== null && isScalar(e))),
  { error: "User attribute values must be a string, number, boolean, null or an array of those." },
);
const eventAttrs = opt(z.record(z.string(), eventAttrValue));

const requiredMsg = (field: string) => `Required event field "${field}" is missing or empty.`;

/** Required non-blank string (null, missing, "" and whitespace-only all fail with the same message). */
function requiredString(field: string) {
  const missing = requiredMsg(field);
  return z.preprocess(
    absent,
    z
      .string({ error: (iss) => (iss.input === undefined ? missing : `Event field "${field}" must be a string.`) })
      .refine((s) => s.trim().length > 0, { error: missing }),
  );
}

/** Required enum matched case-insensitively; `aliases` maps other spellings (lower-case keys). */
function requiredEnum<const T extends readonly [string, ...string[]]>(
  field: string,
  values: T,
  aliases: Record<string, T[number]> = {},
) {
  const lookup = new Map<string, T[number]>(values.map((v) => [v.toLowerCase(), v]));
  for (const [k, v] of Object.entries(aliases)) lookup.set(k, v);
  const missing = requiredMsg(field);
  return z.preprocess(
    (v) => (typeof v === "string" ? (lookup.get(v.trim().toLowerCase()) ?? v) : absent(v)),
    z.enum(values, {
      error: (iss) =>
        iss.input === undefined || iss.input === ""
          ? missing
          : `Event field "${field}" must be one of: ${values.join(", ")}.`,
    }),
  );
}

// ---------------------------------------------------------------------------------------------
// MPID
// ---------------------------------------------------------------------------------------------

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const INTEGER_STRING = /^-?\d{1,20}$/;
const MPID_ERROR = "MPID must be a signed 64-bit integer (JSON number or decimal string).";

/**
 * Normalises an MPID to its decimal string; `undefined` for none (absent, null, "", 0) and `null`
 * when the value is not a 64-bit integer. A JSON number beyond 2^53 has already lost precision when
 * parsed; it is rendered with JavaScript's shortest round-trip form, which is the text a JS client
 * (Node SDK) put on the wire, so the same client number always yields the same string.
 */
export function normalizeMpid(v: unknown): string | undefined | null {
  if (v === undefined || v === null || v === "") return undefined;
  if (typeof v === "number") {
    if (!Number.isInteger(v) || v < -9223372036854775808 || v >= 9223372036854775808) return null;
    return v === 0 ? undefined : String(v);
  }
  if (typeof v === "string") {
    const s = v.trim();
    if (!INTEGER_STRING.test(s)) return null;
    const n = BigInt(s);
    if (n < INT64_MIN || n > INT64_MAX) return null;
    return n === 0n ? undefined : n.toString();
  }
  return null;
}

/** MPID field: number or string in, canonical decimal string (or absent) out. */
export const mpidSchema = z.preprocess((v, ctx) => {
  const mpid = normalizeMpid(v);
  if (mpid === null) ctx.addIssue({ code: "custom", message: MPID_ERROR, input: v });
  return mpid;
}, z.string().optional());

// ---------------------------------------------------------------------------------------------
// Nested objects
// ---------------------------------------------------------------------------------------------

const location = z.looseObject({
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

const product = z.looseObject({
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
const products = opt(z.array(product));

const productAction = z.looseObject({
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
const promotionAction = z.looseObject({
  action: str,
  promotions: opt(
    z.array(z.looseObject({ id: text, name: text, creative: text, position: text })),
  ),
});

const productImpression = z.looseObject({ product_impression_list: text, products });

const identityChange = z.looseObject({
  identity_type: z.preprocess((v) => (v === "customerid" ? "customer_id" : absent(v)), z.string().optional()),
  identity: text,
  timestamp_unixtime_ms: num,
  created_this_batch: bool,
});

const consentPurpose = z.looseObject({
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

const consentState = z.looseObject({
  gdpr: opt(z.record(z.string(), consentPurpose)),
  ccpa: opt(z.looseObject({ data_sale_opt_out: opt(consentPurpose) })),
});

const deviceInfo = z.looseObject({
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

const applicationInfo = z.looseObject({
  application_name: text,
  application_version: text,
  application_build_number: text,
  install_referrer: text,
  package: text,
  os: text,
  apple_search_ads_attributes: looseMap,
  sideloaded_kits_count: num,
});

const context = z.looseObject({
  data_plan: opt(z.looseObject({ plan_id: text, plan_version: num })),
  location: opt(location),
});

// ---------------------------------------------------------------------------------------------
// user_identities
// ---------------------------------------------------------------------------------------------

/** Identity values: numbers become strings; null and "" are absent (an empty id would merge users). */
const identityValue = z.preprocess(
  (v) => (v === null || v === "" ? undefined : typeof v === "number" && Number.isFinite(v) ? String(v) : v),
  z.string().optional(),
);

export type UserIdentities = { [K in IdentityType]?: string } & { [key: string]: unknown };

const identityShape = Object.fromEntries(
  [...IDENTITY_TYPES, "customerid"].map((k) => [k, identityValue]),
) as Record<IdentityType | "customerid", typeof identityValue>;

const userIdentities = opt(
  z.looseObject(identityShape).transform((ids): UserIdentities => {
    if (!("customerid" in ids)) return ids;
    // Both spellings (Node SDK `customerid`, Web SDK `customer_id`): the canonical one wins if both are set.
    const { customerid, ...rest } = ids;
    if (rest.customer_id === undefined && customerid !== undefined) rest.customer_id = customerid;
    return rest;
  }),
);

// ---------------------------------------------------------------------------------------------
// Events
// ---------------------------------------------------------------------------------------------

/** §2.2 fields common to every event's `data`. */
const COMMON = {
  timestamp_unixtime_ms: num,
  source_message_id: text,
  session_uuid: text,
  session_id: numOrStr,
  session_start_unixtime_ms: num,
  event_start_unixtime_ms: num,
  event_id: numOrStr,
  event_num: num,
  custom_attributes: eventAttrs,
  custom_flags: looseMap,
  location: opt(location),
  device_current_state: looseObj,
};

const data = <S extends z.core.$ZodLooseShape>(shape: S) => z.looseObject({ ...COMMON, ...shape });

const CUSTOM_EVENT_TYPE_LOOKUP = new Map<string, CustomEventType>(CUSTOM_EVENT_TYPES.map((t) => [t, t]));

/**
 * `custom_event_type`, matched case-insensitively. The reference marks it required but the SDKs
 * always fill it, so a missing one is taken as "other" (the SDKs' own default), and a string
 * outside the enum as "unknown" rather than rejecting the event: the event itself is still usable.
 */
const customEventType = z.preprocess(
  (v) =>
    v === undefined || v === null || v === ""
      ? "other"
      : typeof v === "string"
        ? (CUSTOM_EVENT_TYPE_LOOKUP.get(v.trim().toLowerCase()) ?? "unknown")
        : v,
  z.enum(CUSTOM_EVENT_TYPES, { error: 'Event field "custom_event_type" must be a string.' }),
);

const userAttributeChangeValue = opt(userAttrValue);

const EVENT_DATA = {
  custom_event: data({
    event_name: requiredString("event_name"),
    custom_event_type: customEventType,
    media_info: looseObj,
  }),
  commerce_event: data({
    product_action: opt(productAction),
    promotion_action: opt(promotionAction),
    product_impressions: opt(z.array(productImpression)),
    shopping_cart: opt(z.looseObject({ products })),
    currency_code: text,
    screen_name: text,
    is_non_interactive: bool,
    event_name: text,
    custom_event_type: str,
  }).superRefine((d, ctx) => {
    if (!d.product_action && !d.promotion_action && !d.product_impressions?.length) {
      ctx.addIssue({
        code: "custom",
        message:
          'A commerce_event requires one of "product_action", "promotion_action" or "product_impressions".',
        input: d,
      });
    }
  }),
  session_start: data({}),
  session_end: data({ session_duration_ms: num }),
  screen_view: data({ screen_name: requiredString("screen_name"), activity_type: str }),
  uninstall: data({}),
  crash_report: data({
    class_name: text,
    breadcrumbs: opt(z.array(z.unknown())),
    severity: text,
    message: text,
    stack_trace: text,
    exception_handled: bool,
    topmost_context: text,
    pl_crash_report_file_base64: text,
    ios_image_base_address: num,
    ios_image_size: num,
    session_number: num,
  }),
  opt_out: data({ is_opted_out: bool }),
  push_registration: data({ register: bool, registration_token: requiredString("registration_token") }),
  application_state_transition: data({
    application_transition_type: requiredEnum("application_transition_type", APPLICATION_TRANSITION_TYPES),
    is_first_run: bool,
    is_upgrade: bool,
    successfully_closed: bool,
    push_notification_payload: text,
    launch_referral: text,
  }),
  push_message: data({
    push_message_token: text,
    push_message_type: str,
    message: text,
    network: str,
    push_notification_payload: text,
    application_state: str,
    action_identifier: text,
    push_message_behavior: numOrStr, // docs: int bitmask; EV-SCHEMA/MODELS: string enum
  }),
  network_performance: data({
    http_verb: text,
    url: text,
    time_elapsed: num,
    bytes_in: num,
    bytes_out: num,
    response_code: numOrStr, // docs: string, EV-SCHEMA: int; kept as given
    data: text,
  }),
  breadcrumb: data({ label: requiredString("label"), session_number: num }),
  first_run: data({}),
  pre_attribution: data({}),
  profile: data({ previous_mpid: mpidSchema, current_mpid: mpidSchema, profile_event_type: str }),
  push_reaction: data({}),
  user_attribute_change: data({
    user_attribute_name: text,
    new: userAttributeChangeValue,
    old: userAttributeChangeValue,
    deleted: bool,
    is_new_attribute: bool,
  }),
  user_identity_change: data({ new: opt(identityChange), old: opt(identityChange) }),
  unknown: data({}),
} satisfies Record<EventType, z.ZodType>;

const ev = <T extends EventType>(type: T) =>
  z.looseObject({
    event_type: z.literal(type),
    // A missing/null `data` is an empty one; required fields then fail with their own path.
    data: z.preprocess(orEmptyObject, EVENT_DATA[type] as (typeof EVENT_DATA)[T]),
  });

const eventSchema = z.discriminatedUnion(
  "event_type",
  [
    ev("custom_event"),
    ev("commerce_event"),
    ev("session_start"),
    ev("session_end"),
    ev("screen_view"),
    ev("uninstall"),
    ev("crash_report"),
    ev("opt_out"),
    ev("push_registration"),
    ev("application_state_transition"),
    ev("push_message"),
    ev("network_performance"),
    ev("breadcrumb"),
    ev("first_run"),
    ev("pre_attribution"),
    ev("profile"),
    ev("push_reaction"),
    ev("user_attribute_change"),
    ev("user_identity_change"),
    ev("unknown"),
  ],
  {
    error: (iss) => {
      const input: unknown = iss.input;
      if (typeof input !== "object" || input === null || Array.isArray(input)) return "Event must be a JSON object.";
      const t = (input as Record<string, unknown>).event_type;
      return t === undefined || t === null || t === ""
        ? requiredMsg("event_type")
        : `Unknown event_type ${JSON.stringify(t)}.`;
    },
  },
);

// ---------------------------------------------------------------------------------------------
// Batch
// ---------------------------------------------------------------------------------------------

/**
 * `environment`, case-insensitive. OAS also lists `unknown`; it and a missing value mean
 * "production", the documented default.
 */
const environment = z.preprocess(
  (v) => {
    if (v === undefined || v === null || v === "") return "production";
    if (typeof v !== "string") return v;
    const e = v.trim().toLowerCase();
    return e === "unknown" ? "production" : e;
  },
  z.enum(["production", "development"], {
    error: 'Field "environment" must be "production" or "development".',
  }),
);

export const batchSchema = z.looseObject(
  {
    events: z.preprocess(
      (v) => v ?? [],
      z.array(eventSchema, { error: 'Field "events" must be an array of events.' }),
    ),
    environment,
    source_request_id: text,
    mpid: mpidSchema,
    mp_deviceid: text,
    ip: str,
    timestamp_unixtime_ms: num,
    sdk_version: text,
    schema_version: num,
    api_key: str,
    api_keys: opt(z.array(z.string())),
    device_info: opt(deviceInfo),
    application_info: opt(applicationInfo),
    user_attributes: opt(z.record(z.string(), userAttrValue)),
    deleted_user_attributes: opt(z.array(z.string())),
    user_identities: userIdentities,
    partner_identities: looseMap,
    integration_attributes: looseMap,
    consent_state: opt(consentState),
    context: opt(context),
  },
  { error: "Batch must be a JSON object." },
);

export type Batch = z.output<typeof batchSchema>;
export type BatchEvent = Batch["events"][number];
/** The parsed `data` of one event type, e.g. `EventData<"custom_event">`. */
export type EventData<T extends EventType> = Extract<BatchEvent, { event_type: T }>["data"];

// ---------------------------------------------------------------------------------------------
// Parsing entry points
// ---------------------------------------------------------------------------------------------

export type BatchError = { code: "BAD_REQUEST"; message: string };
export type ParseBatchResult = { ok: true; batch: Batch } | { ok: false; errors: BatchError[] };
export type ParseBatchArrayResult = { ok: true; batches: Batch[] } | { ok: false; errors: BatchError[] };

/** At most this many error entries are reported per request. */
export const MAX_ERRORS = 10;

const IDENT = /^[A-Za-z_$][\w$]*$/;

function formatPath(prefix: string, path: readonly PropertyKey[]): string {
  let out = prefix;
  for (const seg of path) {
    if (typeof seg === "number") out += `[${seg}]`;
    else {
      const s = String(seg);
      out += IDENT.test(s) ? (out ? `.${s}` : s) : `[${JSON.stringify(s)}]`;
    }
  }
  return out;
}

const badRequest = (where: string, message: string): BatchError => ({
  code: "BAD_REQUEST",
  message: where ? `${where}: ${message}` : message,
});

function toErrors(issues: readonly z.core.$ZodIssue[], prefix: string, max: number): BatchError[] {
  return issues.slice(0, max).map((iss) => badRequest(formatPath(prefix, iss.path), iss.message));
}

/** Validates and normalises one batch; `path` prefixes error locations (e.g. `[3]` in bulk). */
export function parseBatch(input: unknown, path = ""): ParseBatchResult {
  const r = batchSchema.safeParse(input);
  return r.success ? { ok: true, batch: r.data } : { ok: false, errors: toErrors(r.error.issues, path, MAX_ERRORS) };
}

/**
 * Validates a `/v2/bulkevents` body: an array of 1..max batches. All or nothing: any invalid batch
 * fails the whole array, and errors name the batch index (`[3].events[0].event_type: ...`).
 */
export function parseBatchArray(input: unknown, max: number): ParseBatchArrayResult {
  if (!Array.isArray(input)) return { ok: false, errors: [badRequest("", "Body must be a JSON array of batches.")] };
  if (input.length === 0) return { ok: false, errors: [badRequest("", "Body must contain at least one batch.")] };
  if (input.length > max) {
    return { ok: false, errors: [badRequest("", `Too many batches: ${input.length} (at most ${max} per request).`)] };
  }
  const batches: Batch[] = [];
  const errors: BatchError[] = [];
  for (let i = 0; i < input.length; i++) {
    const r = batchSchema.safeParse(input[i]);
    if (r.success) batches.push(r.data);
    else {
      errors.push(...toErrors(r.error.issues, `[${i}]`, MAX_ERRORS - errors.length));
      if (errors.length >= MAX_ERRORS) break;
    }
  }
  return errors.length ? { ok: false, errors } : { ok: true, batches };
}
