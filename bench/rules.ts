/**
 * Rules bench (issue 23; docs/performance.md "Rules"): what an All-Outputs rule on a service binding that returns
 * the batch unchanged adds per batch. One Miniflare (one workerd process) runs bench/rules-probe-worker.ts bound
 * to an echo Worker (RULE_ECHO); Node sends sequential requests, each running the stage over one typical batch
 * (10 events) with the rule and without it, interleaved, and compares wall-clock percentiles. Budget: < 2 ms p95
 * added. Run: `RULES=1 npx tsx bench/rules.ts` (about 15 s; RULES_BATCHES=N per side, `--json` for JSON).
 */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { bundleBenchWorker, loadMiniflare } from "./lib/workerd";

if (process.env.RULES !== "1") {
  console.log("bench/rules.ts: set RULES=1 to run it");
  process.exit(0);
}
const BATCHES = Number(process.env.RULES_BATCHES ?? 2000);
const BUDGET_P95_MS = 2;

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};

const tmp = await mkdtemp(path.join(os.tmpdir(), "edge-cdp-rules-bench-"));
const { Miniflare, convertV4MiniflareOptions } = await loadMiniflare();
const scriptPath = await bundleBenchWorker(tmp, "rules-probe-worker.ts");
type V4Options = Parameters<typeof convertV4MiniflareOptions>[0];
const mf = new Miniflare(convertV4MiniflareOptions({
  cf: false,
  telemetry: { enabled: false },
  logRequests: false,
  workers: [
    { name: "probe", modules: true, modulesRoot: tmp, scriptPath, compatibilityDate: "2026-11-01", serviceBindings: { RULE_ECHO: "rule-echo" } },
    { name: "rule-echo", modules: true, compatibilityDate: "2026-11-01", script: `export default { async fetch(request) { return new Response(request.body, { headers: { "content-type": "application/json" } }); } };` },
  ],
} as unknown as V4Options));
try {
  const run = async (rule: 0 | 1, n = 1) => {
    const t0 = performance.now();
    const res = await mf.dispatchFetch(`http://probe.local/run?rule=${rule}&n=${n}`);
    const body = await res.text();
    if (res.status !== 200 || body !== String(n)) throw new Error(`probe: ${res.status} ${body}`);
    return performance.now() - t0;
  };
  for (let i = 0; i < 300; i++) await run((i % 2) as 0 | 1); // warm-up (JIT, connections)
  const without: number[] = [];
  const withRule: number[] = [];
  for (let i = 0; i < BATCHES; i++) {
    without.push(await run(0));
    withRule.push(await run(1));
  }
  // Many batches in one request: the per-batch cost without the HTTP round trip around each.
  const loop = 500;
  const loopWithout = (await run(0, loop)) / loop;
  const loopWith = (await run(1, loop)) / loop;
  const row = {
    name: "All-Outputs rule on a service binding returning the batch unchanged (one 10-event batch per request)",
    batches: BATCHES,
    without_ms: { p50: pct(without, 50), p95: pct(without, 95) },
    with_ms: { p50: pct(withRule, 50), p95: pct(withRule, 95) },
    added_p50_ms: pct(withRule, 50) - pct(without, 50),
    added_p95_ms: pct(withRule, 95) - pct(without, 95),
    added_mean_in_loop_ms: loopWith - loopWithout,
    budget_p95_ms: BUDGET_P95_MS,
  };
  if (process.argv.includes("--json")) console.log(JSON.stringify(row));
  else {
    const f = (x: number) => x.toFixed(3);
    console.log(row.name);
    console.log(`  without rule: p50 ${f(row.without_ms.p50)} ms, p95 ${f(row.without_ms.p95)} ms per request`);
    console.log(`  with rule:    p50 ${f(row.with_ms.p50)} ms, p95 ${f(row.with_ms.p95)} ms per request`);
    console.log(`  added: p50 ${f(row.added_p50_ms)} ms, p95 ${f(row.added_p95_ms)} ms (budget < ${BUDGET_P95_MS} ms); mean in a 500-batch loop ${f(row.added_mean_in_loop_ms)} ms`);
  }
  if (row.added_p95_ms >= BUDGET_P95_MS) process.exitCode = 1;
} finally {
  await mf.dispose();
  await rm(tmp, { recursive: true, force: true });
}
