/**
 * Micro-benchmark of audience evaluation in Node (issue 19: < 50 µs per batch per 20 audiences; workerd's clock
 * does not advance during synchronous code, so this runs in Node like bench/micro.ts). Per batch: the 10 events
 * matched against every counter of 20 audiences (mixed leaves: events with conditions and windows, attributes,
 * identities, consent, audience of audiences), then every audience evaluated with its next change time.
 * Run: `npx tsx bench/audiences.ts` (`--json` prints JSON).
 */
import { type AudienceDefinition, type Buckets, compileSet, evaluateSet, eventFacts, eventMatches, parseCriteria, type ProfileSnapshot } from "../src/audiences";

const now = Date.now();
const raw: unknown[] = [];
for (let i = 0; i < 20; i++) {
  const kind = i % 5;
  if (kind === 0) raw.push({ and: [{ event: { event_type: "custom_event", custom_event_type: "navigation", event_name: `Video ${i}`, conditions: [{ type: "number", operator: "greater_than", attribute_name: "duration_s", value: "30" }] }, within: { within: 1, within_unit: "hours" } }, { exclude: { consent: { regulation: "ccpa", consented: true } } }] });
  if (kind === 1) raw.push({ or: [{ user_attribute: { type: "string", operator: "equals", attribute_name: "tier", value: "gold" } }, { identity: { identity_type: "email", operator: "pattern", value: "*@example.com" } }] });
  if (kind === 2) raw.push({ and: [{ event: { event_type: "commerce_event", custom_event_type: "add_to_cart" }, within: { within: 1, within_unit: "days" } }, { exclude: { event: { event_type: "commerce_event", custom_event_type: "purchase" }, within: { within: 1, within_unit: "days" } } }] });
  if (kind === 3) raw.push({ event: { event_type: "screen_view", event_name: "Home" }, count: { operator: "greater_or_equal", value: 3 }, within: { within: 7, within_unit: "days" } });
  if (kind === 4) raw.push({ and: [{ audience: { audience_id: i - 3, member: true } }, { consent: { regulation: "gdpr", purpose: "marketing", consented: true } }] });
}
const audiences: AudienceDefinition[] = raw.map((c, i) => {
  const p = parseCriteria(c);
  if (!p.criteria) throw new Error(JSON.stringify(p.issues));
  return { id: i + 1, name: `a${i}`, workspaceIds: [1], criteria: JSON.stringify(p.criteria) };
});
const set = compileSet({ workspaceId: 1, version: 1, audiences });
const events = Array.from({ length: 10 }, (_, i) =>
  eventFacts(1, { event_type: i % 3 ? "custom_event" : "screen_view", data: { custom_event_type: "navigation", event_name: `Video ${i}`, screen_name: "Home", custom_attributes: { duration_s: 40 + i } } }, now - i * 1000),
);
const counts = new Map<string, Buckets>(set.counters.map((c) => [c.key, Array.from({ length: 20 }, (_, k) => [Math.floor((now - k * c.bucketMs * 2) / c.bucketMs) * c.bucketMs, 1] as [number, number]).reverse()]));
const consent = { gdpr: { marketing: { consented: true, document: null, timestamp_unixtime_ms: 1, location: null, hardware_id: null } } };
const snapshot: ProfileSnapshot = {
  attributes: () => ({ tier: "silver", plan: "x" }),
  calculated: () => ({}),
  identities: [{ type: "email", value: "jane@example.com" }, { type: "customerid", value: "c1" }],
  consent: () => consent,
  buckets: (k) => counts.get(k) ?? [],
};

function perBatch(): number {
  let hits = 0;
  for (const e of events) for (const c of set.counters) if (eventMatches(c, e)) hits++;
  const r = evaluateSet(set, snapshot, () => false, now);
  return hits + r.members.size;
}

const warm = performance.now() + 200;
while (performance.now() < warm) perBatch();
// CPU time of this process, not wall time: on a shared machine the wall clock also counts other processes' turns.
let n = 0;
const t0 = performance.now();
const c0 = process.cpuUsage();
while (performance.now() < t0 + 1500) for (let i = 0; i < 16; i++, n++) perBatch();
const cpu = process.cpuUsage(c0);
const us = (cpu.user + cpu.system) / n;
const row = { name: "audiences: match 10 events + evaluate 20 audiences (next change included)", audiences: 20, counters: set.counters.length, us_per_batch: Number(us.toFixed(2)) };
console.log(process.argv.includes("--json") ? JSON.stringify(row) : `${row.name}: ${row.us_per_batch} µs per batch (${row.counters} counters)`);
