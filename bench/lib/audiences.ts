/**
 * BENCH_AUDIENCES=1 (issue 19): the pipeline stage runs with 20 active calculated attributes (mixed types, windowed
 * and not) and 20 audiences over the bench's events, created through the APIs when the worker starts; while the
 * measured load runs, a prober sends batches for fresh users whose one "Probe Purchase" event makes them members
 * of the probe audience, and polls the Profile API (support search by customer id, then the profile) until the membership is visible.
 * The latency is from the batch's 202 to the first answer that lists the audience.
 */
import { BASIC } from "./payloads";

export const BENCH_AUDIENCES = process.env.BENCH_AUDIENCES === "1";

async function token(url: string): Promise<string> {
  const tok = await fetch(`${url}/oauth/token`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ client_id: "demo-client-id", client_secret: "demo-client-secret", audience: "https://api.mparticle.com", grant_type: "client_credentials" }),
  });
  if (tok.status !== 200) throw new Error(`token: ${tok.status} ${await tok.text()}`);
  return ((await tok.json()) as { access_token: string }).access_token;
}

/** The 20 CA definitions: every calculation type over the bench's three events, half windowed. */
export function benchCalculatedAttributes(): { name: string; draft_definition: Record<string, unknown> }[] {
  const events = [
    { event_name: "Add to Wishlist", custom_event_type: "other", attr: "position" },
    { event_name: "Search", custom_event_type: "search", attr: "query" },
    { event_name: "Video Watched", custom_event_type: "other", attr: "category" },
  ];
  const types = ["count", "sum", "min", "max", "average", "first_occurrence", "last_occurrence", "first_occurrence_timestamp", "last_occurrence_timestamp", "unique_list", "unique_values_count", "most_frequent"];
  const numeric = new Set(["sum", "min", "max", "average"]);
  const out: { name: string; draft_definition: Record<string, unknown> }[] = [];
  for (let i = 0; i < 20; i++) {
    const calculation_type = types[i % types.length]!;
    const e = numeric.has(calculation_type) ? events[0]! : events[i % 3]!;
    const windowed = i % 2 === 0;
    out.push({
      name: `bench_ca_${i}_${calculation_type}`,
      draft_definition: {
        recipe_type: "event",
        data_point: { type: "event", event_type: "custom_event", custom_event_type: e.custom_event_type, event_name: e.event_name, ...(calculation_type === "count" ? {} : { attribute_name: e.attr }) },
        calculation_type,
        time_period: windowed ? { type: "within", within: [1, 7, 30][i % 3], within_unit: ["hours", "days", "days"][i % 3] } : { type: "since", date: "2020-01-01T00:00:00" },
      },
    });
  }
  return out;
}

export const PROBE_EVENT = "Probe Purchase";

/** The 20 audiences: event counts in windows, attributes, identities, CAs, audience of audience; #1 is the probe's. */
export function benchAudiences(caNames: string[]): { name: string; criteria: unknown }[] {
  const out: { name: string; criteria: unknown }[] = [{ name: "Bench probe buyers", criteria: { event: { event_type: "custom_event", event_name: PROBE_EVENT }, within: { within: 1, within_unit: "days" } } }];
  for (let i = 1; out.length < 20; i++) {
    const k = i % 5;
    if (k === 0) out.push({ name: `Bench searchers ${i}`, criteria: { event: { event_type: "custom_event", custom_event_type: "search", event_name: "Search" }, count: { operator: "greater_or_equal", value: 3 + i }, within: { within: 1, within_unit: "hours" } } });
    if (k === 1) out.push({ name: `Bench premium watchers ${i}`, criteria: { and: [{ event: { event_type: "custom_event", event_name: "Video Watched", conditions: [{ type: "string", operator: "equals", attribute_name: "category", value: "shoes" }] }, within: { within: 1, within_unit: "days" } }, { user_attribute: { type: "string", operator: "equals", attribute_name: "plan", value: "premium" } }] } });
    if (k === 2) out.push({ name: `Bench CA ${i}`, criteria: { calculated_attribute: { type: "number", operator: "greater_than", attribute_name: caNames[0]!, value: String(i * 10) } } });
    if (k === 3) out.push({ name: `Bench wishlist no search ${i}`, criteria: { and: [{ event: { event_type: "custom_event", event_name: "Add to Wishlist" }, within: { within: 30, within_unit: "minutes" } }, { exclude: { event: { event_type: "custom_event", event_name: "Search" }, count: { operator: "greater_than", value: 50 * i }, within: { within: 1, within_unit: "days" } } }] } });
    if (k === 4) out.push({ name: `Bench example.com ${i}`, criteria: { or: [{ identity: { identity_type: "email", operator: "pattern", value: `user${i}*@example.com` } }, { audience: { audience_id: 0, member: true } }] } });
  }
  return out;
}

export type BenchAudienceSetup = { probeAudienceId: number; caIds: number[]; audienceIds: number[]; token: string };

/** Creates and activates the CAs, then the audiences, in workspace 1 of a freshly started worker. */
export async function createBenchAudiences(url: string): Promise<BenchAudienceSetup> {
  const access = await token(url);
  const h = { "Content-Type": "application/json", Authorization: `Bearer ${access}` };
  const caIds: number[] = [];
  const cas = benchCalculatedAttributes();
  for (const ca of cas) {
    const r = await fetch(`${url}/platform/v2/workspaces/1/calculatedattributes`, { method: "POST", headers: h, body: JSON.stringify(ca) });
    if (r.status !== 201) throw new Error(`CA ${ca.name}: ${r.status} ${await r.text()}`);
    const id = Number(await r.text());
    const a = await fetch(`${url}/platform/v2/workspaces/1/calculatedattributes/${id}/activation`, { method: "POST", headers: h });
    if (a.status !== 204) throw new Error(`CA ${ca.name} activation: ${a.status} ${await a.text()}`);
    caIds.push(id);
  }
  const audienceIds: number[] = [];
  for (const a of benchAudiences(cas.map((c) => c.name))) {
    // The audience-of-audience leaf names the probe audience (created first).
    const criteria = JSON.parse(JSON.stringify(a.criteria).replace('"audience_id":0', `"audience_id":${audienceIds[0] ?? 0}`));
    const r = await fetch(`${url}/v1/audiences?accountId=1`, { method: "POST", headers: h, body: JSON.stringify({ name: a.name, workspace_ids: [1], criteria }) });
    if (r.status !== 201) throw new Error(`audience ${a.name}: ${r.status} ${await r.text()}`);
    audienceIds.push(((await r.json()) as { id: number }).id);
  }
  return { probeAudienceId: audienceIds[0]!, caIds, audienceIds, token: access };
}

/**
 * Runs until `stop()`: every `everyMs`, a batch for a fresh user with one probe event; then polls the Profile API
 * (support search by customer id, then the profile) every `pollMs` until the probe audience is listed (or `timeoutMs`).
 */
export function startMembershipProber(url: string, setup: BenchAudienceSetup, opts: { everyMs?: number; pollMs?: number; timeoutMs?: number } = {}) {
  const everyMs = opts.everyMs ?? 500;
  const pollMs = opts.pollMs ?? 50;
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const latencies: number[] = [];
  let timedOut = 0;
  let failed = 0;
  let stopped = false;
  let lastError = "";
  const running: Promise<void>[] = [];
  const tag = Date.now().toString(36);
  let n = 0;
  const probeOne = async (k: number) => {
    const customer = `probe-${tag}-${k}`;
    const body = {
      environment: "production",
      schema_version: 2,
      user_identities: { customer_id: customer, email: `${customer}@example.com` },
      events: [{ event_type: "custom_event", data: { event_name: PROBE_EVENT, custom_event_type: "transaction", source_message_id: `probe-${tag}-${k}`, timestamp_unixtime_ms: Date.now() } }],
    };
    const sent = await fetch(`${url}/v2/events`, { method: "POST", headers: { "Content-Type": "application/json", Authorization: BASIC }, body: JSON.stringify(body) });
    await sent.arrayBuffer();
    if (sent.status !== 202) {
      failed++;
      return;
    }
    const t0 = performance.now();
    const auth = { Authorization: `Bearer ${setup.token}` };
    let mpid: string | undefined;
    while (performance.now() - t0 < timeoutMs) {
      // The MPID once the profile exists (support search by customer id), then the profile's memberships.
      const r = mpid
        ? await fetch(`${url}/userprofile/v1/1/1/1/${mpid}?fields=audience_memberships`, { headers: auth })
        : await fetch(`${url}/userprofile/v1/search/1/1/1?value=${encodeURIComponent(customer)}&type=customerid`, { headers: auth });
      const text = await r.text();
      if (r.status !== 200 && r.status !== 404 && !lastError) lastError = `${r.status} ${text.slice(0, 200)}`;
      if (r.status === 200) {
        const body = JSON.parse(text) as { users?: { mpid: string }[]; audience_memberships?: { audience_id: number }[] };
        if (!mpid) mpid = body.users?.[0]?.mpid;
        else if ((body.audience_memberships ?? []).some((m) => m.audience_id === setup.probeAudienceId)) {
          latencies.push(performance.now() - t0);
          return;
        }
        if (mpid) continue;
      }
      await new Promise((r) => setTimeout(r, pollMs));
    }
    timedOut++;
  };
  const timer = setInterval(() => {
    if (!stopped) running.push(probeOne(n++).catch(() => void failed++));
  }, everyMs);
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await Promise.all(running);
      return { latencies, timedOut, failed, probes: n, lastError };
    },
  };
}
