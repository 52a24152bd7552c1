/**
 * CPU profile of edge-cdp under load (issue 8): `npx tsx bench/profile.mts <events|bulk|identify|pipeline>`.
 *
 * Starts edge-cdp under Miniflare exactly as the bench does (bench/lib/workerd.ts startWorker) with workerd's
 * inspector open, starts V8's sampling profiler in edge-cdp's isolate (its Durable Objects run there too) and
 * in Miniflare's internal workers that share the workerd process (entry router, queue broker, rate limiter,
 * D1), drives load with bench/lib/load.ts, stops the profilers and prints, for edge-cdp: the top functions by
 * self and by total time, by source file (bundle positions mapped back through wrangler's source map) and by
 * package, plus the hottest src/ lines; for each internal worker its busy time and top functions. workerd's
 * CPU over the same window (/proc utime+stime) relates the sampled JS time to the whole process (the rest is
 * C++: HTTP, the runtime's APIs, SQLite, the Durable Object and queue plumbing).
 *
 * Scenarios (same bodies and headers as bench/run.ts):
 *   events    POST /v2/events, 10-event batches, queue consumers → bench/drain-worker.js (as the bench's
 *             ingest stage), closed loop, PROFILE_CONNECTIONS (20) connections, PROFILE_SECONDS (15) s
 *   bulk      POST /v2/bulkevents, 20 batches of 10 events per request, otherwise as events
 *   identify  POST /v1/identify for 500 known users created first, round-robin, closed loop
 *   pipeline  real consumers, demo webhook → bench/lib/sink.ts; one batch per user (BENCH_USERS, 1,000) first
 *             and waited for at the sink (PIPELINE_NEW_USERS=1 skips this: the profile then shows the
 *             new-user phase, Durable Object creation), then 10-event batches paced at
 *             PIPELINE_EVENTS_PER_SEC (5,000) events/s for PIPELINE_SECONDS (20) s; the profile covers the
 *             load and the drain (until every accepted event reached the sink, ≤ 120 s)
 * BENCH_RULE=1 (echo rule over RPC) or BENCH_RULE=fetch (over fetch) attaches the bench's All-Outputs echo rule
 * (bench/lib/rule-bench.ts) in the pipeline scenario and profiles the rule Worker's isolate too.
 * Env: PROFILE_INTERVAL_US (200), PROFILE_BASELINE=0 (skip the unprofiled window that measures the profiler's
 * own overhead, events/identify only), PROFILE_INTERNAL=1 (also profile Miniflare's internal workers: all
 * isolates run JavaScript on workerd's one thread, so their samples never overlap and busy times add up, but
 * every extra sampler adds its own thread's CPU to workerd's).
 * Writes /tmp/prof-<scenario>.cpuprofile (edge-cdp; open in Chrome DevTools → Performance, or VS Code) and
 * /tmp/prof-<scenario>-<target>.cpuprofile per internal worker.
 */
// First (see bench/lib/rule-bench.ts): BENCH_RULE=1 / fetch adds the echo rule Worker and attaches the rule.
import { BENCH_RULE, BENCH_WORKSPACE_B, ruleWorkerOptions, setupBenchRules } from "./lib/rule-bench";
import { existsSync, writeFileSync } from "node:fs";
import { runLoad, percentiles, type LoadResult } from "./lib/load";
import { BASIC, batch, identify } from "./lib/payloads";
import { sample, selfCpuSec } from "./lib/proc";
import { attachProfilers, loadSourceMap, summarize, table, type CpuProfile, type Profiling, type Summary } from "./lib/profile";
import { nowMs, startSink, type Sink } from "./lib/sink";
import { type Running, startWorker } from "./lib/workerd";
import { BENCH_AUDIENCES, createBenchAudiences } from "./lib/audiences";
import { BENCH_DATA_PLAN, createBenchPlan } from "./lib/plan";

const scenario = process.argv[2] ?? "";
if (!["events", "bulk", "identify", "pipeline"].includes(scenario)) {
  console.error("usage: npx tsx bench/profile.mts <events|bulk|identify|pipeline>");
  process.exit(2);
}
const SECONDS = Number(process.env.PROFILE_SECONDS ?? 15);
const CONNECTIONS = Number(process.env.PROFILE_CONNECTIONS ?? 20);
const INTERVAL_US = Number(process.env.PROFILE_INTERVAL_US ?? 200);
const INTERNAL = process.env.PROFILE_INTERNAL === "1";
const BASELINE = process.env.PROFILE_BASELINE !== "0";
const PIPELINE_SECONDS = Number(process.env.PIPELINE_SECONDS ?? 20);
const PIPELINE_EPS = Number(process.env.PIPELINE_EVENTS_PER_SEC ?? 5000);
const KNOWN_USERS = Number(process.env.BENCH_KNOWN_USERS ?? 500);
const USERS = Number(process.env.BENCH_USERS ?? 1000);
/** Miniflare's internal workers worth profiling (ids at /json); edge-cdp's is core:user:edge-cdp. */
const INTERNAL_TARGETS = ["core:entry", "queues:queue", "ratelimit:ns", "d1:db", "core:user:drain"];

const log = (s: string) => process.stderr.write(`[profile ${new Date().toISOString().slice(11, 19)}] ${s}\n`);
const authH = { authorization: BASIC };
const known = (i: number) => ({ customerid: `known-${i}`, email: `known${i}@example.com` });
const identifyReq = (k: Record<string, string>) => ({ path: "/v1/identify", body: JSON.stringify(identify(k)), headers: { "x-mp-key": "demo-web-key" } });
let seqCounter = 0;
const eventsReq = () => {
  const seq = seqCounter++;
  return { path: "/v2/events", body: JSON.stringify(batch({ user: seq % USERS, seq })), headers: authH };
};

const bulkReq = () => ({ path: "/v2/bulkevents", body: JSON.stringify(Array.from({ length: 20 }, () => batch({ user: seqCounter % USERS, seq: seqCounter++ }))), headers: authH });

type Window = { seconds: number; requests: number; ok: number; cpuSec: number; statuses: Record<string, number>; p50: number; p99: number };
function windowOf(res: LoadResult, cpuSec: number): Window {
  const [p50, p99] = percentiles(res.latencies, [50, 99]);
  return { seconds: res.seconds, requests: res.requests, ok: res.ok, cpuSec, statuses: res.statuses, p50: p50!, p99: p99! };
}
const line = (name: string, w: Window, perReq = true) =>
  `${name}: ${(w.ok / w.seconds).toFixed(0)} req/s ok (${JSON.stringify(w.statuses)}), p50 ${w.p50.toFixed(2)} p99 ${w.p99.toFixed(2)} ms, workerd CPU ${w.cpuSec.toFixed(2)} s = ${((w.cpuSec / w.seconds) * 100).toFixed(0)}% of a core${perReq ? `, ${((w.cpuSec * 1e6) / Math.max(1, w.ok)).toFixed(0)} µs/request` : ""}`;

async function closedLoop(w: Running, make: (seq: number) => { path: string; body: string; headers?: Record<string, string> }, expect: number, seconds: number): Promise<Window> {
  const c0 = sample(w.pid).cpuSec;
  const res = await runLoad({ url: w.url, connections: CONNECTIONS, seconds, expect, make });
  return windowOf(res, sample(w.pid).cpuSec - c0);
}

async function main() {
  const startedAt = new Date();
  log(`scenario ${scenario}, sampling every ${INTERVAL_US} µs, started ${startedAt.toISOString()}`);
  const sink: Sink | undefined = scenario === "pipeline" ? await startSink() : undefined;
  if (BENCH_RULE === "https-timeout" || BENCH_WORKSPACE_B) throw new Error("profile.mts: BENCH_RULE=1 or fetch only (pipeline scenario)");
  // The pipeline scenario as the bench runs it: its load on edge-cdp's own socket (bench/lib/workerd.ts `entry`).
  const w = await startWorker({ worker: "edge-cdp", ...(scenario === "pipeline" ? { entry: "direct" as const } : {}), drainQueues: scenario !== "pipeline", sinkUrl: sink?.url, inspectorPort: 0, ...ruleWorkerOptions() });
  if (BENCH_RULE !== "off" && sink) await setupBenchRules(w.url, sink.url);
  // The same feature switches as npm run bench: a data plan on every batch, 20 CAs + 20 audiences.
  if (BENCH_DATA_PLAN) await createBenchPlan(w.url);
  if (BENCH_AUDIENCES) await createBenchAudiences(w.url);
  const port = Number((await w.mf.getInspectorURL()).port);
  // The bundle's source map, read while the worker's temporary directory exists (it is removed on stop).
  const mapper = await findSourceMap(w);
  const ruleWorker = BENCH_RULE === "echo" ? ["core:user:rule-echo-rpc"] : BENCH_RULE === "echo-fetch" ? ["core:user:rule-echo"] : [];
  const targets = ["core:user:edge-cdp", ...ruleWorker, ...(INTERNAL ? INTERNAL_TARGETS : [])];
  const attached = await attachProfilers(port, targets, INTERVAL_US);
  const report: string[] = [];
  const out = (s = "") => {
    report.push(s);
    process.stdout.write(`${s}\n`);
  };
  try {
    let measured: Window;
    let unprofiled: Window | undefined;
    let extra = "";
    let prof: Profiling;
    let profiles: Map<string, CpuProfile>;
    if (scenario === "events" || scenario === "bulk" || scenario === "identify") {
      let make: (seq: number) => { path: string; body: string; headers?: Record<string, string> } = scenario === "bulk" ? bulkReq : eventsReq;
      let expect = 202;
      if (scenario === "identify") {
        log(`creating ${KNOWN_USERS} known users`);
        const created = await runLoad({ url: w.url, connections: 10, seconds: 600, expect: 200, maxRequests: KNOWN_USERS, make: (i) => identifyReq(known(i)) });
        if (created.ok !== KNOWN_USERS) throw new Error(`could not create known users: ${JSON.stringify(created.statuses)} ${created.firstErrors.join(" | ")}`);
        let k = 0;
        make = () => identifyReq(known(k++ % KNOWN_USERS));
        expect = 200;
      }
      log("warm-up 3 s");
      await closedLoop(w, make, expect, 3);
      if (BASELINE) {
        log(`unprofiled window ${SECONDS} s (profiler overhead reference)`);
        unprofiled = await closedLoop(w, make, expect, SECONDS);
        log(line("unprofiled", unprofiled));
      }
      prof = await attached.start();
      log(`profiling ${prof.targets.join(", ")} for ${SECONDS} s${Object.keys(prof.failed).length ? `; could not profile ${JSON.stringify(prof.failed)}` : ""}`);
      measured = await closedLoop(w, make, expect, SECONDS);
      profiles = await prof.stop();
      log(line("profiled", measured));
    } else {
      const s = sink!;
      // Warm-up: seed, config caches and (unless PIPELINE_NEW_USERS=1) one batch for each of the USERS users,
      // so the profile shows the steady state (known users) rather than Durable Object creation; waited for
      // at the sink.
      const warmUsers = process.env.PIPELINE_NEW_USERS === "1" ? 40 : USERS;
      log(`warm-up: ${warmUsers} batches (one per user), waiting for them at the sink`);
      const warmIds: string[] = [];
      await runLoad({
        url: w.url, connections: 8, seconds: 600, expect: 202, maxRequests: warmUsers,
        make: (i) => ({ path: "/v2/events", body: JSON.stringify(batch({ user: i, seq: 1e9 + i, sentAt: String(nowMs()) })), headers: authH }),
        onAnswer: (_n, r, a) => {
          if (a.status === 202) for (const e of (JSON.parse(String(r.body)) as { events: { data: { source_message_id: string } }[] }).events) warmIds.push(e.data.source_message_id);
        },
      });
      const warmDeadline = Date.now() + 180_000;
      while (warmIds.some((id) => !s.seen.has(id)) && Date.now() < warmDeadline) await new Promise((r) => setTimeout(r, 100));
      s.seen.clear();
      s.e2e.length = 0;
      const tallies0 = { ...w.tallies };
      // PROFILE_SKIP_SECONDS: start the profiler (and the CPU window) that far into the load, to see the
      // steady state without the first pass over Durable Objects that hibernated during the warm-up.
      const skip = Number(process.env.PROFILE_SKIP_SECONDS ?? 0);
      let c0 = 0;
      let n0 = 0;
      let t0 = 0;
      const begin = async () => {
        prof = await attached.start();
        log(`profiling ${prof.targets.join(", ")}: ${PIPELINE_SECONDS - skip} s at ${PIPELINE_EPS} events/s, then the drain${Object.keys(prof.failed).length ? `; could not profile ${JSON.stringify(prof.failed)}` : ""}`);
        c0 = sample(w.pid).cpuSec;
        n0 = selfCpuSec();
        t0 = nowMs();
      };
      const started: Promise<void> = skip > 0 ? new Promise((r) => setTimeout(() => void begin().then(r), skip * 1000)) : begin();
      if (skip <= 0) await started;
      const expected = new Set<string>();
      const res = await runLoad({
        url: w.url, connections: CONNECTIONS, seconds: PIPELINE_SECONDS, expect: 202, ratePerSec: PIPELINE_EPS / 10,
        make: (seq) => ({ path: "/v2/events", body: JSON.stringify(batch({ user: seq % USERS, seq, sentAt: nowMs().toFixed(3) })), headers: authH }),
        onAnswer: (seq, _r, a) => {
          if (a.status === 202) for (let i = 0; i < 10; i++) expected.add(`b${seq}-e${i}`);
        },
      });
      await started;
      const cLoad = sample(w.pid).cpuSec;
      const deliveredUnderLoad = s.e2e.length;
      const drainDeadline = Date.now() + 120_000;
      let missing = [...expected].filter((id) => !s.seen.has(id));
      while (missing.length && Date.now() < drainDeadline) {
        await new Promise((r) => setTimeout(r, 250));
        missing = missing.filter((id) => !s.seen.has(id));
      }
      const t1 = nowMs();
      const c1 = sample(w.pid).cpuSec;
      profiles = await prof.stop();
      measured = windowOf(res, cLoad - c0);
      const total = (t1 - t0) / 1000;
      const delivered = expected.size - missing.length;
      const [e50, e95] = percentiles(s.e2e, [50, 95]);
      const tallies = Object.fromEntries(Object.entries(w.tallies).map(([k, v]) => [k, v - (tallies0 as Record<string, number>)[k]!]));
      extra = [
        `pipeline: ${expected.size} events accepted, ${deliveredUnderLoad} delivered during the load, ${delivered} after the drain (${missing.length} missing), load ${res.seconds.toFixed(1)} s + drain ${(total - res.seconds).toFixed(1)} s; e2e p50 ${e50?.toFixed(0)} p95 ${e95?.toFixed(0)} ms`,
        `workerd CPU over load + drain: ${(c1 - c0).toFixed(2)} s = ${(((c1 - c0) * 1e6) / Math.max(1, delivered)).toFixed(1)} µs per delivered event, ${(((c1 - c0) * 1e6) / Math.max(1, res.ok)).toFixed(0)} µs per accepted request (${(((c1 - c0) / total) * 100).toFixed(0)}% of a core on average); Node (load + sink) ${(selfCpuSec() - n0).toFixed(2)} s`,
        `runtime tallies: ${JSON.stringify(tallies)}`,
      ].join("\n");
      measured = { ...measured, cpuSec: c1 - c0, seconds: total };
    }

    out(`# CPU profile: ${scenario} (${startedAt.toISOString()}, src/ as in the working tree at that time)`);
    out();
    if (unprofiled) out(line("unprofiled window", unprofiled));
    out(line(scenario === "pipeline" ? "profiled window (load + drain; req/s over the whole window)" : "profiled window", measured));
    if (extra) out(extra);
    if (unprofiled) out(`profiler overhead: workerd CPU per request ${((((measured.cpuSec / measured.ok) / (unprofiled.cpuSec / unprofiled.ok)) - 1) * 100).toFixed(0)}% higher while profiling`);
    if (Object.keys(prof.failed).length) out(`targets not profiled: ${JSON.stringify(prof.failed)}`);
    out();

    const sums = new Map<string, Summary>();
    for (const [id, p] of profiles) {
      const file = id === "core:user:edge-cdp" ? `/tmp/prof-${scenario}.cpuprofile` : `/tmp/prof-${scenario}-${id.replace(/[^a-z0-9-]+/gi, "_")}.cpuprofile`;
      writeFileSync(file, JSON.stringify(p));
      sums.set(id, summarize(p, { intervalUs: INTERVAL_US, ...(id === "core:user:edge-cdp" && mapper ? { mapper, isBundle: (u: string) => /(^|\/)index\.js$/.test(u) } : {}) }));
    }
    const cpuMs = measured.cpuSec * 1000;
    out("## Sampled JS time per isolate vs workerd CPU (/proc) over the same window");
    out();
    out("isolate                 busy ms   GC ms  (program) ms  gaps ms  busy as share of workerd CPU");
    let busyAll = 0;
    for (const [id, s] of sums) {
      busyAll += s.busyMs;
      out(`${id.padEnd(22)} ${s.busyMs.toFixed(0).padStart(8)}  ${s.gcMs.toFixed(0).padStart(6)}  ${s.programMs.toFixed(0).padStart(12)}  ${s.gapMs.toFixed(0).padStart(7)}  ${((s.busyMs / cpuMs) * 100).toFixed(1)}%`);
    }
    out(`${"all profiled isolates".padEnd(22)} ${busyAll.toFixed(0).padStart(8)}  of ${cpuMs.toFixed(0)} ms workerd CPU (${((busyAll / cpuMs) * 100).toFixed(1)}%); the rest: workerd's C++ outside any sampled JS (HTTP, I/O, SQLite, RPC plumbing), Miniflare's internal workers and the profiler's own thread`);
    out("(busy = samples while the isolate is entered, each counted at most 1.5 × the sampling cadence: wall time, so it includes time the thread was descheduled on this shared machine; gaps = time between samples beyond that, the isolate not entered)");
    out();
    const main = sums.get("core:user:edge-cdp");
    if (main) {
      const perReq = (ms: number) => ((ms * 1000) / Math.max(1, measured.ok)).toFixed(1);
      out(`## edge-cdp isolate (busy ${main.busyMs.toFixed(0)} ms = ${perReq(main.busyMs)} µs per ok request; percentages are of the busy time)`);
      out();
      out("### By package (self / total)");
      out(table(main.byPackage, "self", 20));
      out();
      out("### Top 40 functions by self time");
      out(table(main.byFunction, "self", 40));
      out();
      out("### Top 30 functions by total time");
      out(table(main.byFunction, "total", 30));
      out();
      out("### Top 30 src/ functions by total time");
      out(table(main.byFunction, "total", 30, (r) => / src\//.test(r.key)));
      out();
      out("### Top 25 files by self time");
      out(table(main.byFile, "self", 25));
      out();
      out("### Top 25 files by total time");
      out(table(main.byFile, "total", 25));
      out();
      out("### Hottest src/ lines (self time)");
      out(table(main.byLine, "self", 25));
      out();
    }
    for (const [id, s] of sums) {
      if (id === "core:user:edge-cdp") continue;
      out(`## ${id} (busy ${s.busyMs.toFixed(0)} ms): top 10 by self time`);
      out(table(s.byFunction, "self", 10));
      out();
    }
    writeFileSync(`/tmp/prof-${scenario}.txt`, `${report.join("\n")}\n`);
    log(`wrote /tmp/prof-${scenario}.cpuprofile and /tmp/prof-${scenario}.txt`);
    if (w.problems.length) log(`worker problems (first): ${w.problems.slice(0, 3).join(" | ")}`);
  } finally {
    await w.stop();
    await sink?.close();
  }
}

/** The source map of the running bundle: the script url reported by the inspector, or the bundle directory. */
async function findSourceMap(w: Running) {
  const dir = w.scriptPath ? `${w.scriptPath}.map` : undefined;
  if (dir && existsSync(dir)) {
    log(`source map ${dir}`);
    return loadSourceMap(dir);
  }
  log("no source map found: functions are reported at bundle positions");
  return undefined;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
