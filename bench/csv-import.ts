/**
 * CSV import bench (issue 24): parse-and-enqueue rows/s and peak isolate memory for one generated CSV.
 *
 *   npx tsx bench/csv-import.ts      (CSV_ROWS=100000 by default, about 20 s here; CSV_GZIP=1 uploads a .csv.gz)
 *
 * edge-cdp under Miniflare as bench/run.ts starts it (bindings of wrangler.toml, rate limits out of reach, so the
 * import's own IMPORT_RATE_LIMITER of 10,000 rows/s per workspace is lifted), with the `import-ingest` consumer moved
 * to bench/drain-worker.js: the figure is the import step itself (R2 read, inflate, CSV parse, row → batch
 * validation, ingest messages queued, checkpoints), not the pipeline behind it. Memory: the edge-cdp isolate's V8
 * heap (`Runtime.getHeapUsage` through workerd's inspector, every 50 ms), peak used and total.
 * The file is put in the bucket through Miniflare and imported with the drop route (as a file written to the bucket
 * directly), after a full garbage collection: the figures are the import's alone. workerd_cpu_seconds: the whole
 * workerd process (every isolate, C++ included) over the import.
 * CSV_PROFILE=1: V8's sampling profiler in the edge-cdp isolate over the import (per-row costs by
 * function, /tmp/prof-csv-import.cpuprofile); CSV_PROFILE_INTERNAL=1 also profiles Miniflare's own isolates (queue
 * broker, R2, rate limiter: slows everything down, read it for proportions).
 */
import { existsSync, writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { generateCsv } from "./lib/csv-file";
import { importSeconds, startImportBench, waitImport } from "./lib/import-bench";
import { phases, phaseTable } from "./lib/import-phases";
import { attachProfilers, type CpuProfile, listTargets, loadSourceMap, summarize, table } from "./lib/profile";
import { sample } from "./lib/proc";

const ROWS = Number(process.env.CSV_ROWS ?? 100_000);
const GZIP = process.env.CSV_GZIP === "1";
const PROFILE = process.env.CSV_PROFILE === "1";
const INTERVAL_US = Number(process.env.PROFILE_INTERVAL_US ?? 200);
const log = (s: string) => process.stderr.write(`[csv-bench ${new Date().toISOString().slice(11, 19)}] ${s}\n`);

async function main() {
  const csv = Buffer.from(generateCsv(ROWS));
  const body = GZIP ? gzipSync(csv) : csv;
  log(`${ROWS.toLocaleString("en-US")} rows, ${(csv.length / 1e6).toFixed(1)} MB CSV${GZIP ? `, ${(body.length / 1e6).toFixed(1)} MB gzip` : ""}`);
  const b = await startImportBench();
  try {
    const { w, cdp } = b;
    const port = Number((await w.mf.getInspectorURL()).port);
    const internal = PROFILE && process.env.CSV_PROFILE_INTERNAL === "1" ? await attachProfilers(port, (await listTargets(port)).map((t) => t.id).filter((id) => id !== "core:user:edge-cdp"), INTERVAL_US) : null;
    if (PROFILE) {
      await cdp.send("Profiler.enable");
      await cdp.send("Profiler.setSamplingInterval", { interval: INTERVAL_US });
    }
    const mapPath = w.scriptPath ? `${w.scriptPath}.map` : "";
    const mapper = PROFILE && existsSync(mapPath) ? loadSourceMap(mapPath) : undefined;
    // The file is put in the bucket first (as a file written there directly), then a full collection, then the import
    // alone: its rate and its heap are not mixed with the upload's (POST /v2/imports streams to R2 the same way).
    const filename = `bench-custom_event.csv${GZIP ? ".gz" : ""}`;
    const t0 = performance.now();
    await b.put(filename, body);
    log(`put in the bucket in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    await b.collect();
    const before = await b.heap();
    if (PROFILE) await cdp.send("Profiler.start");
    const internalRun = await internal?.start();
    b.phase("import");
    const cpu0 = sample(w.pid).cpuSec;
    const import_id = await b.startDrop(filename);
    const view = await waitImport(b, import_id);
    const cpuSec = sample(w.pid).cpuSec - cpu0;
    b.phase("done");
    const profile = PROFILE ? (await cdp.send<{ profile: CpuProfile }>("Profiler.stop")).profile : null;
    const others = await internalRun?.stop();
    // The heap once the import is done (after an idle second; workerd collects no garbage while idle).
    await new Promise((r) => setTimeout(r, 1000));
    const after = await b.heap();
    if (profile) {
      writeFileSync("/tmp/prof-csv-import.cpuprofile", JSON.stringify(profile));
      const sum = summarize(profile, { intervalUs: INTERVAL_US, ...(mapper ? { mapper, isBundle: (u: string) => /(^|\/)index\.js$/.test(u) } : {}) });
      const perRow = (ms: number) => `${((ms * 1000) / ROWS).toFixed(1)} µs/row`;
      console.log(`# edge-cdp isolate: busy ${sum.busyMs.toFixed(0)} ms (${perRow(sum.busyMs)}), GC ${sum.gcMs.toFixed(0)} ms, idle ${sum.idleMs.toFixed(0)} ms, gaps ${sum.gapMs.toFixed(0)} ms (/tmp/prof-csv-import.cpuprofile)`);
      for (const [id, p] of others ?? []) {
        const o = summarize(p, { intervalUs: INTERVAL_US });
        console.log(`# ${id}: busy ${o.busyMs.toFixed(0)} ms (${perRow(o.busyMs)}), GC ${o.gcMs.toFixed(0)} ms\n${table(o.byFunction, "self", 8)}`);
      }
      console.log(`## per phase (each sample to the highest-priority phase on its stack; bench/lib/import-phases.ts)\n${phaseTable(phases(profile, { intervalUs: INTERVAL_US, mapper, isBundle: (u: string) => /(^|\/)index\.js$/.test(u) }), ROWS)}`);
      console.log(`## by package\n${table(sum.byPackage, "self", 12)}`);
      console.log(`## by file (self)\n${table(sum.byFile, "self", 25)}`);
      console.log(`## functions by self time\n${table(sum.byFunction, "self", 40)}`);
      console.log(`## src/ functions by total time\n${table(sum.byFunction, "total", 40, (r) => / src\//.test(r.key))}`);
    }
    const seconds = importSeconds(view);
    const peak = b.peaks().import!;
    const result = {
      rows: ROWS,
      csv_mb: +(csv.length / 1e6).toFixed(1),
      format: GZIP ? "csv.gz" : "csv",
      status: view.status,
      rows_accepted: view.rows_accepted,
      rows_rejected: view.rows_rejected,
      parse_and_enqueue_seconds: +seconds.toFixed(2),
      rows_per_second: Math.round(view.rows_read / seconds),
      workerd_cpu_seconds: +cpuSec.toFixed(2),
      peak_heap_used_mb: peak.usedMb,
      peak_heap_total_mb: peak.totalMb,
      heap_used_before_mb: before.usedMb,
      heap_used_after_mb: after.usedMb,
    };
    console.log(JSON.stringify(result, null, 1));
    if (view.status !== "completed") log(`import ${view.status}: ${JSON.stringify(view.error)}`);
  } finally {
    await b.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
