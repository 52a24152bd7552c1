/**
 * Rules bench (issue 23; docs/performance.md "Rules"): what an All-Outputs rule on a service binding adds per batch.
 * One Miniflare (one workerd process) runs bench/rules-probe-worker.ts bound to three rule Workers: RULE_ECHO returns
 * the batch unchanged (the issue's figure) from its fetch handler, RULE_ECHO_RPC is the same echo as a
 * WorkerEntrypoint called with Workers RPC (`interface: "rpc"`), RULE_TOUCH changes one user attribute (its answer is
 * parsed and goes through the whole contract check). Node sends sequential requests, each running the stage over one
 * typical batch (10 events) without a rule and with each rule, interleaved, and compares wall-clock percentiles.
 * Budget: < 2 ms p95 added by the echo rule (either interface). Then loops of 500 batches in one request give the mean
 * added per batch (wall and workerd CPU, best of 3; one at a time, then 6 in flight), and loops of bare calls compare
 * the interfaces: fetch of the JSON, Workers RPC with the batch object, Workers RPC with the JSON text.
 * Run: `RULES=1 npx tsx bench/rules.ts` (about 20 s; RULES_BATCHES=N per variant, `--json` for JSON).
 */
import { readdirSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { ECHO_RULE_WORKER, ECHO_RPC_RULE_SCRIPT } from "./lib/rule-bench";
import { bundleBenchWorker, loadMiniflare, workerdChildren } from "./lib/workerd";

if (process.env.RULES !== "1") {
  console.log("bench/rules.ts: set RULES=1 to run it");
  process.exit(0);
}
const BATCHES = Number(process.env.RULES_BATCHES ?? 2000);
const BUDGET_P95_MS = 2;
const LOOP = 500;

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};
/** CPU time of every thread of a process, ms (/proc/<pid>/task/<tid>/schedstat: ns on CPU). */
const cpuMs = (pid: number) =>
  readdirSync(`/proc/${pid}/task`).reduce((sum, tid) => {
    try {
      return sum + Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, "utf8").split(" ")[0]) / 1e6;
    } catch {
      return sum; // the thread ended
    }
  }, 0);

const TOUCH = `export default { async fetch(request) { const b = await request.json(); b.user_attributes = { ...b.user_attributes, touched: "yes" }; return Response.json(b); } };`;
const tmp = await mkdtemp(path.join(os.tmpdir(), "edge-cdp-rules-bench-"));
const { Miniflare, convertV4MiniflareOptions } = await loadMiniflare();
const scriptPath = await bundleBenchWorker(tmp, "rules-probe-worker.ts");
type V4Options = Parameters<typeof convertV4MiniflareOptions>[0];
const mf = new Miniflare(convertV4MiniflareOptions({
  cf: false,
  telemetry: { enabled: false },
  logRequests: false,
  workers: [
    { name: "probe", modules: true, modulesRoot: tmp, scriptPath, compatibilityDate: "2026-11-01", serviceBindings: { RULE_ECHO: "rule-echo", RULE_TOUCH: "rule-touch", RULE_ECHO_RPC: "rule-echo-rpc" } },
    ECHO_RULE_WORKER,
    { name: "rule-touch", modules: true, compatibilityDate: "2026-11-01", script: TOUCH },
    { name: "rule-echo-rpc", modules: true, compatibilityDate: "2026-11-01", script: ECHO_RPC_RULE_SCRIPT },
  ],
} as unknown as V4Options));
try {
  await mf.ready;
  const pid = workerdChildren()[0];
  type Variant = "0" | "echo" | "rpc" | "touch";
  const call = async (p: string, n: number) => {
    const t0 = performance.now();
    const c0 = pid ? cpuMs(pid) : NaN;
    const res = await mf.dispatchFetch(`http://probe.local${p}${p.includes("?") ? "&" : "?"}n=${n}`);
    const body = await res.text();
    if (res.status !== 200 || body !== String(n)) throw new Error(`probe ${p}: ${res.status} ${body} (a failed rule call discards its batch)`);
    return { wall: performance.now() - t0, cpu: (pid ? cpuMs(pid) : NaN) - c0 };
  };
  const run = async (rule: Variant, n = 1) => (await call(`/run?rule=${rule}`, n)).wall;
  const variants: Variant[] = ["0", "echo", "rpc", "touch"];
  for (let i = 0; i < 400; i++) await run(variants[i % variants.length]!); // warm-up (JIT, connections)
  const samples: Record<Variant, number[]> = { "0": [], echo: [], rpc: [], touch: [] };
  for (let i = 0; i < BATCHES; i++) for (const v of variants) samples[v].push(await run(v));
  // Many batches in one request: the per-batch cost without the HTTP round trip around each (best of 3 loops).
  const best = async (p: string) => {
    let wall = Infinity;
    let cpu = Infinity;
    for (let k = 0; k < 3; k++) {
      const r = await call(p, LOOP);
      wall = Math.min(wall, r.wall / LOOP);
      cpu = Math.min(cpu, r.cpu / LOOP);
    }
    return { wall, cpu };
  };
  const loops = {} as Record<Variant, { wall: number; cpu: number }>;
  for (const v of variants) loops[v] = await best(`/run?rule=${v}`);
  // The same with 6 batches in flight, as the All-Outputs stage runs a message's batches.
  const loops6 = {} as Record<Variant, { wall: number; cpu: number }>;
  for (const v of variants) loops6[v] = await best(`/run?rule=${v}&c=6`);
  const transports: Record<string, { wall: number; cpu: number }> = {};
  for (const via of ["fetch", "rpc", "rpc-json"]) await call(`/transport?via=${via}`, 200); // warm-up
  for (const via of ["fetch", "rpc", "rpc-json"]) transports[via] = await best(`/transport?via=${via}`);
  const NAMES = {
    echo: "All-Outputs rule on a service binding returning the batch unchanged, fetch interface (one 10-event batch per request)",
    rpc: 'The same echo rule with interface "rpc" (Workers RPC, transformJson)',
    touch: "All-Outputs rule on a service binding (fetch) changing one user attribute (answer parsed and checked)",
  };
  const rowOf = (v: "echo" | "rpc" | "touch") => ({
    name: NAMES[v],
    batches: BATCHES,
    without_ms: { p50: pct(samples["0"], 50), p95: pct(samples["0"], 95) },
    with_ms: { p50: pct(samples[v], 50), p95: pct(samples[v], 95) },
    added_p50_ms: pct(samples[v], 50) - pct(samples["0"], 50),
    added_p95_ms: pct(samples[v], 95) - pct(samples["0"], 95),
    added_mean_in_loop_ms: loops[v].wall - loops["0"].wall,
    added_cpu_in_loop_ms: loops[v].cpu - loops["0"].cpu,
    added_cpu_6_in_flight_ms: loops6[v].cpu - loops6["0"].cpu,
    ...(v !== "touch" ? { budget_p95_ms: BUDGET_P95_MS } : {}),
  });
  const rows = [rowOf("echo"), rowOf("rpc"), rowOf("touch")];
  if (process.argv.includes("--json")) console.log(JSON.stringify({ rows, transports_ms_per_call: transports }));
  else {
    const f = (x: number) => x.toFixed(3);
    console.log(`no rule: p50 ${f(rows[0]!.without_ms.p50)} ms, p95 ${f(rows[0]!.without_ms.p95)} ms per request`);
    for (const row of rows) {
      console.log(row.name);
      console.log(`  with rule: p50 ${f(row.with_ms.p50)} ms, p95 ${f(row.with_ms.p95)} ms per request`);
      console.log(`  added: p50 ${f(row.added_p50_ms)} ms, p95 ${f(row.added_p95_ms)} ms${row.budget_p95_ms ? ` (budget < ${BUDGET_P95_MS} ms)` : ""}; in a ${LOOP}-batch loop ${f(row.added_mean_in_loop_ms)} ms wall, ${f(row.added_cpu_in_loop_ms)} ms workerd CPU per batch (${f(row.added_cpu_6_in_flight_ms)} ms with 6 in flight)`);
    }
    console.log(`bare call of the batch to an echo Worker (${LOOP}-call loop, best of 3; wall / workerd CPU per call):`);
    for (const [via, t] of Object.entries(transports)) console.log(`  ${via.padEnd(9)} ${f(t.wall)} / ${f(t.cpu)} ms`);
  }
  if (rows.some((r) => r.budget_p95_ms && r.added_p95_ms >= BUDGET_P95_MS)) process.exitCode = 1;
} finally {
  await mf.dispose();
  await rm(tmp, { recursive: true, force: true });
}
