/**
 * `npx tsx bench/scale.ts` — issue 26 acceptance benches against the local pipeline (edge-cdp in one workerd,
 * real consumers, webhook → a Node sink in this process). SCALE_MODE picks one:
 *
 *   dedupe  SCALE_BATCHES batches (default 1,000,000) with distinct source_request_ids, 100 per /v2/bulkevents
 *           request: D1's row counts and size before and after (unchanged: keys live in RequestDedupe objects).
 *   outage  SCALE_JOBS jobs (default 100,000) refused by the partner (400 → dead letters), then the partner
 *           recovers and every dead letter is replayed through the Platform API: D1 stays bounded, R2 holds the
 *           payloads, every job is delivered.
 *   hot     SCALE_SECONDS (default 20) of 1,000 ordinary users at SCALE_RATE requests/s (default 100), once alone
 *           and once next to one customer id sent at the maximum rate: ordinary users' p95 send → delivery.
 *
 * Results are printed as JSON (and appended to bench/results-scale.md). Shares the machine's 2 cores with
 * anything else running: absolute rates vary run to run; the D1 figures do not.
 */
import { appendFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { makeAgent, percentiles, runLoad, send } from "./lib/load";
import { BASIC } from "./lib/payloads";
import { nowMs } from "./lib/sink";
import { ROOT, startWorker } from "./lib/workerd";

const MODE = process.env.SCALE_MODE ?? "dedupe";
const log = (s: string) => process.stderr.write(`[scale ${new Date().toISOString().slice(11, 19)}] ${s}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A webhook sink that can be down (answers 400: a permanent refusal → dead letter) and records arrivals. */
async function sink() {
  const seen = new Map<string, number>();
  const e2e = new Map<string, number[]>();
  const state = { down: false, requests: 0 };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      state.requests++;
      if (state.down) return void res.writeHead(400, { "content-type": "text/plain" }).end("partner outage");
      const at = nowMs();
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { events?: { data?: Record<string, any> }[] };
        for (const e of body.events ?? []) {
          const id = String(e.data?.source_message_id);
          const n = seen.get(id) ?? 0;
          seen.set(id, n + 1);
          const attrs = e.data?.custom_attributes ?? {};
          if (n === 0 && attrs.bench_sent_ms) {
            const g = String(attrs.bench_group ?? "all");
            (e2e.get(g) ?? e2e.set(g, []).get(g)!).push(at - Number(attrs.bench_sent_ms));
          }
        }
      } catch {
        // counted as a request only
      }
      res.writeHead(200, { "content-type": "text/plain" }).end("ok");
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, seen, e2e, state, close: () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))) };
}

/** A one-event batch of `user` with a unique source_request_id and source_message_id. */
function small(user: string, seq: string, group?: string) {
  return {
    environment: "production",
    source_request_id: `sr-${seq}`,
    user_identities: { customer_id: user },
    events: [{ event_type: "custom_event", data: { event_name: "Scale", custom_event_type: "other", source_message_id: `m-${seq}`, timestamp_unixtime_ms: Date.now(), custom_attributes: group ? { bench_sent_ms: String(nowMs()), bench_group: group } : {} } }],
  };
}

type Mf = Awaited<ReturnType<typeof startWorker>>["mf"];

/** Row counts of every D1 table and the database size (D1 reports `size_after` with each query). */
async function d1Footprint(mf: Mf) {
  const db = await mf.getD1Database("DB");
  const tables = await db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%'`).all<{ name: string }>();
  const rows: Record<string, number> = {};
  let bytes = 0;
  for (const { name } of tables.results) {
    const r = await db.prepare(`SELECT COUNT(*) AS n FROM "${name}"`).all<{ n: number }>();
    rows[name] = r.results[0]!.n;
    bytes = r.meta.size_after;
  }
  return { rows, bytes };
}

async function waitFor(cond: () => boolean | Promise<boolean>, timeoutS: number, what: string) {
  const end = Date.now() + timeoutS * 1000;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(250);
  }
}

async function post(url: string, p: string, body: unknown, headers: Record<string, string> = { authorization: BASIC }) {
  const agent = makeAgent(1);
  try {
    return await send(agent, new URL(url), { path: p, body: JSON.stringify(body), headers });
  } finally {
    agent.destroy();
  }
}

function queueStats(flushes: { queue: string; total: number }[]) {
  const out: Record<string, { invocations: number; messages: number }> = {};
  for (const f of flushes) {
    const q = (out[f.queue] ??= { invocations: 0, messages: 0 });
    q.invocations++;
    q.messages += f.total;
  }
  return out;
}

async function dedupe() {
  const N = Number(process.env.SCALE_BATCHES ?? 1_000_000);
  const PER = 100;
  const s = await sink();
  const w = await startWorker({ worker: "edge-cdp", sinkUrl: s.url });
  try {
    // One request first: this hour's counter rows exist before the measurement (they grow per hour, not per batch).
    await post(w.url, "/v2/events", small("warm", "warm"));
    await waitFor(() => s.seen.size >= 1, 60, "the warm-up batch");
    const before = await d1Footprint(w.mf);
    const flushes0 = w.queueFlushes.length;
    const t0 = performance.now();
    const res = await runLoad({
      url: w.url, connections: 4, seconds: 3600, expect: 202, maxRequests: Math.ceil(N / PER),
      make: (r) => ({ path: "/v2/bulkevents", headers: { authorization: BASIC }, body: JSON.stringify(Array.from({ length: Math.min(PER, N - r * PER) }, (_, i) => small(`u${(r * PER + i) % 1000}`, String(r * PER + i)))) }),
    });
    await waitFor(() => s.seen.size >= N + 1, 600, "every batch at the sink");
    const seconds = (performance.now() - t0) / 1000;
    const after = await d1Footprint(w.mf);
    const changed = Object.keys(after.rows).filter((t) => after.rows[t] !== before.rows[t]);
    return {
      mode: "dedupe", batches: N, requests: res.requests, statuses: res.statuses, seconds: +seconds.toFixed(1), batches_per_s: Math.round(N / seconds),
      d1_before: before, d1_after: { bytes: after.bytes }, d1_tables_changed: changed, d1_unchanged: changed.length === 0 && after.bytes === before.bytes,
      delivered: s.seen.size - 1, duplicates_at_sink: [...s.seen.values()].filter((n) => n > 1).length,
      queues: queueStats(w.queueFlushes.slice(flushes0)), tallies: w.tallies,
    };
  } finally {
    await w.stop();
    await s.close();
  }
}

async function outage() {
  const N = Number(process.env.SCALE_JOBS ?? 100_000);
  const PER = 100;
  const s = await sink();
  const w = await startWorker({ worker: "edge-cdp", sinkUrl: s.url });
  try {
    s.state.down = true;
    const r2 = await w.mf.getR2Bucket("DEAD_LETTERS");
    const countR2 = async (prefix: string) => {
      let n = 0;
      let cursor: string | undefined;
      do {
        const page = await r2.list({ prefix, cursor, limit: 1000 });
        n += page.objects.length;
        cursor = page.truncated ? page.cursor : undefined;
      } while (cursor);
      return n;
    };
    const t0 = performance.now();
    await runLoad({
      url: w.url, connections: 4, seconds: 3600, expect: 202, maxRequests: Math.ceil(N / PER),
      make: (r) => ({ path: "/v2/bulkevents", headers: { authorization: BASIC }, body: JSON.stringify(Array.from({ length: Math.min(PER, N - r * PER) }, (_, i) => small(`u${(r * PER + i) % 1000}`, String(r * PER + i)))) }),
    });
    await waitFor(async () => (await countR2("pending/1/1/")) >= N, 900, "every job dead-lettered");
    const deadLetterSeconds = (performance.now() - t0) / 1000;
    const d1 = await d1Footprint(w.mf);
    s.state.down = false;
    const tok = JSON.parse((await post(w.url, "/oauth/token", { client_id: "demo-client-id", client_secret: "demo-client-secret", audience: "https://api.mparticle.com", grant_type: "client_credentials" }, {})).body).access_token as string;
    const t1 = performance.now();
    let calls = 0;
    for (let remaining = true; remaining; calls++) {
      const ans = await post(w.url, "/v1/connections/1/deadletters/replay?accountId=1", {}, { authorization: `Bearer ${tok}` });
      if (ans.status !== 202) throw new Error(`replay: ${ans.status} ${ans.body.slice(0, 300)}`);
      remaining = JSON.parse(ans.body).data[0].remaining;
    }
    await waitFor(() => s.seen.size >= N, 900, "every replayed job at the sink");
    return {
      mode: "outage", jobs: N, dead_letter_seconds: +deadLetterSeconds.toFixed(1), r2_pending_objects: N,
      d1_dead_letter_rows: d1.rows.dead_letters, d1_bytes: d1.bytes, replay_calls: calls, replay_seconds: +((performance.now() - t1) / 1000).toFixed(1),
      delivered_after_replay: s.seen.size, r2_pending_after: await countR2("pending/"), r2_replayed_after: await countR2("replayed/"),
      d1_after_replay: (await d1Footprint(w.mf)).bytes,
    };
  } finally {
    await w.stop();
    await s.close();
  }
}

async function hot() {
  const SECONDS = Number(process.env.SCALE_SECONDS ?? 20);
  const RATE = Number(process.env.SCALE_RATE ?? 100);
  const s = await sink();
  const w = await startWorker({ worker: "edge-cdp", sinkUrl: s.url });
  try {
    // The 1,000 ordinary users exist before the runs (one batch each).
    await runLoad({ url: w.url, connections: 4, seconds: 600, expect: 202, maxRequests: 1000, make: (n) => ({ path: "/v2/events", headers: { authorization: BASIC }, body: JSON.stringify(small(`user-${n}`, `w${n}`)) }) });
    await waitFor(() => s.seen.size >= 1000, 300, "the users' first batches");
    const run = async (label: string, withHot: boolean) => {
      const ordinary = runLoad({ url: w.url, connections: 8, seconds: SECONDS, expect: 202, ratePerSec: RATE, make: (n) => ({ path: "/v2/events", headers: { authorization: BASIC }, body: JSON.stringify(small(`user-${n % 1000}`, `${label}-o${n}`, `${label}-ordinary`)) }) });
      const flood = withHot ? runLoad({ url: w.url, connections: 4, seconds: SECONDS, expect: 202, make: (n) => ({ path: "/v2/events", headers: { authorization: BASIC }, body: JSON.stringify(small("0-hot-customer", `${label}-h${n}`, `${label}-hot`)) }) }) : null;
      const [o, h] = await Promise.all([ordinary, flood]);
      await waitFor(() => (s.e2e.get(`${label}-ordinary`)?.length ?? 0) >= o.ok, 180, `${label}: ordinary deliveries`);
      const lat = Float64Array.from(s.e2e.get(`${label}-ordinary`)!);
      const [p50, p95, p99] = percentiles(lat, [50, 95, 99]);
      return { label, ordinary_requests: o.ok, ordinary_p50_ms: Math.round(p50!), ordinary_p95_ms: Math.round(p95!), ordinary_p99_ms: Math.round(p99!), hot_requests: h?.ok ?? 0, hot_rate_per_s: h ? Math.round(h.ok / h.seconds) : 0 };
    };
    const alone = await run("alone", false);
    const withHot = await run("hot", true);
    await waitFor(() => (s.e2e.get("hot-hot")?.length ?? 0) >= withHot.hot_requests, 600, "the hot profile's deliveries");
    return { mode: "hot", seconds: SECONDS, ordinary_rate: RATE, alone, with_hot: withHot, p95_ratio: +(withHot.ordinary_p95_ms / alone.ordinary_p95_ms).toFixed(2), slow_lane_lines: w.logCounts.get("hot profiles: batches moved to the slow lane") ?? 0, hot_delivered: s.e2e.get("hot-hot")?.length ?? 0 };
  } finally {
    await w.stop();
    await s.close();
  }
}

const result = await (MODE === "dedupe" ? dedupe() : MODE === "outage" ? outage() : MODE === "hot" ? hot() : Promise.reject(new Error(`SCALE_MODE: ${MODE}`)));
const line = JSON.stringify({ at: new Date().toISOString(), ...result });
console.log(line);
appendFileSync(path.join(ROOT, "bench/results-scale.md"), `\n\`\`\`json\n${JSON.stringify({ at: new Date().toISOString(), ...result }, null, 1)}\n\`\`\`\n`);
log("done");
process.exit(0);
