import type { OutboundBatch, OutboundEvent } from "../../pipeline/outbound";
import { fixtureBatch, type IntegrationFixture } from "../runtime/fixtures";

const AF_ID = "1700000000000-1234567890123456789";
const T = 1_764_000_000_000; // 2025-11-24 16:00:00.000 UTC
const TIME = "2025-11-24 16:00:00.000";
const IOS = "https://api2.appsflyer.com/inappevent/id123456789";
const config = { devKey: "dev-key-1" };
const connection = { appleAppId: "123456789" };

const ev = (event_type: string, data: Record<string, unknown>, i = 0): OutboundEvent => ({
  event_type,
  data: { timestamp_unixtime_ms: T, message_id: `${100 + i}`, event_id: `${100 + i}`, ...data },
});

export const iosBatch = (events: OutboundEvent[], extra: Partial<OutboundBatch> = {}): OutboundBatch =>
  fixtureBatch({
    device_info: { platform: "iOS", ios_advertising_id: "IDFA-1", ios_idfv: "IDFV-1", att_authorization_status: "authorized" },
    application_info: { package: "com.example.app", application_version: "2.1" },
    integration_attributes: { "92": { appsflyer_id: AF_ID } },
    ip: "203.0.113.9",
    events,
    ...extra,
  });

/** Body fields every iOS request of `iosBatch` carries. */
const shared = {
  appsflyer_id: AF_ID,
  customer_user_id: "cust-1",
  ip: "203.0.113.9",
  idfa: "IDFA-1",
  idfv: "IDFV-1",
  att: 3,
  bundleIdentifier: "com.example.app",
  app_version_name: "2.1",
  af_events_api: "true",
  eventTime: TIME,
};
const req = (json: Record<string, unknown>, job = 0, url = IOS) => ({ method: "POST", url, headers: { authentication: "dev-key-1", "Content-Type": "application/json" }, json: { ...shared, ...json }, jobs: [job] });

const products = [
  { id: "sku-1", name: "Shoe", category: "shoes", price: 50, quantity: 2 },
  { id: "sku-2", name: "Sock", price: 10 },
];
const commerce = (action: string, extra: Record<string, unknown> = {}) =>
  ev("commerce_event", { currency_code: "USD", product_action: { action, transaction_id: "T-1", total_amount: 110, tax_amount: 5, products }, ...extra });

/** A custom event whose request body is exactly `bytes` long. */
function sized(bytes: number): OutboundBatch {
  const probe = JSON.stringify({ ...shared, eventName: "pad", eventValue: JSON.stringify({ p: "" }), eventTime: TIME });
  // eventValue is a JSON string inside JSON: each padding char costs one byte.
  const pad = "x".repeat(bytes - new TextEncoder().encode(probe).byteLength);
  return iosBatch([ev("custom_event", { event_name: "pad", custom_event_type: "other", custom_attributes: { p: pad } })]);
}

const custom = iosBatch([ev("custom_event", { event_name: "Signup", custom_event_type: "other", custom_attributes: { plan: "pro" } })]);

export const fixtures: IntegrationFixture[] = [
  {
    name: "custom event → one POST to api2 with the Dev Key, eventValue stringified, att from ATT status",
    config,
    connection,
    batches: [custom],
    requests: [req({ eventName: "Signup", eventValue: '{"plan":"pro"}' })],
  },
  {
    name: "screen views and session events are not forwarded (server API takes app and commerce events only)",
    config,
    connection,
    batches: [iosBatch([ev("screen_view", { screen_name: "Home" }), ev("session_start", {}, 1)])],
    requests: [],
  },
  {
    name: "purchase with 2 products → one af_purchase with revenue, order id, content ids, total quantity, currency",
    config,
    connection,
    batches: [iosBatch([commerce("purchase", { custom_attributes: { coupon: "X" } })])],
    requests: [
      req({
        eventName: "af_purchase",
        eventCurrency: "USD",
        eventValue: JSON.stringify({ coupon: "X", af_currency: "USD", af_content_id: ["sku-1", "sku-2"], af_quantity: 3, af_revenue: 110, af_order_id: "T-1" }),
      }),
    ],
  },
  {
    name: "add_to_cart → one af_add_to_cart per product with price, quantity, content id and type",
    config,
    connection,
    batches: [iosBatch([commerce("add_to_cart")])],
    requests: [
      req({ eventName: "af_add_to_cart", eventCurrency: "USD", eventValue: JSON.stringify({ af_currency: "USD", af_price: 50, af_quantity: 2, af_content_id: "sku-1", af_content_type: "shoes" }) }),
      req({ eventName: "af_add_to_cart", eventCurrency: "USD", eventValue: JSON.stringify({ af_currency: "USD", af_price: 10, af_quantity: 1, af_content_id: "sku-2" }) }),
    ],
  },
  {
    name: "refund → expanded: one 'eCommerce - refund - Item' per product plus a Total event",
    config,
    connection,
    batches: [iosBatch([commerce("refund")])],
    requests: [
      req({ eventName: "eCommerce - refund - Item", eventCurrency: "USD", eventValue: JSON.stringify({ Id: "sku-1", Name: "Shoe", Category: "shoes", "Item Price": 50, Quantity: 2 }) }),
      req({ eventName: "eCommerce - refund - Item", eventCurrency: "USD", eventValue: JSON.stringify({ Id: "sku-2", Name: "Sock", "Item Price": 10, Quantity: 1 }) }),
      req({
        eventName: "eCommerce - refund - Total",
        eventCurrency: "USD",
        eventValue: JSON.stringify({ "Transaction Id": "T-1", "Total Amount": 110, "Tax Amount": 5, "Product Count": 2 }),
      }),
    ],
  },
  {
    name: "a batch with only user attributes sends nothing",
    config,
    connection,
    batches: [iosBatch([], { user_attributes: { plan: "premium", $firstname: "Jane" } })],
    requests: [],
  },
  {
    name: "a batch without an AppsFlyer ID is dropped with a reason, no request",
    config,
    connection,
    batches: [iosBatch(custom.events, { integration_attributes: {} }), custom],
    requests: [req({ eventName: "Signup", eventValue: '{"plan":"pro"}' }, 1)],
    dropped: [{ job: 0, reason: 'no AppsFlyer ID (integration_attributes["92"].appsflyer_id)' }],
  },
  {
    name: "iOS data without an Apple App ID is dropped with a reason",
    config,
    connection: {},
    batches: [custom],
    requests: [],
    dropped: [{ job: 0, reason: "iOS data but no Apple App ID configured" }],
  },
  {
    name: "s2sKey set → api3 with the S2S token and no af_events_api",
    config: { devKey: "dev-key-1", s2sKey: "s2s-token" },
    connection,
    batches: [custom],
    requests: [
      {
        method: "POST",
        url: "https://api3.appsflyer.com/inappevent/id123456789",
        headers: { authentication: "s2s-token" },
        json: (({ af_events_api: _, ...rest }) => ({ ...rest, eventName: "Signup", eventValue: '{"plan":"pro"}' }))(shared),
        jobs: [0],
      },
    ],
  },
  {
    name: "Android: app id = package name, advertising_id = GAID, no att; customerUserIdType mpid",
    config,
    connection: { customerUserIdType: "mpid" },
    batches: [
      iosBatch(custom.events, {
        device_info: { platform: "Android", android_advertising_id: "GAID-1" },
        application_info: { package: "com.example.android" },
        ip: undefined,
      }),
    ],
    requests: [
      {
        method: "POST",
        url: "https://api2.appsflyer.com/inappevent/com.example.android",
        json: { appsflyer_id: AF_ID, customer_user_id: "8278431810143183490", advertising_id: "GAID-1", af_events_api: "true", eventName: "Signup", eventValue: '{"plan":"pro"}', eventTime: TIME },
        jobs: [0],
      },
    ],
  },
  {
    name: "consent: mapped purposes set consent_data; defaults fill the unmapped field; customerUserIdType none",
    config,
    connection: { ...connection, customerUserIdType: "none", consentMapping: [{ purpose: "Ads", field: "ad_user_data" }], defaultAdPersonalization: "denied" },
    batches: [iosBatch(custom.events, { consent_state: { gdpr: { ads: { consented: true, timestamp_unixtime_ms: T } } } })],
    requests: [
      {
        method: "POST",
        url: IOS,
        json: (({ customer_user_id: _, ...rest }) => ({
          ...rest,
          consent_data: { is_user_subject_to_gdpr: true, has_consent_for_data_usage: true, has_consent_for_ads_personalization: false },
          eventName: "Signup",
          eventValue: '{"plan":"pro"}',
        }))(shared),
        jobs: [0],
      },
    ],
  },
  {
    name: "androidAppId overrides the package name; defaultAdUserData granted applies without a consent state",
    config,
    connection: { androidAppId: "com.example.override", defaultAdUserData: "granted" },
    batches: [iosBatch(custom.events, { device_info: { platform: "Android" }, application_info: { package: "com.example.android" }, ip: undefined })],
    requests: [
      {
        method: "POST",
        url: "https://api2.appsflyer.com/inappevent/com.example.override",
        json: { appsflyer_id: AF_ID, customer_user_id: "cust-1", consent_data: { is_user_subject_to_gdpr: true, has_consent_for_data_usage: true }, af_events_api: "true", eventName: "Signup", eventValue: '{"plan":"pro"}', eventTime: TIME },
        jobs: [0],
      },
    ],
  },
  {
    name: "event names are cut to AppsFlyer's 45 characters; no attributes → eventValue \"\"",
    config,
    connection,
    batches: [iosBatch([ev("custom_event", { event_name: "E".repeat(50), custom_event_type: "other" })])],
    requests: [req({ eventName: "E".repeat(45), eventValue: "" })],
  },
  {
    name: "payload limit: exactly 1024 bytes is sent",
    config,
    connection,
    batches: [sized(1024)],
    requests: [{ method: "POST", url: IOS, jobs: [0] }],
  },
  {
    name: "payload limit: 1025 bytes is dropped with a reason",
    config,
    connection,
    batches: [sized(1025)],
    requests: [],
    dropped: [{ job: 0, event: 0, reason: "AppsFlyer payload over 1024 bytes (pad)" }],
  },
  {
    name: "answers: 200 ok; 400, 401, 403 permanent; 429 (Retry-After kept), 500, 503 retried",
    config,
    connection,
    batches: [custom],
    answers: [
      { status: 200, body: "ok", outcome: "ok" },
      { status: 400, body: "appsflyer_id is a mandatory field", outcome: "permanent" },
      { status: 401, body: "Unauthorized", outcome: "permanent" },
      { status: 403, body: "Forbidden", outcome: "permanent" },
      { status: 429, headers: { "Retry-After": "12" }, outcome: "retryable", retryAfterSeconds: 12 },
      { status: 500, body: "Internal Server Error", outcome: "retryable" },
      { status: 503, outcome: "retryable" },
    ],
  },
  { name: "refuses a configuration without a Dev Key", config: {}, batches: [custom], invalidConfig: true },
];
