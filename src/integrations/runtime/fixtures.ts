/** Fixture shape shared by every integration: input batches + settings → expected requests and outcomes. */
import type { OutboundBatch } from "../../pipeline/outbound";
import type { Drop, Outcome, RequestItem } from "./types";

export type ExpectedRequest = {
  method: string;
  url: string;
  /** Headers that must be present with these values (others may exist). */
  headers?: Record<string, string>;
  /** Expected JSON body. */
  json?: unknown;
  /** Expected raw body (non-JSON bodies). */
  body?: string;
  jobs: number[];
  /** Expected per-item origins, when the integration reports them. */
  items?: RequestItem[];
};

/** A partner answer replayed against one produced request, and the outcome expected. */
export type FixtureAnswer = {
  /** Index of the request answered (default 0). */
  request?: number;
  status: number;
  headers?: Record<string, string>;
  body?: string;
  outcome: Outcome["kind"];
  retryAfterSeconds?: number;
  /** For "partial": the items expected to fail, and what happens to the rest. */
  failed?: RequestItem[];
  rest?: "ok" | "resend";
};

export type IntegrationFixture = {
  name: string;
  config: Record<string, unknown>;
  connection?: Record<string, unknown>;
  batches: OutboundBatch[];
  /** The requests transform must produce, in order. */
  requests?: ExpectedRequest[];
  /** Or: the configuration must be refused. */
  invalidConfig?: true;
  /** Transform-time drops expected (exactly); none when absent. */
  dropped?: Drop[];
  /** `now` passed to transform (default FIXTURE_NOW). */
  now?: number;
  /** Partner answers to replay against the produced requests, and the outcome expected for each. */
  answers?: FixtureAnswer[];
};

/** The fixed "now" of fixtures: one minute after the fixture batch's receipt time. */
export const FIXTURE_NOW = 1_764_000_060_000;

/** A minimal valid outbound batch for fixtures. */
export function fixtureBatch(overrides: Partial<OutboundBatch> = {}): OutboundBatch {
  return {
    batch_id: "7d8f4e0a-0000-4000-8000-000000000001",
    mpid: "8278431810143183490",
    environment: "production",
    schema_version: 2,
    timestamp_unixtime_ms: 1_764_000_000_000,
    user_identities: [{ identity_type: "customer_id", identity: "cust-1", timestamp_unixtime_ms: 1_764_000_000_000, created_this_batch: false }],
    user_attributes: { plan: "premium" },
    source_info: { channel: "server_to_server" },
    events: [
      {
        event_type: "custom_event",
        data: { event_name: "Signup", custom_event_type: "other", timestamp_unixtime_ms: 1_764_000_000_000, message_id: "42", event_id: "42" },
      },
    ],
    ...overrides,
  };
}

/** The standard partner-error answers every integration's fixtures replay (400, 401, 429 + Retry-After, 500). */
export const STANDARD_ERROR_ANSWERS: FixtureAnswer[] = [
  { status: 400, body: '{"error":"bad request"}', outcome: "permanent" },
  { status: 401, body: '{"error":"unauthorized"}', outcome: "permanent" },
  { status: 429, headers: { "Retry-After": "30" }, body: '{"error":"slow down"}', outcome: "retryable", retryAfterSeconds: 30 },
  { status: 500, body: "oops", outcome: "retryable" },
];

const T = 1_764_000_000_000;

/** A fixture event: `event_id`/`message_id` "<n>", timestamp T + n seconds (T = the fixture batch's receipt time). */
export function fixtureEvent(event_type: string, data: Record<string, unknown>, n = 1): OutboundBatch["events"][number] {
  return { event_type, data: { timestamp_unixtime_ms: T + n * 1000, message_id: String(n), event_id: String(n), ...data } };
}

export const customEvent = (n = 1, attrs: Record<string, unknown> = { plan: "gold", vip: "true" }) =>
  fixtureEvent("custom_event", { event_name: `Clicked ${n}`, custom_event_type: "navigation", custom_attributes: attrs }, n);
export const screenView = (n = 2) => fixtureEvent("screen_view", { screen_name: "Home", custom_attributes: { tab: "main" } }, n);

/** Two products: 2 × 10.5 + 1 × 5 = 26. */
export const TWO_PRODUCTS = [
  { id: "sku-1", name: "Shirt", brand: "Acme", category: "Apparel", price: 10.5, quantity: 2 },
  { id: "sku-2", name: "Socks", price: 5, quantity: 1 },
];
export const purchaseEvent = (n = 3) =>
  fixtureEvent(
    "commerce_event",
    { currency_code: "USD", custom_attributes: { channel: "web" }, product_action: { action: "purchase", transaction_id: "T-100", total_amount: 26, tax_amount: 2, products: TWO_PRODUCTS } },
    n,
  );
export const refundEvent = (n = 4) =>
  fixtureEvent("commerce_event", { currency_code: "USD", product_action: { action: "refund", transaction_id: "T-100", total_amount: 10.5, products: [TWO_PRODUCTS[0]] } }, n);
