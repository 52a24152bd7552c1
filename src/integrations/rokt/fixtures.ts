import type { OutboundBatch, OutboundEvent } from "../../pipeline/outbound";
import { FIXTURE_NOW, fixtureBatch, type IntegrationFixture } from "../runtime/fixtures";

const T = 1_764_000_000_000;
const URL = "https://api.rokt.com/v2/events";
const config = { accountId: "3000001", publicKey: "rpub-1", secretKey: "rsec-1" };
const BASIC = "Basic cnB1Yi0xOnJzZWMtMQ=="; // base64("rpub-1:rsec-1")
const EMAIL_SHA256 = "8c87b489ce35cf2e2f39f80e282cb2e804932a56a213983eeeb428407d43b52d"; // sha256sum("jane@example.com")
const MOBILE_SHA256 = "1f81adb30e11317806be982cc82769fbf8627833a89dd87cb24d282f71828830"; // sha256sum("12133734253")

const ev = (event_type: string, data: Record<string, unknown>, i = 0): OutboundEvent => ({
  event_type,
  data: { timestamp_unixtime_ms: T, message_id: `${300 + i}`, event_id: `${300 + i}`, ...data },
});

export const roktBatch = (events: OutboundEvent[], extra: Partial<OutboundBatch> = {}): OutboundBatch =>
  fixtureBatch({
    user_identities: [
      { identity_type: "customer_id", identity: "cust-1", timestamp_unixtime_ms: T, created_this_batch: false },
      { identity_type: "email", identity: "jane@example.com", timestamp_unixtime_ms: T, created_this_batch: false },
    ],
    user_attributes: { $firstname: "Jane", $mobile: "+1 (213) 373-4253", plan: "gold" },
    integration_attributes: { "1277": { passbackconversiontrackingid: "rtid-1" } },
    events,
    ...extra,
  });

const nv = (o: Record<string, string>) => Object.entries(o).map(([name, value]) => ({ name, value }));
const user = { email: "jane@example.com", passbackconversiontrackingid: "rtid-1", firstname: "Jane" };
const meta = nv({ mpid: "8278431810143183490" });
const signup = ev("custom_event", { event_name: "Signup", custom_event_type: "other", source_message_id: "sm-1", custom_attributes: { plan: "pro" } });
const signupOut = (u: Record<string, string> = user) => ({ clientEventId: "sm-1", eventType: "Signup", eventTime: "2025-11-24T16:00:00.000Z", metaData: meta, objectData: nv({ plan: "pro", ...u }) });
const post = (events: unknown[], items = events.map((_, event) => ({ job: 0, event })), headers: Record<string, string> = { Authorization: BASIC }) => ({
  method: "POST",
  url: URL,
  headers,
  json: { accountId: "3000001", events },
  jobs: [...new Set(items.map((i) => i.job))],
  items,
});

const products = [
  { id: "sku-1", price: 50, quantity: 2 },
  { id: "sku-2", price: 10 },
];
const commerce = (action: string) => ev("commerce_event", { currency_code: "USD", product_action: { action, transaction_id: "T-1", total_amount: 110, products } });
const many = (n: number) => roktBatch(Array.from({ length: n }, (_, i) => ev("custom_event", { event_name: "Tick", custom_event_type: "other" }, i)));
const itemsOf = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => ({ job: 0, event: from + i }));

export const fixtures: IntegrationFixture[] = [
  {
    name: "custom event → POST /v2/events with Basic key pair, Rokt-Version, deterministic Idempotency-Key, raw email, click id",
    config,
    batches: [roktBatch([signup])],
    requests: [
      post([signupOut()], undefined, {
        Authorization: BASIC,
        "Rokt-Version": "2020-05-21",
        "Content-Type": "application/json",
        // UUID-shaped from sha256sum("sm-1"), version and variant bits set.
        "Idempotency-Key": "ec225256-bff0-4b31-95fa-ec33deb1c395",
      }),
    ],
  },
  {
    name: "purchase with 2 products → reserved 'conversion' with amount, currency, quantity, confirmation reference",
    config,
    batches: [roktBatch([commerce("purchase")])],
    requests: [
      post([{ clientEventId: "300", eventType: "conversion", eventTime: "2025-11-24T16:00:00.000Z", metaData: meta, objectData: nv({ conversiontype: "purchase", amount: "110", currency: "USD", quantity: "3", confirmationref: "T-1", ...user }) }]),
    ],
  },
  {
    name: "refund → eventType refund with amount and confirmation reference",
    config,
    batches: [roktBatch([commerce("refund")])],
    requests: [post([{ clientEventId: "300", eventType: "refund", eventTime: "2025-11-24T16:00:00.000Z", metaData: meta, objectData: nv({ amount: "110", currency: "USD", quantity: "3", confirmationref: "T-1", ...user }) }])],
  },
  {
    name: "screen views, session events and promotions are not forwarded; a batch with only user attributes sends nothing",
    config,
    batches: [roktBatch([ev("screen_view", { screen_name: "Home" }), ev("session_start", {}, 1), ev("commerce_event", { promotion_action: { action: "view", promotions: [{ id: "p" }] } }, 2)]), roktBatch([])],
    requests: [],
  },
  {
    name: "a batch without email, mobile or click id is dropped with a reason (mobile not counted when encoding is None)",
    config,
    batches: [roktBatch([signup], { user_identities: [], integration_attributes: {} }), roktBatch([signup])],
    requests: [post([signupOut()], [{ job: 1, event: 0 }])],
    dropped: [{ job: 0, reason: "no email, mobile number (with Mobile number encoding set) or Rokt click id to match the user" }],
  },
  {
    name: "events older than 18 months are dropped with a reason",
    config,
    now: FIXTURE_NOW,
    batches: [roktBatch([ev("custom_event", { event_name: "Old", custom_event_type: "other", timestamp_unixtime_ms: T - 600 * 24 * 3600 * 1000 })])],
    requests: [],
    dropped: [{ job: 0, event: 0, reason: "event time more than 18 months old or over 5 minutes ahead (Rokt refuses it)" }],
  },
  {
    name: "emailEncoding sha256 → emailsha256; mobileEncoding sha256 → mobilesha256 of the E.164 digits",
    config: { ...config, emailEncoding: "sha256", mobileEncoding: "sha256" },
    batches: [roktBatch([signup])],
    requests: [post([signupOut({ emailsha256: EMAIL_SHA256, mobilesha256: MOBILE_SHA256, passbackconversiontrackingid: "rtid-1", firstname: "Jane" })])],
  },
  {
    name: "mobileEncoding raw → mobile unencoded; API key only → Bearer",
    config: { accountId: "3000001", apiKey: "rsec-api", mobileEncoding: "raw" },
    batches: [roktBatch([signup])],
    requests: [post([signupOut({ email: "jane@example.com", mobile: "+1 (213) 373-4253", passbackconversiontrackingid: "rtid-1", firstname: "Jane" })], undefined, { Authorization: "Bearer rsec-api" })],
  },
  {
    name: "batch limit: exactly 100 events → one request",
    config,
    batches: [many(100)],
    requests: [{ method: "POST", url: URL, jobs: [0], items: itemsOf(0, 100) }],
  },
  {
    name: "batch limit: 101 events → 100 + 1; events of several batches share requests",
    config,
    batches: [many(101), roktBatch([signup])],
    requests: [
      { method: "POST", url: URL, jobs: [0], items: itemsOf(0, 100) },
      { method: "POST", url: URL, jobs: [0, 1], items: [{ job: 0, event: 100 }, { job: 1, event: 0 }] },
    ],
  },
  {
    name: "answers: 200 ok; 200 with unprocessedRecords → those events fail, the rest delivered; 409 replay → delivered",
    config,
    batches: [roktBatch([signup, ev("custom_event", { event_name: "Bad", custom_event_type: "other" }, 1)])],
    answers: [
      { status: 200, body: '{"data":{"unprocessedRecords":[]}}', outcome: "ok" },
      {
        status: 200,
        body: '{"data":{"unprocessedRecords":[{"error":{"code":"ValidationError","message":"eventType invalid"},"record":{"clientEventId":"301"}}]}}',
        outcome: "partial",
        failed: [{ job: 0, event: 1 }],
        rest: "ok",
      },
      { status: 409, body: '{"code":"IdempotencyError"}', outcome: "ok" },
    ],
  },
  {
    name: "answers: 400, 401, 403 permanent; 429 (Retry-After kept), 500, 502, 503 retried",
    config,
    batches: [roktBatch([signup])],
    answers: [
      { status: 400, body: '{"code":"RequestValidationError"}', outcome: "permanent" },
      { status: 401, body: '{"code":"UnauthorizedError"}', outcome: "permanent" },
      { status: 403, outcome: "permanent" },
      { status: 429, headers: { "Retry-After": "20" }, outcome: "retryable", retryAfterSeconds: 20 },
      { status: 500, body: '{"code":"InternalServerError"}', outcome: "retryable" },
      { status: 502, outcome: "retryable" },
      { status: 503, body: '{"code":"ServiceUnavailableError"}', outcome: "retryable" },
    ],
  },
  { name: "refuses a configuration without credentials", config: { accountId: "3000001" }, batches: [roktBatch([])], invalidConfig: true },
  { name: "refuses a public key without its secret key", config: { accountId: "3000001", publicKey: "rpub-1" }, batches: [roktBatch([])], invalidConfig: true },
  { name: "refuses a configuration without an account id", config: { apiKey: "k" }, batches: [roktBatch([])], invalidConfig: true },
];
