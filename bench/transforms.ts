/**
 * Micro-benchmark of per-event transform cost: `npx tsx bench/transforms.ts` (plain Node, no workerd).
 * Each integration transforms 100 batches × 10 events (6 custom events, 2 screen views, 1 purchase with
 * 2 products, 1 refund) with user attributes and identities; prints µs per input event (median of runs).
 */
import { amplitude } from "../src/integrations/amplitude";
import { braze } from "../src/integrations/braze";
import { facebook } from "../src/integrations/facebook";
import { mixpanel } from "../src/integrations/mixpanel";
import { customEvent, FIXTURE_NOW, fixtureBatch, purchaseEvent, refundEvent, screenView } from "../src/integrations/runtime/fixtures";
import { toTransformResult, type IntegrationDefinition } from "../src/integrations/runtime/types";

const T = 1_764_000_000_000;
const BATCHES = 100;
const batches = Array.from({ length: BATCHES }, (_, b) =>
  fixtureBatch({
    batch_id: `00000000-0000-4000-8000-${String(b).padStart(12, "0")}`,
    ip: "203.0.113.9",
    user_identities: [
      { identity_type: "customer_id", identity: `cust-${b}`, timestamp_unixtime_ms: T, created_this_batch: false },
      { identity_type: "email", identity: `user${b}@example.com`, timestamp_unixtime_ms: T, created_this_batch: false },
    ],
    user_attributes: { plan: "premium", $FirstName: "Jane", $City: "Paris", newsletter: "true", score: 42 },
    events: [customEvent(1), customEvent(2), customEvent(3), customEvent(4), customEvent(5), customEvent(6), screenView(7), screenView(8), purchaseEvent(9), refundEvent(10)],
  }),
);
const EVENTS = batches.reduce((n, b) => n + b.events.length, 0);

const cases: [string, IntegrationDefinition, Record<string, unknown>][] = [
  ["mixpanel", mixpanel as unknown as IntegrationDefinition, { token: "t", includeUserAttributes: true }],
  ["amplitude", amplitude as unknown as IntegrationDefinition, { apiKey: "k" }],
  ["braze", braze as unknown as IntegrationDefinition, { apiKey: "k" }],
  ["facebook", facebook as unknown as IntegrationDefinition, { pixelId: "1", accessToken: "t" }],
];

async function run(def: IntegrationDefinition, settings: Record<string, unknown>): Promise<{ us: number; requests: number }> {
  const config = def.configSchema.parse(settings);
  const connection = def.connectionSchema.parse({});
  let requests = 0;
  for (let i = 0; i < 20; i++) requests = toTransformResult(await def.transform({ batches, config, connection, now: FIXTURE_NOW })).requests.length; // warm-up
  const samples: number[] = [];
  for (let r = 0; r < 30; r++) {
    const t0 = performance.now();
    await def.transform({ batches, config, connection, now: FIXTURE_NOW });
    samples.push(((performance.now() - t0) * 1000) / EVENTS);
  }
  samples.sort((a, b) => a - b);
  return { us: samples[Math.floor(samples.length / 2)]!, requests };
}

console.log(`transform cost, ${BATCHES} batches × ${EVENTS / BATCHES} events (node ${process.version})`);
for (const [slug, def, settings] of cases) {
  const { us, requests } = await run(def, settings);
  console.log(`${slug.padEnd(10)} ${us.toFixed(2).padStart(7)} µs/event  (${requests} requests)`);
}
