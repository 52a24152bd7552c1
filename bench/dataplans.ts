/**
 * Micro-benchmark of data plan validation (issue 21: < 20 µs per event with a 200-data-point plan), in Node
 * (V8, like workerd; workerd's clock does not advance during synchronous code). Measures what the ingest
 * stage does per batch — `validateForIngest` and `applyBlocking` — on batches of 20 events against a plan of
 * 200 data points, and prints µs per event. Run: `npx tsx bench/dataplans.ts` (about 5 s; `--json` for JSON).
 */
import { applyBlocking } from "../src/dataplans/block";
import { compilePlan, validateForIngest } from "../src/dataplans/validator";

const attrs = { sku: { type: "string", minLength: 2, maxLength: 16 }, qty: { type: "integer", minimum: 1, maximum: 100 }, price: { type: "number", minimum: 0 }, color: { type: "string", enum: ["red", "green", "blue"] }, gift: { type: "boolean" } };
const points = [
  ...Array.from({ length: 190 }, (_, i) => ({
    match: { type: "custom_event", criteria: { event_name: `Event ${i}`, custom_event_type: "navigation" } },
    validator: { type: "json_schema", definition: { properties: { data: { properties: { custom_attributes: { additionalProperties: false, properties: attrs, required: ["sku"] } }, required: ["custom_attributes"] } } } },
  })),
  ...Array.from({ length: 9 }, (_, i) => ({ match: { type: "screen_view", criteria: { screen_name: `Screen ${i}` } }, validator: { type: "json_schema", definition: { properties: { data: { properties: { custom_attributes: { additionalProperties: false, properties: { section: { type: "string" } } } } } } } } })),
  { match: { type: "user_attributes", criteria: {} }, validator: { type: "json_schema", definition: { additionalProperties: false, properties: { tier: { type: "string" }, age: { type: "integer" } } } } },
];
if (points.length !== 200) throw new Error(`plan has ${points.length} data points`);
const plan = compilePlan({ data_points: points });

/** 20 events: mostly valid planned events, some with invalid or unplanned attributes, some unplanned events. */
function batch(seed: number) {
  const events = Array.from({ length: 20 }, (_, i) => {
    const k = (seed * 20 + i) % 200;
    if (i % 10 === 9) return { event_type: "custom_event", data: { event_name: `Unplanned ${k}`, custom_event_type: "other", custom_attributes: { a: 1 } } };
    if (i % 10 === 8) return { event_type: "screen_view", data: { screen_name: `Screen ${k % 9}`, custom_attributes: { section: "top" } } };
    const custom: Record<string, unknown> = { sku: "SKU-1234", qty: 2, price: 9.5, color: "red", gift: false };
    if (i % 10 === 7) (custom.qty = 0), (custom.extra = "x");
    return { event_type: "custom_event", data: { event_name: `Event ${k % 190}`, custom_event_type: "navigation", custom_attributes: custom, timestamp_unixtime_ms: 1_700_000_000_000 } };
  });
  return { environment: "production", user_attributes: { tier: "gold", age: 30 }, user_identities: { customer_id: "c1" }, events };
}

const batches = Array.from({ length: 50 }, (_, i) => batch(i));
const blok = { ev: true, ea: true, ua: true, id: false };
let sink = 0;
function once(b: (typeof batches)[number]) {
  sink += validateForIngest(plan, b).length;
  sink += applyBlocking(plan, blok, b).indexes.length;
}

const warm = performance.now() + 1000;
while (performance.now() < warm) for (const b of batches) once(b);
let events = 0;
const t0 = performance.now();
const end = t0 + 3000;
while (performance.now() < end) for (const b of batches) once(b), (events += b.events.length);
const usPerEvent = ((performance.now() - t0) * 1000) / events;
const row = { name: "data plan validation + blocking (200 data points, 20-event batches)", unit: "event", us: Number(usPerEvent.toFixed(2)), budget_us: 20 };
if (process.argv.includes("--json")) console.log(JSON.stringify(row));
else console.log(`${row.name}: ${row.us} µs per event (budget ${row.budget_us} µs)${sink < 0 ? "" : ""}`);
