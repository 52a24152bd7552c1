/** Per-event-type `data` schemas and the event union of the batch schema. */
import { z } from "zod";
import { APPLICATION_TRANSITION_TYPES, CUSTOM_EVENT_TYPES, type CustomEventType, type EventType } from "./batch-vocabulary";
import { bool, eventAttrs, looseMap, looseObj, mpidSchema, num, numOrStr, opt, orEmptyObject, requiredEnum, requiredMsg, requiredString, str, text, userAttrValue } from "./batch-fields";
import { identityChange, location, productAction, productImpression, products, promotionAction } from "./batch-nested";

// ---------------------------------------------------------------------------------------------
// Events
// ---------------------------------------------------------------------------------------------

/** §2.2 fields common to every event's `data`. */
export const COMMON = {
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

export const data = <S extends z.core.$ZodLooseShape>(shape: S) => z.looseObject({ ...COMMON, ...shape });

export const CUSTOM_EVENT_TYPE_LOOKUP = new Map<string, CustomEventType>(CUSTOM_EVENT_TYPES.map((t) => [t, t]));

/**
 * `custom_event_type`, matched case-insensitively. The reference marks it required but the SDKs
 * always fill it, so a missing one is taken as "other" (the SDKs' own default), and a string
 * outside the enum as "unknown" rather than rejecting the event: the event itself is still usable.
 */
export const customEventType = z.preprocess(
  (v) =>
    v === undefined || v === null || v === ""
      ? "other"
      : typeof v === "string"
        ? (CUSTOM_EVENT_TYPE_LOOKUP.get(v.trim().toLowerCase()) ?? "unknown")
        : v,
  z.enum(CUSTOM_EVENT_TYPES, { error: 'Event field "custom_event_type" must be a string.' }),
);

export const userAttributeChangeValue = opt(userAttrValue);

export const EVENT_DATA = {
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

export const ev = <T extends EventType>(type: T) =>
  z.looseObject({
    event_type: z.literal(type),
    // A missing/null `data` is an empty one; required fields then fail with their own path.
    data: z.preprocess(orEmptyObject, EVENT_DATA[type] as (typeof EVENT_DATA)[T]),
  });

export const eventSchema = z.discriminatedUnion(
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
