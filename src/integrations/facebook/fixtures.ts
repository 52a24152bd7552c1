import { customEvent, fixtureBatch, fixtureEvent, type IntegrationFixture, purchaseEvent, refundEvent, screenView, STANDARD_ERROR_ANSWERS } from "../runtime/fixtures";

const config = { pixelId: "123456", accessToken: "fb-token" };
const URL = "https://graph.facebook.com/v24.0/123456/events";
const T = 1_764_000_000_000;
const H = {
  cust: "21d120906fd394b11c7a5ea3e84254bb8b1bf5f918ea5079e8eb7fe9f12907bd",
  email: "8c87b489ce35cf2e2f39f80e282cb2e804932a56a213983eeeb428407d43b52d",
  phone: "d6736136ea896c1bfdc553e0e86e702c70d060d805696ca3e4e9e0961353860a",
  fn: "81f8f6dde88365f3928796ec7aa53f72820b06db8664f5fe76a7eb13e24546a2",
  ln: "799ef92a11af918e3fb741df42934f3b568ed2d93ac1df74f1b8d41a27932a6f",
  ge: "252f10c83610ebca1a059c0bae8255eba2f95be4d1d7bcfa89d7248a82d9f111",
  ct: "1670f2e42fefa5044d59a65349e47c566009488fc57d7b4376dd5787b59e3c57",
  zp: "3f089dbdff98360a35193e7d401b76b21f5c0d5d6fb76a28660aaaed83a4c3e3",
  country: "67ad8f41a7bb0a18c45f3efd8f6a32bdcd832bcf8f3f2eb44006c03d53076e18",
};
const UA = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36";
const user = { external_id: [H.cust] };
const ev = (n: number, extra: Record<string, unknown>) => ({ event_time: Math.floor((T + n * 1000) / 1000), event_id: String(n), action_source: "system_generated", user_data: user, ...extra });
const body = (data: unknown[]) => ({ data, access_token: "fb-token" });
const web = (events: ReturnType<typeof customEvent>[]) => fixtureBatch({ ip: "203.0.113.9", device_info: { platform: "web", http_header_user_agent: UA }, events });
const webUser = { ...user, client_ip_address: "203.0.113.9", client_user_agent: UA };
const ios = (device: Record<string, unknown>) =>
  fixtureBatch({ device_info: { platform: "iOS", device_model: "iPhone15,2", ios_advertising_id: "IDFA-1", ...device }, application_info: { package: "com.acme.app", application_version: "2.1" }, events: [customEvent(1, {})] });
const extinfo = (os: string) => ["i2", "com.acme.app", "2.1", "2.1", os, "iPhone15,2", "", "", "", "", "", "", "", "", "", ""];
const many = (count: number) => fixtureBatch({ events: Array.from({ length: count }, (_, i) => customEvent(i + 1, {})) });

export const fixtures: IntegrationFixture[] = [
  {
    name: "custom event → custom event name, event_time in seconds, hashed external_id, event_id from the event id; token in the body",
    config,
    batches: [fixtureBatch({ events: [customEvent(1)] })],
    requests: [{ method: "POST", url: URL, headers: { "Content-Type": "application/json" }, json: body([ev(1, { event_name: "Clicked 1", custom_data: { plan: "gold", vip: "true" } })]), jobs: [0], items: [{ job: 0, event: 0 }] }],
    answers: [{ status: 200, body: '{"events_received":1,"messages":[],"fbtrace_id":"x"}', outcome: "ok" }, ...STANDARD_ERROR_ANSWERS],
  },
  {
    name: "event_id is the source_message_id when set (deduplication with the browser Pixel)",
    config,
    batches: [fixtureBatch({ events: [fixtureEvent("custom_event", { event_name: "Lead", source_message_id: "pixel-evt-9" }, 1)] })],
    requests: [{ method: "POST", url: URL, json: body([ev(1, { event_name: "Lead", event_id: "pixel-evt-9" })]), jobs: [0] }],
  },
  {
    name: "web screen view → PageView with action_source website, IP and user agent in clear (Forward Web Requests Server Side on)",
    config,
    connection: { forwardWebRequestsServerSide: true },
    batches: [web([{ ...screenView(2), data: { ...screenView(2).data, page_url: "https://shop.example.com/" } }])],
    requests: [{ method: "POST", url: URL, json: body([ev(2, { event_name: "PageView", action_source: "website", event_source_url: "https://shop.example.com/", user_data: webUser, custom_data: { tab: "main" } })]), jobs: [0] }],
  },
  { name: "web batches are not forwarded server side by default", config, batches: [web([customEvent(1)])], requests: [] },
  { name: "app screen views are not forwarded (they need custom mappings)", config, batches: [fixtureBatch({ events: [screenView(2)] })], requests: [] },
  {
    name: "purchase with 2 products → Purchase with value, currency, contents, content_ids, order_id",
    config,
    batches: [fixtureBatch({ events: [purchaseEvent(3)] })],
    requests: [
      {
        method: "POST",
        url: URL,
        json: body([
          ev(3, {
            event_name: "Purchase",
            custom_data: {
              channel: "web",
              currency: "USD",
              value: 26,
              content_type: "product",
              content_ids: ["sku-1", "sku-2"],
              contents: [{ id: "sku-1", quantity: 2, item_price: 10.5, brand: "Acme" }, { id: "sku-2", quantity: 1, item_price: 5 }],
              num_items: 3,
              order_id: "T-100",
            },
          }),
        ]),
        jobs: [0],
      },
    ],
  },
  {
    name: "refund → custom event \"eCommerce - refund\" with the refunded value",
    config,
    batches: [fixtureBatch({ events: [refundEvent(4)] })],
    requests: [
      {
        method: "POST",
        url: URL,
        json: body([ev(4, { event_name: "eCommerce - refund", custom_data: { currency: "USD", value: 10.5, content_type: "product", content_ids: ["sku-1"], contents: [{ id: "sku-1", quantity: 2, item_price: 10.5, brand: "Acme" }], num_items: 2, order_id: "T-100", content_name: "Shirt", content_category: "Apparel" } })]),
        jobs: [0],
      },
    ],
  },
  {
    name: "add to cart → AddToCart; view detail → ViewContent",
    config,
    batches: [
      fixtureBatch({
        events: [
          fixtureEvent("commerce_event", { product_action: { action: "add_to_cart", products: [{ id: "a", price: 2, quantity: 3 }] } }, 1),
          fixtureEvent("commerce_event", { product_action: { action: "view_detail", products: [{ id: "b", price: 4 }] } }, 2),
        ],
      }),
    ],
    requests: [
      {
        method: "POST",
        url: URL,
        json: body([
          ev(1, { event_name: "AddToCart", custom_data: { currency: "USD", value: 6, content_type: "product", content_ids: ["a"], contents: [{ id: "a", quantity: 3, item_price: 2 }], num_items: 3 } }),
          ev(2, { event_name: "ViewContent", custom_data: { currency: "USD", value: 4, content_type: "product", content_ids: ["b"], contents: [{ id: "b", quantity: 1, item_price: 4 }], num_items: 1 } }),
        ]),
        jobs: [0],
      },
    ],
  },
  {
    name: "only user attributes: nothing to send (CAPI takes events only)",
    config,
    batches: [fixtureBatch({ events: [] })],
    requests: [],
  },
  {
    name: "user data: email, phone, names, gender, city, zip, country normalised and SHA-256 hashed",
    config,
    batches: [
      fixtureBatch({
        user_identities: [
          { identity_type: "customer_id", identity: "cust-1", timestamp_unixtime_ms: T, created_this_batch: false },
          { identity_type: "email", identity: "  Jane@Example.com ", timestamp_unixtime_ms: T, created_this_batch: false },
          { identity_type: "mobile_number", identity: "+1 (555) 123-4567", timestamp_unixtime_ms: T, created_this_batch: false },
        ],
        user_attributes: { $FirstName: "Jane", $LastName: "Doe", $Gender: "Female", $City: "Paris", $Zip: "75001", $Country: "FR" },
        events: [customEvent(1, {})],
      }),
    ],
    requests: [
      {
        method: "POST",
        url: URL,
        json: body([ev(1, { event_name: "Clicked 1", user_data: { em: [H.email], ph: [H.phone], external_id: [H.cust], fn: [H.fn], ln: [H.ln], ge: [H.ge], ct: [H.ct], zp: [H.zp], country: [H.country] } })]),
        jobs: [0],
      },
    ],
  },
  {
    name: "no user data to match: dropped with a reason",
    config,
    batches: [fixtureBatch({ user_identities: [], user_attributes: {}, events: [customEvent(1)] })],
    dropped: [{ job: 0, reason: "no user data to match (email, phone, customer id, IP + user agent or advertising id)" }],
    requests: [],
  },
  {
    name: "iOS without os_version: dropped with a reason",
    config,
    batches: [ios({})],
    dropped: [{ job: 0, reason: "os_version is required for iOS / tvOS events" }],
    requests: [],
  },
  {
    name: "iOS app event: action_source app, madid, advertiser_tracking_enabled from ATT status (denied → 0), extinfo",
    config,
    batches: [ios({ os_version: "17.2", att_authorization_status: "denied", limit_ad_tracking: false })],
    requests: [
      {
        method: "POST",
        url: URL,
        json: body([ev(1, { event_name: "Clicked 1", action_source: "app", user_data: { ...user, madid: "IDFA-1" }, app_data: { advertiser_tracking_enabled: 0, application_tracking_enabled: 1, extinfo: extinfo("17.2") } })]),
        jobs: [0],
      },
    ],
  },
  {
    name: "without ATT status, limit_ad_tracking false → advertiser_tracking_enabled 1; action source setting; test event code",
    config: { ...config, testEventCode: "TEST42" },
    connection: { actionSource: "physical_store" },
    batches: [fixtureBatch({ device_info: { limit_ad_tracking: false }, ccpa: undefined, consent_state: { ccpa: { data_sale_opt_out: { consented: true } } }, events: [customEvent(1, {})] })],
    requests: [
      {
        method: "POST",
        url: URL,
        json: { ...body([ev(1, { event_name: "Clicked 1", action_source: "physical_store", data_processing_options: ["LDU"], data_processing_options_country: 0, data_processing_options_state: 0 })]), test_event_code: "TEST42" },
        jobs: [0],
      },
    ],
  },
  {
    name: "events older than 7 days are dropped (Meta would reject the whole request)",
    config,
    now: T + 8 * 86_400_000,
    batches: [fixtureBatch({ events: [customEvent(1, {}), fixtureEvent("custom_event", { event_name: "New", timestamp_unixtime_ms: T + 2 * 86_400_000 }, 2)] })],
    dropped: [{ job: 0, event: 0, reason: "event older than 7 days (Meta rejects the whole request)" }],
    requests: [{ method: "POST", url: URL, json: body([ev(2, { event_name: "New", event_time: Math.floor((T + 2 * 86_400_000) / 1000) })]), jobs: [0], items: [{ job: 0, event: 1 }] }],
  },
  {
    name: "Graph error codes: invalid parameter is permanent for the whole request; rate limits and transient errors retry",
    config,
    batches: [fixtureBatch({ events: [customEvent(1, {})] })],
    answers: [
      { status: 400, body: '{"error":{"message":"Invalid parameter","type":"OAuthException","code":100,"error_subcode":2804003,"fbtrace_id":"x"}}', outcome: "permanent" },
      { status: 400, body: '{"error":{"message":"Error validating access token","code":190,"error_subcode":463}}', outcome: "permanent" },
      { status: 400, body: '{"error":{"message":"User request limit reached","code":17}}', outcome: "retryable", retryAfterSeconds: 60 },
      { status: 500, body: '{"error":{"message":"An unknown error occurred","code":1,"is_transient":true}}', outcome: "retryable" },
      { status: 400, body: '{"error":{"message":"Temporary issue","code":2}}', outcome: "retryable" },
      { status: 403, body: '{"error":{"message":"Permissions error","code":200}}', outcome: "permanent" },
    ],
  },
  { name: "limit: exactly 1000 events in one request", config, batches: [many(1000)], requests: [{ method: "POST", url: URL, jobs: [0] }] },
  {
    name: "limit: 1001 events → 1000 + 1; batches are never mixed in one request",
    config,
    batches: [many(1001), many(1)],
    requests: [
      { method: "POST", url: URL, jobs: [0] },
      { method: "POST", url: URL, jobs: [0], items: [{ job: 0, event: 1000 }] },
      { method: "POST", url: URL, jobs: [1] },
    ],
  },
  { name: "refuses a non-numeric pixel id", config: { pixelId: "abc", accessToken: "t" }, batches: [], invalidConfig: true },
  { name: "refuses a configuration without an access token", config: { pixelId: "1" }, batches: [], invalidConfig: true },
];
