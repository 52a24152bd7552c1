/**
 * Per-event transform cost of the AppsFlyer, Button and Rokt outputs (run: `npx tsx bench/transforms-appsflyer-button-rokt.ts`).
 * Each case transforms 10 batches of 100 events (half custom events, half purchases with 2 products; Button:
 * purchases only, the one event it forwards), or 1,000 one-event batches, repeatedly for about a second and
 * prints µs per event.
 */
import { appsflyer } from "../src/integrations/appsflyer";
import { button } from "../src/integrations/button";
import { rokt } from "../src/integrations/rokt";
import { fixtureBatch } from "../src/integrations/runtime/fixtures";
import type { IntegrationDefinition } from "../src/integrations/runtime/types";
import type { OutboundBatch, OutboundEvent } from "../src/pipeline/outbound";

const T = Date.now();
const custom = (i: number): OutboundEvent => ({
  event_type: "custom_event",
  data: { event_name: `Event ${i % 7}`, custom_event_type: "other", custom_attributes: { plan: "pro", step: String(i) }, timestamp_unixtime_ms: T, message_id: `${i}`, event_id: `${i}` },
});
const purchase = (i: number): OutboundEvent => ({
  event_type: "commerce_event",
  data: {
    currency_code: "USD",
    product_action: { action: "purchase", transaction_id: `T-${i}`, total_amount: 30, products: [{ id: "a", name: "A", price: 10 }, { id: "b", name: "B", price: 20 }] },
    timestamp_unixtime_ms: T,
    message_id: `${i}`,
    event_id: `${i}`,
  },
});
const batchOf = (events: OutboundEvent[], j: number): OutboundBatch =>
  fixtureBatch({
    batch_id: `00000000-0000-4000-8000-${String(j).padStart(12, "0")}`,
    user_identities: [
      { identity_type: "customer_id", identity: `cust-${j}`, timestamp_unixtime_ms: T, created_this_batch: false },
      { identity_type: "email", identity: `user${j}@example.com`, timestamp_unixtime_ms: T, created_this_batch: false },
    ],
    device_info: { platform: "iOS", ios_advertising_id: "IDFA", att_authorization_status: "authorized" },
    application_info: { package: "com.example.app" },
    integration_attributes: { "92": { appsflyer_id: "1700000000000-1234567890123456789" }, "1022": { btn_ref: "srctok-0123456789abcdef" }, "1277": { passbackconversiontrackingid: "rtid" } },
    events,
  });
const mixed = Array.from({ length: 10 }, (_, j) => batchOf(Array.from({ length: 100 }, (_, i) => (i % 2 ? purchase(i) : custom(i))), j));
// Worst case for per-batch work (email hashing, Idempotency-Key): 1,000 batches of one event.
const singles = Array.from({ length: 1000 }, (_, j) => batchOf([j % 2 ? purchase(j) : custom(j)], j));
const singlePurchases = Array.from({ length: 1000 }, (_, j) => batchOf([purchase(j)], j));
const purchases = Array.from({ length: 10 }, (_, j) => batchOf(Array.from({ length: 100 }, (_, i) => purchase(i)), j));

const cases: [string, IntegrationDefinition, OutboundBatch[], Record<string, unknown>, Record<string, unknown>][] = [
  ["appsflyer", appsflyer as unknown as IntegrationDefinition, mixed, { devKey: "k" }, { appleAppId: "123" }],
  ["button", button as unknown as IntegrationDefinition, purchases, { apiKey: "sk" }, {}],
  ["rokt (raw email)", rokt as unknown as IntegrationDefinition, mixed, { accountId: "1", apiKey: "k" }, {}],
  ["rokt (sha256 email+mobile)", rokt as unknown as IntegrationDefinition, mixed, { accountId: "1", apiKey: "k", emailEncoding: "sha256", mobileEncoding: "sha256" }, {}],
  ["appsflyer, 1-event batches", appsflyer as unknown as IntegrationDefinition, singles, { devKey: "k" }, { appleAppId: "123" }],
  ["button, 1-event batches", button as unknown as IntegrationDefinition, singlePurchases, { apiKey: "sk" }, {}],
  ["rokt sha256, 1-event batches", rokt as unknown as IntegrationDefinition, singles, { accountId: "1", apiKey: "k", emailEncoding: "sha256", mobileEncoding: "sha256" }, {}],
];

for (const [name, def, batches, cfg, conn] of cases) {
  const config = def.configSchema.parse(cfg);
  const connection = def.connectionSchema.parse(conn);
  const events = batches.reduce((n, b) => n + b.events.length, 0);
  const run = () => def.transform({ batches, config, connection, now: T });
  for (let i = 0; i < 20; i++) await run(); // warm-up
  let iterations = 0;
  const start = performance.now();
  while (performance.now() - start < 1000) {
    await run();
    iterations++;
  }
  const us = ((performance.now() - start) * 1000) / (iterations * events);
  console.log(`${name.padEnd(30)} ${us.toFixed(2).padStart(7)} µs/event  (${iterations} × ${events} events)`);
}
