/** Vocabularies of the batch JSON reference: event types, identity keys, enums we route on. */
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
