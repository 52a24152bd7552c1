/**
 * Micro-benchmark of calculated attributes per batch, in Node (workerd's clock does not advance during
 * synchronous code, so this is measured here, as bench/micro.ts does): 20 active definitions (every
 * calculation type, half windowed) applied to a batch of 10 events of a user with state, as the UserProfile
 * module does it — match and observe, expire buckets, add, serialize the changed states (the SQL write's
 * text), compute every value. SQLite's own time is not included. Run: `npx tsx bench/ca-micro.ts` (`--json`).
 */
import { type CalculationType, compileSpec, validateDefinition } from "../src/schema/calculated-attribute";
import { observe } from "../src/durable/profile/ca-match";
import { type CaState, currentValue, emptyState, expire, observeAll } from "../src/durable/profile/ca-state";
import type { ProfileEvent } from "../src/durable/profile/types";

const CALCS: CalculationType[] = ["count", "sum", "min", "max", "average", "first_occurrence", "last_occurrence", "first_occurrence_timestamp", "last_occurrence_timestamp", "unique_list", "unique_values_count", "most_frequent"];
const specs = Array.from({ length: 20 }, (_, i) => {
  const windowed = i % 2 === 0;
  const v = validateDefinition({
    recipe_type: "event",
    data_point: { type: "event", event_name: i % 4 === 3 ? "View" : "Buy", attribute_name: "amount", event_type: "custom_event", custom_event_type: "transaction" },
    conditions: i % 5 === 0 ? [{ type: "string", operator: "equals", attribute_name: "country", value: "FR" }] : [],
    calculation_type: CALCS[i % CALCS.length],
    time_period: windowed ? { type: "within", within: [30, 7, 24, 60][i % 4], within_unit: ["days", "days", "hours", "minutes"][i % 4] } : { type: "since", date: "2020-01-01T00:00:00" },
  });
  if (!v.ok) throw new Error(v.errors.join("; "));
  return compileSpec(i + 1, `ca${i}`, 1, v.definition);
});

const now = Date.now();
const event = (k: number): ProfileEvent => ({
  id: `e${k}`, eventType: "custom_event", name: k % 3 === 0 ? "View" : "Buy", ts: now - (k % 50) * 1000,
  detail: { customEventType: "transaction", attributes: { amount: String((k * 7) % 100), country: k % 2 ? "FR" : "DE", sku: `sku-${k % 40}` } },
});
// A user with history: every definition already holds state from 500 earlier events.
const states = new Map<number, CaState>(specs.map((s) => [s.id, emptyState(s)]));
for (let k = 0; k < 500; k++) for (const s of specs) observeAll(states.get(s.id)!, observe(s, event(k)), now);
const batch = Array.from({ length: 10 }, (_, k) => event(1000 + k));

function perBatch(): number {
  let bytes = 0;
  for (const s of specs) {
    const st = states.get(s.id)!;
    const obs = batch.flatMap((e) => observe(s, e));
    const expired = expire(st, now);
    if (obs.length) observeAll(st, obs, now);
    if (obs.length || expired) bytes += JSON.stringify(st).length;
  }
  for (const s of specs) currentValue(states.get(s.id)!, now);
  return bytes;
}

// Fresh state per round would grow counts forever; the states keep their bounded shape (buckets, ≤ 100 values).
const warm = performance.now() + 300;
while (performance.now() < warm) perBatch();
let n = 0;
const t0 = performance.now();
while (performance.now() < t0 + 1500) for (let i = 0; i < 16; i++, n++) perBatch();
const us = ((performance.now() - t0) * 1000) / n;
const row = { name: "calculated attributes per batch (20 CAs, 10 events)", unit: "batch", us: Number(us.toFixed(1)), state_text_bytes: perBatch() };
if (process.argv.includes("--json")) console.log(JSON.stringify(row));
else console.log(`${row.name}: ${row.us} µs per batch; ${row.state_text_bytes} bytes of state text written`);
