import { customEvent, FIXTURE_NOW, fixtureBatch, fixtureEvent, type IntegrationFixture, purchaseEvent, refundEvent, screenView, STANDARD_ERROR_ANSWERS } from "../runtime/fixtures";

const config = { token: "tok123" };
const MPID = "8278431810143183490";
const T = 1_764_000_000_000;
const TRACK = "https://api.mixpanel.com/track?verbose=1";
const IMPORT = "https://api.mixpanel.com/import?strict=1";
const ENGAGE = "https://api.mixpanel.com/engage?verbose=1";
const base = (n: number, extra: Record<string, unknown> = {}) => ({ token: "tok123", distinct_id: MPID, time: T + n * 1000, $insert_id: String(n), ip: "0", ...extra });

const withEmail = fixtureBatch({
  user_identities: [
    { identity_type: "customer_id", identity: "cust-1", timestamp_unixtime_ms: T, created_this_batch: false },
    { identity_type: "email", identity: "jane@example.com", timestamp_unixtime_ms: T, created_this_batch: false },
  ],
  user_attributes: { $FirstName: "Jane", $Age: 31, newsletter: "TRUE", plan: "premium" },
  events: [],
});
const purchaseItems = (n: number) => [0, 1, 2].map(() => ({ job: 0, event: n }));
const many = (count: number) => fixtureBatch({ events: Array.from({ length: count }, (_, i) => customEvent(i + 1, {})) });

export const fixtures: IntegrationFixture[] = [
  {
    name: "custom event → /track with $insert_id from event_id, distinct_id = MPID, \"true\"/\"false\" → booleans",
    config,
    batches: [fixtureBatch({ events: [customEvent(1)], ip: "203.0.113.9" })],
    requests: [
      {
        method: "POST",
        url: TRACK,
        json: [{ event: "Clicked 1", properties: { plan: "gold", vip: true, ...base(1), ip: "203.0.113.9" } }],
        jobs: [0],
        items: [{ job: 0, event: 0 }],
      },
    ],
    answers: [{ status: 200, body: '{"status":1,"error":null}', outcome: "ok" }, ...STANDARD_ERROR_ANSWERS],
  },
  {
    name: "screen view → \"Viewed <screen>\"",
    config,
    batches: [fixtureBatch({ events: [screenView(2)] })],
    requests: [{ method: "POST", url: TRACK, json: [{ event: "Viewed Home", properties: { tab: "main", ...base(2) } }], jobs: [0] }],
  },
  {
    name: "purchase with 2 products → one event per product plus a total, and a $transactions append (Use Mixpanel People on by default)",
    config,
    batches: [fixtureBatch({ events: [purchaseEvent(3)] })],
    requests: [
      {
        method: "POST",
        url: TRACK,
        json: [
          { event: "eCommerce - purchase - Item", properties: { channel: "web", "Currency Code": "USD", Id: "sku-1", Name: "Shirt", Brand: "Acme", Category: "Apparel", "Item Price": 10.5, Quantity: 2, "Transaction Id": "T-100", ...base(3), $insert_id: "3-0" } },
          { event: "eCommerce - purchase - Item", properties: { channel: "web", "Currency Code": "USD", Id: "sku-2", Name: "Socks", "Item Price": 5, Quantity: 1, "Transaction Id": "T-100", ...base(3), $insert_id: "3-1" } },
          { event: "eCommerce - purchase - Total", properties: { channel: "web", "Currency Code": "USD", "Transaction Id": "T-100", "Total Amount": 26, "Tax Amount": 2, "Product Count": 2, ...base(3), $insert_id: "3-2" } },
        ],
        jobs: [0],
        items: purchaseItems(0),
      },
      {
        method: "POST",
        url: ENGAGE,
        json: [{ $token: "tok123", $distinct_id: MPID, $ip: "0", $time: T + 3000, $append: { $transactions: { channel: "web", $time: "2025-11-24T16:00:03", $amount: 26 } } }],
        jobs: [0],
      },
    ],
  },
  {
    name: "refund → item + total events and a negative $transactions amount",
    config,
    batches: [fixtureBatch({ events: [refundEvent(4)] })],
    requests: [
      {
        method: "POST",
        url: TRACK,
        json: [
          { event: "eCommerce - refund - Item", properties: { "Currency Code": "USD", Id: "sku-1", Name: "Shirt", Brand: "Acme", Category: "Apparel", "Item Price": 10.5, Quantity: 2, "Transaction Id": "T-100", ...base(4), $insert_id: "4-0" } },
          { event: "eCommerce - refund - Total", properties: { "Currency Code": "USD", "Transaction Id": "T-100", "Total Amount": 10.5, "Product Count": 1, ...base(4), $insert_id: "4-1" } },
        ],
        jobs: [0],
      },
      { method: "POST", url: ENGAGE, json: [{ $token: "tok123", $distinct_id: MPID, $ip: "0", $time: T + 4000, $append: { $transactions: { $time: "2025-11-24T16:00:04", $amount: -10.5 } } }], jobs: [0] },
    ],
  },
  {
    name: "Use Mixpanel People off: no $transactions",
    config: { ...config, useMixpanelPeople: false },
    batches: [fixtureBatch({ events: [refundEvent(4)] })],
    requests: [{ method: "POST", url: TRACK, jobs: [0] }],
  },
  {
    name: "only user attributes, Include User Attributes off: nothing to send",
    config,
    batches: [withEmail],
    requests: [],
  },
  {
    name: "only user attributes, Include User Attributes on: /engage $set with mapped attributes and $email",
    config: { ...config, includeUserAttributes: true },
    batches: [withEmail],
    requests: [
      {
        method: "POST",
        url: ENGAGE,
        json: [{ $token: "tok123", $distinct_id: MPID, $ip: "0", $time: T, $set: { $first_name: "Jane", Age: 31, newsletter: true, plan: "premium", $email: "jane@example.com" } }],
        jobs: [0],
        items: [{ job: 0 }],
      },
    ],
    answers: [
      { status: 200, body: '{"status":1,"error":null}', outcome: "ok" },
      { status: 200, body: '{"status":0,"error":"$distinct_id is invalid"}', outcome: "permanent" },
    ],
  },
  {
    name: "missing distinct id (External Identity Type = Customer ID, none in the batch): dropped with a reason",
    config: { ...config, externalIdentityType: "customer_id" },
    batches: [fixtureBatch({ user_identities: [], events: [customEvent(1)] }), fixtureBatch({ events: [customEvent(2)] })],
    dropped: [{ job: 0, reason: "no customer_id identity for distinct_id" }],
    requests: [{ method: "POST", url: TRACK, json: [{ event: "Clicked 2", properties: { plan: "gold", vip: true, ...base(2), distinct_id: "cust-1" } }], jobs: [1] }],
  },
  {
    name: "EU residency server",
    config: { ...config, server: "eu" },
    batches: [fixtureBatch({ events: [customEvent(1, {})] })],
    requests: [{ method: "POST", url: "https://api-eu.mixpanel.com/track?verbose=1", json: [{ event: "Clicked 1", properties: base(1) }], jobs: [0] }],
  },
  {
    name: "events older than 5 days without an API secret are dropped; newer ones tracked",
    config,
    now: T + 6 * 86_400_000,
    batches: [fixtureBatch({ events: [customEvent(1, {}), fixtureEvent("custom_event", { event_name: "Recent", timestamp_unixtime_ms: T + 5 * 86_400_000 }, 2)] })],
    dropped: [{ job: 0, event: 0, reason: "event older than 5 days and no API secret for /import" }],
    requests: [{ method: "POST", url: TRACK, json: [{ event: "Recent", properties: { ...base(2), time: T + 5 * 86_400_000 } }], jobs: [0], items: [{ job: 0, event: 1 }] }],
  },
  {
    name: "events older than 5 days go to /import with the API secret (Basic auth); partial 400 failed_records maps to items",
    config: { ...config, apiSecret: "sec" },
    now: T + 6 * 86_400_000,
    batches: [fixtureBatch({ events: [customEvent(1, {}), customEvent(2, {})] })],
    requests: [
      {
        method: "POST",
        url: IMPORT,
        headers: { Authorization: `Basic ${btoa("sec:")}` },
        json: [{ event: "Clicked 1", properties: base(1) }, { event: "Clicked 2", properties: base(2) }],
        jobs: [0],
        items: [{ job: 0, event: 0 }, { job: 0, event: 1 }],
      },
    ],
    answers: [
      { status: 200, body: '{"code":200,"num_records_imported":2,"status":"OK"}', outcome: "ok" },
      {
        status: 400,
        body: '{"code":400,"error":"some data points in the request failed validation","status":"Bad Request","num_records_imported":1,"failed_records":[{"index":1,"insert_id":"2","field":"properties.time","message":"too old"}]}',
        outcome: "partial",
        failed: [{ job: 0, event: 1 }],
        rest: "ok",
      },
      {
        status: 400,
        body: '{"code":400,"error":"x","failed_records":[{"$insert_id":"1","field":"event","message":"bad"}]}',
        outcome: "partial",
        failed: [{ job: 0, event: 0 }],
        rest: "ok",
      },
      { status: 400, body: '{"code":400,"error":"invalid JSON"}', outcome: "permanent" },
      { status: 413, body: '{"error":"request exceeds max limit of 2097152 bytes"}', outcome: "permanent" },
      ...STANDARD_ERROR_ANSWERS,
    ],
  },
  {
    name: "web batches carry $browser, $browser_version and $os from the user agent",
    config,
    batches: [
      fixtureBatch({
        device_info: { platform: "web", http_header_user_agent: "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.109 Safari/537.36" },
        events: [customEvent(1, {})],
      }),
    ],
    requests: [{ method: "POST", url: TRACK, json: [{ event: "Clicked 1", properties: { $browser: "Chrome", $browser_version: "120.0.6099.109", $os: "Mac OS X", ...base(1) } }], jobs: [0] }],
  },
  {
    name: "batch limit: exactly 2000 events in one request",
    config,
    batches: [many(1000), many(1000)],
    requests: [{ method: "POST", url: TRACK, jobs: [0, 1] }],
  },
  {
    name: "batch limit: 2001 events split into 2000 + 1",
    config,
    batches: [many(1000), many(1001)],
    requests: [
      { method: "POST", url: TRACK, jobs: [0, 1] },
      { method: "POST", url: TRACK, jobs: [1], items: [{ job: 1, event: 1000 }] },
    ],
  },
  { name: "refuses a configuration without a token", config: {}, batches: [], invalidConfig: true },
  { name: "refuses an unknown server", config: { ...config, server: "mars" }, batches: [], invalidConfig: true },
];
void FIXTURE_NOW;
