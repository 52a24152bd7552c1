import { customEvent, fixtureBatch, fixtureEvent, type IntegrationFixture, purchaseEvent, refundEvent, screenView, STANDARD_ERROR_ANSWERS, TWO_PRODUCTS } from "../runtime/fixtures";

const config = { apiKey: "amp-key" };
const URL_US = "https://api2.amplitude.com/2/httpapi";
const T = 1_764_000_000_000;
const UP = { plan: "premium", customer_id: "cust-1" };
const ev = (n: number, extra: Record<string, unknown>, k?: number) => ({
  user_id: "cust-1",
  time: T + n * 1000,
  insert_id: k === undefined ? String(n) : `${n}-${k}`,
  user_properties: UP,
  ...extra,
});
const body = (events: unknown[]) => ({ api_key: "amp-key", events });
const many = (count: number) => fixtureBatch({ events: Array.from({ length: count }, (_, i) => customEvent(i + 1, {})) });
const ios = fixtureBatch({
  user_identities: [],
  device_info: { platform: "iOS", os_version: "17.2", device_model: "iPhone15,2", ios_advertising_id: "IDFA-1111", ios_idfv: "IDFV-2222", device_manufacturer: "Apple" },
  events: [fixtureEvent("session_start", { session_start_unixtime_ms: T }, 1), fixtureEvent("session_end", { session_start_unixtime_ms: T }, 2)],
});
const iosCommon = { device_id: "IDFA-1111", platform: "iOS", os_name: "iOS", os_version: "17.2", device_brand: "Apple", device_manufacturer: "Apple", device_model: "iPhone15,2", idfa: "IDFA-1111", idfv: "IDFV-2222", session_id: T };
const txn = { "Currency Code": "USD", channel: "web", "Transaction Id": "T-100", "Total Amount": 26, "Tax Amount": 2, "Product Count": 2, products: TWO_PRODUCTS };

export const fixtures: IntegrationFixture[] = [
  {
    name: "custom event → event_type = event name, user_id = Customer ID, insert_id = event_id, user properties with identities",
    config,
    batches: [fixtureBatch({ events: [customEvent(1)] })],
    requests: [{ method: "POST", url: URL_US, headers: { "Content-Type": "application/json" }, json: body([ev(1, { event_type: "Clicked 1", event_properties: { plan: "gold", vip: "true" } })]), jobs: [0], items: [{ job: 0, event: 0 }] }],
    answers: [{ status: 200, body: '{"code":200,"events_ingested":1}', outcome: "ok" }, ...STANDARD_ERROR_ANSWERS],
  },
  {
    name: "screen view → \"Viewed <screen>\"",
    config,
    batches: [fixtureBatch({ events: [screenView(2)] })],
    requests: [{ method: "POST", url: URL_US, json: body([ev(2, { event_type: "Viewed Home", event_properties: { tab: "main" } })]), jobs: [0] }],
  },
  {
    name: "purchase with 2 products → transaction event, one item event per product, and a revenue event",
    config,
    batches: [fixtureBatch({ events: [purchaseEvent(3)] })],
    requests: [
      {
        method: "POST",
        url: URL_US,
        json: body([
          ev(3, { event_type: "eCommerce - Purchase", event_properties: txn }, 0),
          ev(3, { event_type: "eCommerce - Purchase - Item", event_properties: { channel: "web", "Currency Code": "USD", Id: "sku-1", Name: "Shirt", Brand: "Acme", Category: "Apparel", "Item Price": 10.5, Quantity: 2, "Transaction Id": "T-100" } }, 1),
          ev(3, { event_type: "eCommerce - Purchase - Item", event_properties: { channel: "web", "Currency Code": "USD", Id: "sku-2", Name: "Socks", "Item Price": 5, Quantity: 1, "Transaction Id": "T-100" } }, 2),
          ev(3, { event_type: "revenue_amount", revenue: 26, price: 26, quantity: 1, revenueType: "purchase", event_properties: { channel: "web", "Transaction Id": "T-100" } }, 3),
        ]),
        jobs: [0],
        items: [0, 1, 2, 3].map(() => ({ job: 0, event: 0 })),
      },
    ],
  },
  {
    name: "refund → transaction, item and a negative revenue event",
    config,
    batches: [fixtureBatch({ events: [refundEvent(4)] })],
    requests: [
      {
        method: "POST",
        url: URL_US,
        json: body([
          ev(4, { event_type: "eCommerce - Refund", event_properties: { "Currency Code": "USD", "Transaction Id": "T-100", "Total Amount": 10.5, "Product Count": 1, products: [TWO_PRODUCTS[0]] } }, 0),
          ev(4, { event_type: "eCommerce - Refund - Item", event_properties: { "Currency Code": "USD", Id: "sku-1", Name: "Shirt", Brand: "Acme", Category: "Apparel", "Item Price": 10.5, Quantity: 2, "Transaction Id": "T-100" } }, 1),
          ev(4, { event_type: "revenue_amount", revenue: -10.5, price: -10.5, quantity: 1, revenueType: "refund", event_properties: { "Transaction Id": "T-100" } }, 2),
        ]),
        jobs: [0],
      },
    ],
  },
  {
    name: "commerce events without products are not forwarded (promotion only)",
    config,
    batches: [fixtureBatch({ events: [fixtureEvent("commerce_event", { promotion_action: { action: "click", promotions: [{ id: "p1" }] } }, 5)] }), fixtureBatch({ events: [] , user_attributes: {}, user_identities: [] , mpid: "0" })],
    dropped: [{ job: 1, reason: "no customer_id user id and no device id" }],
    requests: [{ method: "POST", url: URL_US, json: body([{ user_id: "cust-1", event_type: "$identify", time: T, insert_id: "7d8f4e0a-0000-4000-8000-000000000001-identify", user_properties: { $set: UP } }]), jobs: [0] }],
  },
  {
    name: "only user attributes → one $identify carrying attributes and identities",
    config,
    batches: [fixtureBatch({ events: [] })],
    requests: [{ method: "POST", url: URL_US, json: body([{ user_id: "cust-1", event_type: "$identify", time: T, insert_id: "7d8f4e0a-0000-4000-8000-000000000001-identify", user_properties: { $set: UP } }]), jobs: [0], items: [{ job: 0 }] }],
  },
  {
    name: "no user id and no device id: dropped with a reason",
    config: { ...config, userIdentification: "email" },
    batches: [fixtureBatch({ events: [customEvent(1)] })],
    dropped: [{ job: 0, reason: "no email user id and no device id" }],
    requests: [],
  },
  {
    name: "User identification = mParticle ID; EU organization",
    config: { ...config, userIdentification: "mpid", organization: "eu" },
    batches: [fixtureBatch({ events: [customEvent(1, {})] })],
    requests: [{ method: "POST", url: "https://api.eu.amplitude.com/2/httpapi", json: body([ev(1, { user_id: "8278431810143183490", event_type: "Clicked 1", event_properties: {} })]), jobs: [0] }],
  },
  {
    name: "iOS: device id = IDFA (IDFV as fallback), device fields, session start/end with session_id",
    config,
    batches: [ios],
    requests: [
      {
        method: "POST",
        url: URL_US,
        json: body([
          { ...iosCommon, event_type: "session_start", time: T + 1000, insert_id: "1", user_properties: { plan: "premium" } },
          { ...iosCommon, event_type: "session_end", time: T + 2000, insert_id: "2", user_properties: { plan: "premium" } },
        ]),
        jobs: [0],
      },
    ],
  },
  {
    name: "Android: device id = Android ID, falling back to the advertising id",
    config,
    batches: [fixtureBatch({ user_identities: [], device_info: { platform: "Android", android_advertising_id: "AAID-1" }, events: [customEvent(1, {})] })],
    requests: [{ method: "POST", url: URL_US, json: body([{ device_id: "AAID-1", platform: "Android", os_name: "Android", adid: "AAID-1", event_type: "Clicked 1", time: T + 1000, insert_id: "1", event_properties: {}, user_properties: { plan: "premium" } }]), jobs: [0] }],
  },
  {
    name: "attribution events are prefixed with the provider; their attributes go to user properties",
    config,
    batches: [fixtureBatch({ events: [fixtureEvent("custom_event", { event_name: "attribution", custom_event_type: "attribution", custom_attributes: { attribution_provider: "AppsFlyer", campaign: "spring" } }, 1)] })],
    requests: [{ method: "POST", url: URL_US, json: body([ev(1, { event_type: "[AppsFlyer] attribution", user_properties: { ...UP, "[AppsFlyer] attribution_provider": "AppsFlyer", "[AppsFlyer] campaign": "spring" } })]), jobs: [0] }],
  },
  {
    name: "application state transitions only with Send Application State Transitions",
    config: { ...config, sendApplicationStateTransitions: true },
    batches: [fixtureBatch({ events: [fixtureEvent("application_state_transition", { application_transition_type: "application_background" }, 1)] })],
    requests: [{ method: "POST", url: URL_US, json: body([ev(1, { event_type: "Application State: application_background", event_properties: {} })]), jobs: [0] }],
  },
  {
    name: "application state transitions are not sent by default (identify instead)",
    config,
    batches: [fixtureBatch({ events: [fixtureEvent("application_state_transition", { application_transition_type: "application_background" }, 1)] })],
    requests: [{ method: "POST", url: URL_US, json: body([{ user_id: "cust-1", event_type: "$identify", time: T, insert_id: "7d8f4e0a-0000-4000-8000-000000000001-identify", user_properties: { $set: UP } }]), jobs: [0] }],
  },
  {
    name: "web batches are not forwarded unless Forward Web Requests Server Side is on",
    config,
    batches: [fixtureBatch({ device_info: { platform: "web" }, events: [customEvent(1)] })],
    requests: [],
  },
  {
    name: "web server side: browser in os_name/os_version, OS in web_os_* user properties, device family when enabled",
    config: { ...config, extractDeviceFamily: true },
    connection: { forwardWebRequestsServerSide: true },
    batches: [
      fixtureBatch({
        device_info: { platform: "web", http_header_user_agent: "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1" },
        events: [customEvent(1, {})],
      }),
    ],
    requests: [
      {
        method: "POST",
        url: URL_US,
        json: body([
          ev(1, {
            platform: "web",
            os_name: "Mobile Safari",
            os_version: "17.1",
            device_brand: "Apple",
            device_model: "iPhone",
            event_type: "Clicked 1",
            event_properties: {},
            user_properties: { ...UP, web_os_name: "iOS", web_os_version: "17.1" },
          }),
        ]),
        jobs: [0],
      },
    ],
  },
  {
    name: "400 listing invalid events → partial: those events fail, the rest is resent; 429 pauses 30 s",
    config,
    batches: [fixtureBatch({ events: [customEvent(1, {}), customEvent(2, {})] }), fixtureBatch({ events: [customEvent(3, {})] })],
    requests: [{ method: "POST", url: URL_US, jobs: [0, 1], items: [{ job: 0, event: 0 }, { job: 0, event: 1 }, { job: 1, event: 0 }] }],
    answers: [
      {
        status: 400,
        body: '{"code":400,"error":"Invalid field values on some events","events_with_invalid_fields":{"time":[1]},"events_with_missing_fields":{"event_type":[2]}}',
        outcome: "partial",
        failed: [{ job: 0, event: 1 }, { job: 1, event: 0 }],
        rest: "resend",
      },
      { status: 400, body: '{"code":400,"error":"Invalid API key"}', outcome: "permanent" },
      { status: 429, body: '{"code":429,"error":"Too many requests for some devices and users"}', outcome: "retryable", retryAfterSeconds: 30 },
      { status: 413, body: '{"code":413,"error":"Payload too large"}', outcome: "permanent" },
      { status: 503, outcome: "retryable" },
    ],
  },
  { name: "batch limit: exactly 2000 events in one request", config, batches: [many(1000), many(1000)], requests: [{ method: "POST", url: URL_US, jobs: [0, 1] }] },
  {
    name: "batch limit: 2001 events split into 2000 + 1",
    config,
    batches: [many(1000), many(1001)],
    requests: [
      { method: "POST", url: URL_US, jobs: [0, 1] },
      { method: "POST", url: URL_US, jobs: [1], items: [{ job: 1, event: 1000 }] },
    ],
  },
  { name: "refuses a configuration without an API key", config: {}, batches: [], invalidConfig: true },
];
