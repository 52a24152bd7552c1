/**
 * BENCH_DATA_PLAN=1: every bench batch carries `context.data_plan` naming a 200-data-point plan (created through
 * the Data Planning API when the worker starts) that plans the bench's events and blocks unplanned ones, so
 * `npm run bench` measures ingest and the pipeline with validation and blocking on every batch.
 */
export const BENCH_DATA_PLAN = process.env.BENCH_DATA_PLAN === "1";
export const BENCH_PLAN_ID = "bench_plan";

/** The bench's three events (bench/lib/payloads.ts) plus 197 others: 200 data points. */
export function benchPlanDocument() {
  const custom = { additionalProperties: false, properties: { category: { type: "string" }, query: { type: "string", maxLength: 100 }, position: { type: "string" }, bench_sent_ms: { type: "string" } } };
  const point = (event_name: string, custom_event_type: string) => ({
    match: { type: "custom_event", criteria: { event_name, custom_event_type } },
    validator: { type: "json_schema", definition: { properties: { data: { properties: { custom_attributes: custom } } } } },
  });
  const points = [point("Add to Wishlist", "other"), point("Search", "search"), point("Video Watched", "other")];
  for (let i = 0; points.length < 199; i++) points.push(point(`Planned ${i}`, "navigation"));
  return { data_points: [...points, { match: { type: "user_attributes", criteria: {} }, validator: { type: "json_schema", definition: { properties: { plan: { type: "string" }, city: { type: "string" } } } } }] };
}

/** Creates the bench plan in workspace 1 of a freshly started worker (demo client credentials). */
export async function createBenchPlan(url: string): Promise<void> {
  const tok = await fetch(`${url}/oauth/token`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ client_id: "demo-client-id", client_secret: "demo-client-secret", audience: "https://api.mparticle.com", grant_type: "client_credentials" }),
  });
  const { access_token } = (await tok.json()) as { access_token: string };
  const res = await fetch(`${url}/platform/v2/workspaces/1/plans`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${access_token}` },
    body: JSON.stringify({ data_plan_name: "Bench plan", data_plan_versions: [{ version: 1, activated_environment: "production", blocking: { ev: true, ea: true }, version_document: benchPlanDocument() }] }),
  });
  if (res.status !== 200 && res.status !== 409) throw new Error(`bench plan: ${res.status} ${await res.text()}`);
}
