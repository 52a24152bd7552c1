import type { OutboundBatch, OutboundEvent } from "../../pipeline/outbound";
import { fixtureBatch, type IntegrationFixture } from "../runtime/fixtures";

const T = 1_764_000_000_000;
const config = { apiKey: "sk-test-1" };
const AUTH = "Basic c2stdGVzdC0xOg=="; // base64("sk-test-1:")
const EMAIL_SHA256 = "8c87b489ce35cf2e2f39f80e282cb2e804932a56a213983eeeb428407d43b52d"; // sha256sum of "jane@example.com"
const URL = "https://api.usebutton.com/v1/order";

const ev = (event_type: string, data: Record<string, unknown>, i = 0): OutboundEvent => ({
  event_type,
  data: { timestamp_unixtime_ms: T, message_id: `${200 + i}`, event_id: `${200 + i}`, ...data },
});

const products = [
  { id: "sku-1", name: "Shoe", category: "shoes", price: 50, quantity: 2, custom_attributes: { size: 42 } },
  { id: "sku-2", name: "Sock", price: 9.99 },
];
const purchase = (extra: Record<string, unknown> = {}, currency = "USD") =>
  ev("commerce_event", { currency_code: currency, product_action: { action: "purchase", transaction_id: "order-1", total_amount: 109.99, products, ...extra } });

export const buttonBatch = (events: OutboundEvent[], extra: Partial<OutboundBatch> = {}): OutboundBatch =>
  fixtureBatch({
    user_identities: [
      { identity_type: "customer_id", identity: "cust-1", timestamp_unixtime_ms: T, created_this_batch: false },
      { identity_type: "email", identity: " Jane@Example.com ", timestamp_unixtime_ms: T, created_this_batch: false },
    ],
    device_info: { platform: "iOS", ios_advertising_id: "IDFA-1" },
    integration_attributes: { "1022": { btn_ref: "srctok-0123456789abcdef" } },
    events,
    ...extra,
  });

const lineItems = [
  { identifier: "sku-1", total: 10000, amount: 5000, quantity: 2, sku: "sku-1", description: "Shoe", category: ["shoes"], attributes: { size: "42" } },
  { identifier: "sku-2", total: 999, amount: 999, quantity: 1, sku: "sku-2", description: "Sock" },
];
const orderBody = {
  total: 10999,
  currency: "USD",
  order_id: "order-1",
  purchase_date: "2025-11-24T16:00:00.000Z",
  btn_ref: "srctok-0123456789abcdef",
  customer: { id: "cust-1", email_sha256: EMAIL_SHA256, device_id: "IDFA-1" },
  line_items: lineItems,
};
const post = (json: unknown, job = 0, event = 0) => ({ method: "POST", url: URL, headers: { Authorization: AUTH, "Content-Type": "application/json" }, json, jobs: [job], items: [{ job, event }] });
const withId = (id: string) => buttonBatch([purchase({ transaction_id: id })]);

export const fixtures: IntegrationFixture[] = [
  {
    name: "purchase with 2 products → POST /v1/order: total in cents, btn_ref, customer id raw, email SHA-256, line items",
    config,
    batches: [buttonBatch([purchase()])],
    requests: [post(orderBody)],
  },
  {
    name: "refund → DELETE /v1/order/{order id} without a body (cancellation)",
    config,
    batches: [buttonBatch([ev("commerce_event", { currency_code: "USD", product_action: { action: "refund", transaction_id: "order 1/a" } })])],
    requests: [{ method: "DELETE", url: `${URL}/order%201%2Fa`, headers: { Authorization: AUTH }, jobs: [0], items: [{ job: 0, event: 0 }] }],
  },
  {
    name: "custom events, screen views and other product actions are not forwarded (Order API takes orders only)",
    config,
    batches: [
      buttonBatch([
        ev("custom_event", { event_name: "Signup", custom_event_type: "other" }),
        ev("screen_view", { screen_name: "Cart" }, 1),
        ev("commerce_event", { product_action: { action: "add_to_cart", products } }, 2),
      ]),
    ],
    requests: [],
  },
  { name: "a batch with only user attributes sends nothing", config, batches: [buttonBatch([], { user_attributes: { plan: "gold" } })], requests: [] },
  {
    name: "a purchase without btn_ref is dropped with a reason; the next batch is still sent",
    config,
    batches: [buttonBatch([purchase()], { integration_attributes: {} }), buttonBatch([purchase()])],
    requests: [post(orderBody, 1)],
    dropped: [{ job: 0, event: 0, reason: 'purchase without btn_ref (integration_attributes["1022"].btn_ref)' }],
  },
  {
    name: "purchases without a transaction id or currency are dropped with a reason",
    config,
    batches: [buttonBatch([purchase({ transaction_id: undefined }), { ...purchase(), data: { ...purchase().data, currency_code: undefined } }])],
    requests: [],
    dropped: [
      { job: 0, event: 0, reason: "purchase without a transaction id (Button order id)" },
      { job: 0, event: 1, reason: "purchase without currency_code" },
    ],
  },
  {
    name: "no email, customer id or device id → no customer object; total from the products when total_amount is absent",
    config,
    batches: [buttonBatch([purchase({ total_amount: undefined })], { user_identities: [], device_info: {} })],
    requests: [post((({ customer: _, ...rest }) => rest)(orderBody))],
  },
  {
    name: "zero-decimal currency (JPY): totals are whole yen",
    config,
    batches: [buttonBatch([ev("commerce_event", { currency_code: "JPY", product_action: { action: "purchase", transaction_id: "order-1", total_amount: 1200, products: [{ id: "a", price: 1200 }] } })])],
    requests: [post({ ...orderBody, total: 1200, currency: "JPY", line_items: [{ identifier: "a", total: 1200, amount: 1200, quantity: 1, sku: "a" }] })],
  },
  { name: "order id limit: 255 ASCII characters are sent", config, batches: [withId("o".repeat(255))], requests: [post({ ...orderBody, order_id: "o".repeat(255) })] },
  {
    name: "order id limit: 256 characters are dropped with a reason",
    config,
    batches: [withId("o".repeat(256))],
    requests: [],
    dropped: [{ job: 0, event: 0, reason: "transaction id is not ASCII of at most 255 characters" }],
  },
  {
    name: "answers: 200 ok; 400, 401, 403, 404 permanent; 429 (Retry-After kept), 500 retried",
    config,
    batches: [buttonBatch([purchase()])],
    answers: [
      { status: 200, body: '{"meta":{"status":"ok"},"object":{"button_order_id":"btnorder-1"}}', outcome: "ok" },
      { status: 400, body: '{"meta":{"status":"error"},"error":{"message":"Invalid currency"}}', outcome: "permanent" },
      { status: 401, body: '{"meta":{"status":"error"},"error":{"message":"Unauthorized"}}', outcome: "permanent" },
      { status: 403, outcome: "permanent" },
      { status: 404, outcome: "permanent" },
      { status: 429, headers: { "Retry-After": "7" }, outcome: "retryable", retryAfterSeconds: 7 },
      { status: 500, outcome: "retryable" },
    ],
  },
  { name: "refuses a configuration without an API key", config: {}, batches: [buttonBatch([])], invalidConfig: true },
];
