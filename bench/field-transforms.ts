/**
 * Micro-benchmark of field transformations (issue 23) in Node (V8, like workerd): applying a compiled 20-mapping
 * transformation (a) to a CSV row of 20 columns, the custom manifest of an import (one row = one event), and (b) to
 * a 10-event batch reshaped for an output (per event = per batch / 10). Target: < 20 µs per event.
 * Run alone: `npx tsx bench/field-transforms.ts` (a table; `--json` prints JSON). About 5 s.
 */
import { applyTransformation } from "../src/transforms/apply";
import { compileTransformation } from "../src/transforms/compile";
import { FtBody } from "../src/schema/field-transformation";
import { batch as makeBatch } from "./lib/payloads";

export type FtRow = { name: string; us_per_event: number; note: string };

function timeSync(fn: () => unknown, ms: number): number {
  const warm = performance.now() + Math.min(300, ms / 3);
  while (performance.now() < warm) fn();
  let n = 0;
  const t0 = performance.now();
  const end = t0 + ms;
  while (performance.now() < end) for (let i = 0; i < 16; i++, n++) fn();
  return ((performance.now() - t0) * 1000) / n;
}

const def = (mappings: unknown[]) => compileTransformation(FtBody.parse({ id: "bench", name: "bench", destination_type: "event_batch", mappings }));

/** A CRM export row: 20 columns. */
const row: Record<string, string> = {
  Customer: "cust-42", "E-mail": "user42@example.com", Phone: "+351 900 000 000", Tier: " gold ", Country: "pt", City: "Lisbon",
  store_1: "Chiado", store_2: "Baixa", store_3: "", Action: "Bought", When: String(Date.now()), Amount: "19.90", Currency: "EUR",
  Sku: "SKU-1", Qty: "2", Campaign: "spring", Source: "newsletter", "Internal note": "do not send", Segment: "vip;loyal;vip", Consent: "yes",
};

/** 20 mappings: 12 plain columns, 4 templates (value), 1 wildcard, 2 static, 1 ignore. */
const rowMappings = [
  { mapping_type: "column", source: "Customer", destination: "user_identities.customer_id" },
  { mapping_type: "column", source: "E-mail", destination: "user_identities.email", ignore_when: "empty" },
  { mapping_type: "column", source: "Phone", destination: "user_identities.mobile_number" },
  { mapping_type: "column", source: "Tier", destination: "user_attributes.tier", value: "{{ value | strip | upcase }}" },
  { mapping_type: "column", source: "Country", destination: "user_attributes.country", value: "{{ value | upcase }}" },
  { mapping_type: "column", source: "City", destination: "user_attributes.city" },
  { mapping_type: "column", source: "store_*", destination: "user_attributes.stores[]", ignore_when: "empty" },
  { mapping_type: "column", source: "Action", destination: "events[].data.event_name" },
  { mapping_type: "column", source: "When", destination: "events[].data.timestamp_unixtime_ms" },
  { mapping_type: "column", source: "Amount", destination: "events[].data.custom_attributes.amount" },
  { mapping_type: "column", source: "Currency", destination: "events[].data.custom_attributes.currency" },
  { mapping_type: "column", source: "Sku", destination: "events[].data.custom_attributes.sku" },
  { mapping_type: "column", source: "Qty", destination: "events[].data.custom_attributes.quantity", value: "{{ value | times: 1 }}" },
  { mapping_type: "column", source: "Campaign", destination: "events[].data.custom_attributes.campaign" },
  { mapping_type: "column", source: "Source", destination: "events[].data.custom_attributes.source" },
  { mapping_type: "column", source: "Segment", destination: "user_attributes.segments", value: '{{ value | split: ";" | uniq }}' },
  { mapping_type: "column", source: "Consent", destination: "user_attributes.consent" },
  { mapping_type: "static", destination: "events[].data.custom_event_type", value: "transaction" },
  { mapping_type: "static", destination: "environment", value: "production" },
  { mapping_type: "ignore", source: "Internal note" },
];

/** 20 mappings reshaping a 10-event batch for an output (per-event paths, one template on every event). */
const batchMappings = [
  { mapping_type: "column", source: "events[].event_type", destination: "events[].event_type" },
  { mapping_type: "column", source: "events[].data.event_name", destination: "events[].data.event_name", value: "{{ value | prepend: 'app: ' }}" },
  { mapping_type: "column", source: "events[].data.timestamp_unixtime_ms", destination: "events[].data.timestamp_unixtime_ms" },
  { mapping_type: "column", source: "events[].data.custom_event_type", destination: "events[].data.custom_event_type" },
  { mapping_type: "column", source: "events[].data.source_message_id", destination: "events[].data.source_message_id" },
  { mapping_type: "column", source: "events[].data.session_uuid", destination: "events[].data.session_uuid" },
  { mapping_type: "column", source: "events[].data.custom_attributes.category", destination: "events[].data.custom_attributes.category" },
  { mapping_type: "column", source: "events[].data.custom_attributes.query", destination: "events[].data.custom_attributes.search_query" },
  { mapping_type: "column", source: "events[].data.custom_attributes.position", destination: "events[].data.custom_attributes.position" },
  { mapping_type: "column", source: "user_identities.customer_id", destination: "user_identities.customer_id" },
  { mapping_type: "column", source: "user_identities.email", destination: "user_identities.email" },
  { mapping_type: "column", source: "user_attributes.plan", destination: "user_attributes.plan" },
  { mapping_type: "column", source: "user_attributes.city", destination: "user_attributes.city" },
  { mapping_type: "column", source: "user_attributes.visits", destination: "user_attributes.visits" },
  { mapping_type: "column", source: "device_info.*", destination: "device_info.*" },
  { mapping_type: "column", source: "application_info", destination: "application_info" },
  { mapping_type: "column", source: "environment", destination: "environment" },
  { mapping_type: "column", source: "source_request_id", destination: "source_request_id" },
  { mapping_type: "static", destination: "schema_version", value: 2 },
  { mapping_type: "ignore", source: "user_attributes.$gender" },
];

export function runFieldTransforms(ms = 1500): FtRow[] {
  const rowFt = def(rowMappings);
  const batchFt = def(batchMappings);
  const b = makeBatch({ user: 7, seq: 1 }) as Record<string, unknown>;
  const check = [applyTransformation(rowFt, row), applyTransformation(batchFt, b)];
  for (const r of check) if (!r.ok) throw new Error(r.error);
  const tRow = timeSync(() => applyTransformation(rowFt, row), ms);
  const tBatch = timeSync(() => applyTransformation(batchFt, b), ms);
  const tCompile = timeSync(() => def(rowMappings), 500);
  return [
    { name: "CSV row, 20 columns, 20 mappings (4 templates, 1 wildcard, 2 static, 1 ignore)", us_per_event: tRow, note: "one row = one event" },
    { name: "10-event batch, 20 mappings (per-event paths, 1 template per event)", us_per_event: tBatch / 10, note: `${tBatch.toFixed(1)} µs per batch` },
    { name: "compile the 20-mapping row transformation (once per version per isolate)", us_per_event: tCompile, note: "per compile, not per event" },
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const rows = runFieldTransforms();
  if (process.argv.includes("--json")) console.log(JSON.stringify(rows));
  else {
    console.log(`Node ${process.version}`);
    for (const r of rows) console.log(`${r.us_per_event.toFixed(2).padStart(8)} µs  ${r.name} (${r.note})`);
  }
}
