/**
 * `npx tsx bench/scale.ts` — issue 26 acceptance benches against the local pipeline (edge-cdp in one workerd,
 * real consumers, webhook → a Node sink in this process). SCALE_MODE picks one:
 *
 *   dedupe  SCALE_BATCHES batches (default 1,000,000) of one event with distinct source_request_ids (1,000 users),
 *           100 per /v2/bulkevents request, at most 20,000 ahead of the sink: D1's row counts and size before
 *           and after (unchanged: keys live in RequestDedupe objects); then 1,000 batches again, spread over the
 *           run, with the source_request_ids they had and new event ids: the request dedupe drops every one.
 *   outage  SCALE_JOBS jobs (default 100,000) refused by the partner (400 → dead letters), then the partner
 *           recovers and every dead letter is replayed through the Platform API: D1 stays bounded, R2 holds the
 *           payloads, every job is delivered.
 *   hot     1,000 ordinary users at SCALE_RATE requests/s (default 100), alone and next to one customer id sent
 *           as fast as 4 connections can, in alternating slices (SCALE_SLICES of each, default 4; SCALE_SECONDS
 *           per condition, default 20): ordinary users' p95 send → delivery.
 *
 * SCALE_SEND_UNTIL (ISO time, dedupe and outage): stop sending then; the result reports what was sent.
 * SCALE_WINDOW (default 20,000): batches sent but not yet at the sink (dedupe) or dead-lettered (outage), at most.
 * SCALE_PROFILE=1 (dedupe and outage): V8 CPU profile of the measured window → /tmp/prof-scale.txt.
 * Each result carries workerd's CPU seconds (one thread runs all of its JavaScript) and each queue's
 * invocations, messages and summed invocation time.
 * Results are printed as JSON (and appended to bench/results-scale.md). Shares the machine's 2 cores with
 * anything else running: absolute rates vary run to run; the D1 figures do not.
 */
import { appendFileSync, existsSync, writeFileSync } from "node:fs";
import os from "node:os";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { makeAgent, percentiles, runLoad, send } from "./lib/load";
import { BASIC } from "./lib/payloads";
import { sample, selfCpuSec } from "./lib/proc";
import { attachProfilers, loadSourceMap, summarize, table } from "./lib/profile";
import { nowMs } from "./lib/sink";
import { type QueueFlush, ROOT, startWorker } from "./lib/workerd";

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

const PROFILE = process.env.SCALE_PROFILE === "1";
const SEND_UNTIL = process.env.SCALE_SEND_UNTIL ? Date.parse(process.env.SCALE_SEND_UNTIL) : Infinity;
/** Batches sent but not yet done at most (SCALE_WINDOW, default 20,000): what is left to drain after SCALE_SEND_UNTIL. */
const WINDOW = Number(process.env.SCALE_WINDOW ?? 20_000);
if (Number.isNaN(SEND_UNTIL)) throw new Error(`SCALE_SEND_UNTIL: not a time: ${process.env.SCALE_SEND_UNTIL}`);

/**
 * SCALE_PROFILE=1: V8's sampling profiler in edge-cdp's isolate and Miniflare's queue broker and D1 over the
 * measured window (all JavaScript of workerd runs on one thread): top functions to /tmp/prof-scale.txt.
 */
async function profileOf(w: Awaited<ReturnType<typeof startWorker>>) {
  const port = Number((await w.mf.getInspectorURL()).port);
  const map = w.scriptPath && existsSync(`${w.scriptPath}.map`) ? loadSourceMap(`${w.scriptPath}.map`) : undefined;
  const attached = await attachProfilers(port, ["core:user:edge-cdp", "queues:queue", "d1:db", "core:entry"], 500);
  let running: Awaited<ReturnType<typeof attached.start>> | undefined;
  return {
    start: async () => void (running = await attached.start()),
    stop: async (batches: number) => {
      const out: string[] = [];
      for (const [id, p] of await running!.stop()) {
        const sum = summarize(p, { intervalUs: 500, ...(id === "core:user:edge-cdp" && map ? { mapper: map, isBundle: (u: string) => /(^|\/)index\.js$/.test(u) } : {}) });
        out.push(`## ${id}: busy ${sum.busyMs.toFixed(0)} ms (${((sum.busyMs * 1000) / batches).toFixed(0)} µs per batch), GC ${sum.gcMs.toFixed(0)} ms`, table(sum.byFunction, "self", 30), "### by total (src/)", table(sum.byFunction, "total", 40, (r) => / src\//.test(r.key)), "### by file (self)", table(sum.byFile, "self", 30), "");
      }
      writeFileSync("/tmp/prof-scale.txt", out.join("\n"));
      log("wrote /tmp/prof-scale.txt");
    },
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

/** Per queue: consumer invocations, messages, and the invocations' summed duration (Miniflare's broker runs one at a time). */
function queueStats(flushes: { queue: string; total: number; ms: number }[]) {
  const out: Record<string, { invocations: number; messages: number; busy_s: number }> = {};
  for (const f of flushes) {
    const q = (out[f.queue] ??= { invocations: 0, messages: 0, busy_s: 0 });
    q.invocations++;
    q.messages += f.total;
    q.busy_s = +(q.busy_s + f.ms / 1000).toFixed(1);
  }
  return out;
}

/**
 * Sends `n` batches as /v2/bulkevents requests of `per` (4 connections), keeping at most `window` batches sent
 * but not yet `done()` (the pipeline's backlog stays bounded: Miniflare's queue broker holds it in memory), and
 * logs progress every 30 s. `until` (SCALE_SEND_UNTIL) stops sending then: the result reports what was sent.
 */
async function feed(url: string, n: number, per: number, batch: (i: number) => unknown, done: () => number, until = SEND_UNTIL, window = WINDOW) {
  const agent = makeAgent(4);
  const base = new URL(url);
  const statuses: Record<string, number> = {};
  let next = 0;
  let sent = 0;
  let stopped = false;
  const t0 = performance.now();
  const progress = setInterval(() => log(`${sent} batches sent, ${done()} done, ${Math.round(done() / ((performance.now() - t0) / 1000))}/s, load ${os.loadavg()[0]!.toFixed(1)}`), 30_000);
  const loop = async () => {
    while (next < n) {
      if (Date.now() >= until) return void (stopped = true);
      if (next - done() > window) {
        await sleep(20);
        continue;
      }
      const first = next;
      const count = Math.min(per, n - first);
      next += count;
      const body = JSON.stringify(Array.from({ length: count }, (_, i) => batch(first + i)));
      const ans = await send(agent, base, { path: "/v2/bulkevents", headers: { authorization: BASIC }, body });
      statuses[ans.status] = (statuses[ans.status] ?? 0) + 1;
      if (ans.status !== 202) throw new Error(`bulk request ${first}: ${ans.status} ${ans.body.slice(0, 300)}`);
      sent += count;
    }
  };
  try {
    await Promise.all(Array.from({ length: 4 }, loop));
  } finally {
    clearInterval(progress);
    agent.destroy();
  }
  return { sent, requests: Object.values(statuses).reduce((a, b) => a + b, 0), statuses, stopped };
}

async function dedupe() {
  const N = Number(process.env.SCALE_BATCHES ?? 1_000_000);
  const PER = 100;
  const s = await sink();
  const w = await startWorker({ worker: "edge-cdp", sinkUrl: s.url, ...(PROFILE ? { inspectorPort: 0 } : {}) });
  try {
    const profiler = PROFILE ? await profileOf(w) : null;
    // One request first: this hour's counter rows exist before the measurement (they grow per hour, not per batch).
    await post(w.url, "/v2/events", small("warm", "warm"));
    await waitFor(() => s.seen.size >= 1, 60, "the warm-up batch");
    const before = await d1Footprint(w.mf);
    const flushes0 = w.queueFlushes.length;
    await profiler?.start();
    const cpu0 = { workerd: sample(w.pid).cpuSec, node: selfCpuSec() };
    const t0 = performance.now();
    const delivered = () => s.seen.size - 1;
    const res = await feed(w.url, N, PER, (i) => small(`u${i % 1000}`, String(i)), delivered);
    await waitFor(() => delivered() >= res.sent, 1800, "every batch at the sink");
    const seconds = (performance.now() - t0) / 1000;
    const cpu = { workerd_s: +(sample(w.pid).cpuSec - cpu0.workerd).toFixed(1), node_s: +(selfCpuSec() - cpu0.node).toFixed(1), load_avg: os.loadavg().map((l) => +l.toFixed(1)) };
    await profiler?.stop(res.sent);
    const queues = queueStats(w.queueFlushes.slice(flushes0));
    // Duplicates across the whole run are still caught: 1,000 batches again (spread over the run), with the
    // source_request_id they had and new event ids, so only the request dedupe can drop them.
    const again = Math.min(1000, res.sent);
    const dropped0 = w.logCounts.get("duplicate source_request_id dropped") ?? 0;
    const dupes = await feed(w.url, again, PER, (i) => {
      const b = small(`u${i % 1000}`, String(Math.floor((i * res.sent) / again)));
      b.events[0]!.data.source_message_id = `again-${i}`;
      return b;
    }, () => (w.logCounts.get("duplicate source_request_id dropped") ?? 0) - dropped0, Infinity);
    await waitFor(() => (w.logCounts.get("duplicate source_request_id dropped") ?? 0) - dropped0 >= dupes.sent, 300, "the resent batches' dedupe");
    await sleep(3000);
    const after = await d1Footprint(w.mf);
    const changed = Object.keys(after.rows).filter((t) => after.rows[t] !== before.rows[t]);
    return {
      mode: "dedupe", batches: res.sent, ...(res.stopped ? { stopped_at_send_until: true, batches_asked: N } : {}), requests: res.requests, statuses: res.statuses, seconds: +seconds.toFixed(1), batches_per_s: Math.round(res.sent / seconds),
      d1_before: before, d1_after: { bytes: after.bytes }, d1_tables_changed: changed, d1_unchanged: changed.length === 0 && after.bytes === before.bytes,
      delivered: delivered(), duplicates_at_sink: [...s.seen.values()].filter((n) => n > 1).length,
      resent_with_seen_source_request_ids: dupes.sent, resent_dropped_by_request_dedupe: (w.logCounts.get("duplicate source_request_id dropped") ?? 0) - dropped0,
      resent_delivered: [...s.seen.keys()].filter((k) => k.startsWith("again-")).length,
      queues, cpu, tallies: w.tallies,
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
  const w = await startWorker({ worker: "edge-cdp", sinkUrl: s.url, ...(PROFILE ? { inspectorPort: 0 } : {}) });
  try {
    const profiler = PROFILE ? await profileOf(w) : null;
    // One delivered request first (the demo seed and this hour's counter rows), then the partner goes down.
    await post(w.url, "/v2/events", small("warm", "warm"));
    await waitFor(() => s.seen.size >= 1, 60, "the warm-up batch");
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
    const d1Before = await d1Footprint(w.mf);
    const flushes0 = w.queueFlushes.length;
    const cpu0 = sample(w.pid).cpuSec;
    const t0 = performance.now();
    // Progress is the dead-letter consumer's acknowledged messages (one per job): listing the bucket while it
    // fills would cost the worker O(objects) per look. The bucket is counted once afterwards.
    let dlqAcked = 0;
    let seenFlushes = flushes0;
    const deadLettered = () => {
      for (; seenFlushes < w.queueFlushes.length; seenFlushes++) if (w.queueFlushes[seenFlushes]!.queue === "forward-dlq") dlqAcked += w.queueFlushes[seenFlushes]!.acked;
      return dlqAcked;
    };
    const sent = await feed(w.url, N, PER, (i) => small(`u${i % 1000}`, String(i)), deadLettered);
    const jobs = sent.sent;
    await waitFor(() => deadLettered() >= jobs, 3600, "every job dead-lettered");
    const deadLetterSeconds = (performance.now() - t0) / 1000;
    const deadLetterQueues = queueStats(w.queueFlushes.slice(flushes0));
    const deadLetterCpu = { workerd_s: +(sample(w.pid).cpuSec - cpu0).toFixed(1), load_avg: os.loadavg().map((l) => +l.toFixed(1)) };
    const pending = await countR2("pending/1/1/");
    if (pending !== jobs) throw new Error(`${pending} dead letters in R2 for ${jobs} jobs`);
    const d1 = await d1Footprint(w.mf);
    s.state.down = false;
    const tok = JSON.parse((await post(w.url, "/oauth/token", { client_id: "demo-client-id", client_secret: "demo-client-secret", audience: "https://api.mparticle.com", grant_type: "client_credentials" }, {})).body).access_token as string;
    const t1 = performance.now();
    const flushes1 = w.queueFlushes.length;
    const cpu1 = sample(w.pid).cpuSec;
    await profiler?.start();
    let calls = 0;
    const progress = setInterval(() => log(`replay: ${calls} calls, ${s.seen.size - 1} delivered, load ${os.loadavg()[0]!.toFixed(1)}`), 30_000);
    for (let remaining = true; remaining; calls++) {
      const ans = await post(w.url, "/v1/connections/1/deadletters/replay?accountId=1", {}, { authorization: `Bearer ${tok}` });
      if (ans.status !== 202) throw new Error(`replay: ${ans.status} ${ans.body.slice(0, 300)}`);
      remaining = JSON.parse(ans.body).data[0].remaining;
    }
    await waitFor(() => s.seen.size - 1 >= jobs, 3600, "every replayed job at the sink").finally(() => clearInterval(progress));
    const replaySeconds = (performance.now() - t1) / 1000;
    await profiler?.stop(jobs);
    return {
      mode: "outage", jobs, ...(sent.stopped ? { stopped_at_send_until: true, jobs_asked: N } : {}), dead_letter_seconds: +deadLetterSeconds.toFixed(1), dead_letter_queues: deadLetterQueues, dead_letter_cpu: deadLetterCpu, r2_pending_objects: pending,
      d1_before: d1Before, d1_dead_letter_rows: d1.rows.dead_letters, d1_bytes: d1.bytes, d1_rows_changed: Object.fromEntries(Object.keys(d1.rows).filter((t) => d1.rows[t] !== d1Before.rows[t]).map((t) => [t, d1.rows[t]])), replay_calls: calls, replay_seconds: +replaySeconds.toFixed(1),
      replay_queues: queueStats(w.queueFlushes.slice(flushes1)), replay_cpu: { workerd_s: +(sample(w.pid).cpuSec - cpu1).toFixed(1), load_avg: os.loadavg().map((l) => +l.toFixed(1)) },
      delivered_after_replay: s.seen.size - 1, duplicates_at_sink: [...s.seen.values()].filter((n) => n > 1).length, r2_pending_after: await countR2("pending/"), r2_replayed_after: await countR2("replayed/"),
      d1_after_replay: (await d1Footprint(w.mf)).bytes,
    };
  } finally {
    await w.stop();
    await s.close();
  }
}

/**
 * Ordinary users' send → delivery latency without and with a hot profile, in alternating slices (alone, hot,
 * alone, hot, …: SCALE_SLICES of each, SCALE_SECONDS in all per condition), so that a change in what else runs
 * on the machine during the bench weighs on both conditions alike. Each hot slice floods a customer id of its
 * own (the flow limit detects it afresh), and the next slice starts only once the hot lane has delivered
 * everything (an alone slice never carries the previous flood's backlog).
 */
async function hot() {
  const SECONDS = Number(process.env.SCALE_SECONDS ?? 20);
  const SLICES = Number(process.env.SCALE_SLICES ?? 4);
  const RATE = Number(process.env.SCALE_RATE ?? 100);
  const slice = SECONDS / SLICES;
  const s = await sink();
  const w = await startWorker({ worker: "edge-cdp", sinkUrl: s.url });
  try {
    // The 1,000 ordinary users exist before the runs (one batch each).
    await runLoad({ url: w.url, connections: 4, seconds: 600, expect: 202, maxRequests: 1000, make: (n) => ({ path: "/v2/events", headers: { authorization: BASIC }, body: JSON.stringify(small(`user-${n}`, `w${n}`)) }) });
    await waitFor(() => s.seen.size >= 1000, 300, "the users' first batches");
    type Slice = { ordinary: number; ordinarySeconds: number; answers: Float64Array; hot: number; hotSeconds: number; cpuS: number; loadS: number; flushes: QueueFlush[]; load: number };
    const slices: Record<"alone" | "hot", Slice[]> = { alone: [], hot: [] };
    const run = async (label: "alone" | "hot", i: number) => {
      const tag = `${label}${i}`;
      const before = before0(label);
      const flushes0 = w.queueFlushes.length;
      const cpu0 = sample(w.pid).cpuSec;
      const t0 = performance.now();
      const ordinary = runLoad({ url: w.url, connections: 8, seconds: slice, expect: 202, ratePerSec: RATE, make: (n) => ({ path: "/v2/events", headers: { authorization: BASIC }, body: JSON.stringify(small(`user-${(n * 7 + i * 131) % 1000}`, `${tag}-o${n}`, `${label}-ordinary`)) }) });
      const flood = label === "hot" ? runLoad({ url: w.url, connections: 4, seconds: slice, expect: 202, make: (n) => ({ path: "/v2/events", headers: { authorization: BASIC }, body: JSON.stringify(small(`0-hot-customer-${i}`, `${tag}-h${n}`, "hot-hot")) }) }) : null;
      const [o, h] = await Promise.all([ordinary, flood]);
      // Over the load window: workerd's CPU (one thread runs all of its JavaScript) and each queue's invocations.
      const loadS = (performance.now() - t0) / 1000;
      const cpuS = sample(w.pid).cpuSec - cpu0;
      await waitFor(() => (s.e2e.get(`${label}-ordinary`)?.length ?? 0) >= before + o.ok, 180, `${tag}: ordinary deliveries`);
      await waitFor(() => (s.e2e.get("hot-hot")?.length ?? 0) >= hotSent + (h?.ok ?? 0), 600, `${tag}: the hot profile's deliveries`);
      hotSent += h?.ok ?? 0;
      slices[label].push({ ordinary: o.ok, ordinarySeconds: o.seconds, answers: o.latencies, hot: h?.ok ?? 0, hotSeconds: h?.seconds ?? 0, cpuS, loadS, flushes: w.queueFlushes.slice(flushes0), load: os.loadavg()[0]! });
      log(`${tag}: ${o.ok} ordinary, ${h?.ok ?? 0} hot, workerd ${(cpuS / loadS).toFixed(2)} of a core, load ${os.loadavg()[0]!.toFixed(1)}`);
    };
    let hotSent = 0;
    const before0 = (label: "alone" | "hot") => slices[label].reduce((n, x) => n + x.ordinary, 0);
    for (let i = 0; i < SLICES; i++) {
      await run("alone", i);
      await run("hot", i);
    }
    const summary = (label: "alone" | "hot") => {
      const l = slices[label];
      const lat = Float64Array.from(s.e2e.get(`${label}-ordinary`) ?? []);
      const [p50, p95, p99] = percentiles(lat, [50, 95, 99]);
      const answers = Float64Array.from(l.flatMap((x) => [...x.answers]));
      const [a50, a95] = percentiles(answers, [50, 95]);
      const seconds = l.reduce((n, x) => n + x.loadS, 0);
      let at = 0;
      const perSlice = l.map((x) => {
        const part = lat.slice(at, at + x.ordinary);
        at += x.ordinary;
        return Math.round(percentiles(part, [95])[0]!);
      });
      return {
        ordinary_requests: l.reduce((n, x) => n + x.ordinary, 0), ordinary_rate_per_s: Math.round(l.reduce((n, x) => n + x.ordinary, 0) / l.reduce((n, x) => n + x.ordinarySeconds, 0)),
        ordinary_p50_ms: Math.round(p50!), ordinary_p95_ms: Math.round(p95!), ordinary_p99_ms: Math.round(p99!), ordinary_p95_ms_by_slice: perSlice,
        ordinary_answer_p50_ms: +a50!.toFixed(1), ordinary_answer_p95_ms: +a95!.toFixed(1),
        hot_requests: l.reduce((n, x) => n + x.hot, 0), hot_rate_per_s: label === "hot" ? Math.round(l.reduce((n, x) => n + x.hot, 0) / l.reduce((n, x) => n + x.hotSeconds, 0)) : 0,
        workerd_cpu_share: +(l.reduce((n, x) => n + x.cpuS, 0) / seconds).toFixed(2), load_avg_by_slice: l.map((x) => +x.load.toFixed(1)),
        queues: queueStats(l.flatMap((x) => x.flushes)),
      };
    };
    const alone = summary("alone");
    const withHot = summary("hot");
    return {
      mode: "hot", seconds: SECONDS, slices: SLICES, ordinary_rate: RATE, alone, with_hot: withHot, p95_ratio: +(withHot.ordinary_p95_ms / alone.ordinary_p95_ms).toFixed(2),
      slow_lane_lines: w.logCounts.get("hot profiles: batches moved to the slow lane") ?? 0, hot_delivered: s.e2e.get("hot-hot")?.length ?? 0,
    };
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
