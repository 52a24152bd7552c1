/**
 * CSV import bench (issue 24): parse-and-enqueue rows/s and peak isolate memory for one large generated CSV.
 *
 *   npx tsx bench/csv-import.ts      (CSV_ROWS=100000 by default, about 40 s here; CSV_GZIP=1 uploads a .csv.gz)
 *
 * edge-cdp under Miniflare as bench/run.ts starts it (bindings of wrangler.toml, rate limits out of reach), with the
 * `import-ingest` consumer moved to bench/drain-worker.js: the figure is the import step itself (R2 read, inflate,
 * CSV parse, row → batch validation, ingest messages queued, checkpoints), not the pipeline behind it. Memory: the
 * edge-cdp isolate's V8 heap (`Runtime.getHeapUsage` through workerd's inspector, every 50 ms), peak used and total.
 */
import { existsSync, writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { attachProfilers, Cdp, type CpuProfile, listTargets, loadSourceMap, summarize, table } from "./lib/profile";
import { sample } from "./lib/proc";
import { startWorker } from "./lib/workerd";

const ROWS = Number(process.env.CSV_ROWS ?? 100_000);
const GZIP = process.env.CSV_GZIP === "1";
/** CSV_PROFILE=1: V8's sampling profiler in the edge-cdp isolate from the upload's answer to the import's end. */
const PROFILE = process.env.CSV_PROFILE === "1";
const INTERVAL_US = Number(process.env.PROFILE_INTERVAL_US ?? 200);
const log = (s: string) => process.stderr.write(`[csv-bench ${new Date().toISOString().slice(11, 19)}] ${s}\n`);

function generate(rows: number): Buffer {
  const header = "user_identities.customerid,user_identities.email,user_attributes.Member Tier,user_attributes.city,events.data.event_name,events.data.timestamp_unixtime_ms,events.data.custom_attributes.plan,events.data.custom_attributes.note\n";
  const parts: string[] = [header];
  const ts = Date.now() - 10 * 86_400_000;
  for (let i = 0; i < rows; i++) parts.push(`cust-${i % 50_000},u${i % 50_000}@example.com,gold,"Zürich, CH",Viewed Page,${ts + i},premium,"said ""hi"""\n`);
  return Buffer.from(parts.join(""));
}

async function main() {
  const csv = generate(ROWS);
  const body = GZIP ? gzipSync(csv) : csv;
  log(`${ROWS.toLocaleString("en-US")} rows, ${(csv.length / 1e6).toFixed(1)} MB CSV${GZIP ? `, ${(body.length / 1e6).toFixed(1)} MB gzip` : ""}`);
  const w = await startWorker({ worker: "edge-cdp", drainQueues: true, drainOnly: ["import-ingest"], inspectorPort: 0 });
  let peakUsed = 0;
  let peakTotal = 0;
  let sampling = true;
  try {
    const port = Number((await w.mf.getInspectorURL()).port);
    const target = (await listTargets(port)).find((t) => t.title === "core:user:edge-cdp" || t.id === "core:user:edge-cdp");
    if (!target) throw new Error("edge-cdp isolate not found on the inspector");
    const cdp = await Cdp.connect(target.webSocketDebuggerUrl);
    // One inspector session per isolate (workerd answers only the newest): the heap sampler's session profiles too.
    const internal = PROFILE && process.env.CSV_PROFILE_INTERNAL === "1" ? await attachProfilers(port, (await listTargets(port)).map((t) => t.id).filter((id) => id !== target.id), INTERVAL_US) : null;
    if (PROFILE) {
      await cdp.send("Profiler.enable");
      await cdp.send("Profiler.setSamplingInterval", { interval: INTERVAL_US });
    }
    const mapPath = w.scriptPath ? `${w.scriptPath}.map` : "";
    const mapper = PROFILE && existsSync(mapPath) ? loadSourceMap(mapPath) : undefined;
    const sampler = (async () => {
      while (sampling) {
        const h = await cdp.send<{ usedSize: number; totalSize: number }>("Runtime.getHeapUsage");
        peakUsed = Math.max(peakUsed, h.usedSize);
        peakTotal = Math.max(peakTotal, h.totalSize);
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    const base = w.url.replace(/\/$/, "");
    const tokRes = await fetch(`${base}/oauth/token`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ client_id: "demo-client-id", client_secret: "demo-client-secret", audience: "https://api.mparticle.com", grant_type: "client_credentials" }) });
    const { access_token } = (await tokRes.json()) as { access_token: string };
    const auth = { Authorization: `Bearer ${access_token}`, "Content-Type": "application/json" };
    const ws = ((await (await fetch(`${base}/v1/workspaces?accountId=1`, { headers: auth })).json()) as { data: { id: number }[] }).data[0]!;
    const feed = ((await (await fetch(`${base}/v1/workspaces/${ws.id}/partnerfeeds?accountId=1`, { method: "POST", headers: auth, body: JSON.stringify({ name: "bench csv", module: "custom_csv" }) })).json()) as { data: { access_keys: { key: string; secret: string }[] }[] }).data[0]!.access_keys[0]!;
    const basic = `Basic ${Buffer.from(`${feed.key}:${feed.secret}`).toString("base64")}`;
    const heapBefore = peakUsed;
    // The step may run before the upload's answer arrives here (one workerd thread): profile from before the upload.
    if (PROFILE) await cdp.send("Profiler.start");
    const internalRun = await internal?.start();
    const cpu0 = sample(w.pid).cpuSec;
    const t0 = performance.now();
    const up = await fetch(`${base}/v2/imports?filename=bench-custom_event.csv${GZIP ? ".gz" : ""}`, { method: "POST", headers: { Authorization: basic, "Content-Length": String(body.length) }, body });
    if (up.status !== 202) throw new Error(`upload: ${up.status} ${await up.text()}`);
    const { import_id } = (await up.json()) as { import_id: string };
    log(`uploaded in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    let view: Record<string, any>;
    for (;;) {
      view = (await (await fetch(`${base}/v2/imports/${import_id}`, { headers: { Authorization: basic } })).json()) as Record<string, any>;
      if (["completed", "failed", "cancelled"].includes(view.status)) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const cpuSec = sample(w.pid).cpuSec - cpu0;
    const profile = PROFILE ? (await cdp.send<{ profile: CpuProfile }>("Profiler.stop")).profile : null;
    const others = await internalRun?.stop();
    sampling = false;
    await sampler;
    // The heap once the import is done (after an idle second): back near where it started, nothing grew with the file.
    await new Promise((r) => setTimeout(r, 1000));
    const after = await cdp.send<{ usedSize: number }>("Runtime.getHeapUsage");
    cdp.close();
    if (profile) {
      writeFileSync("/tmp/prof-csv-import.cpuprofile", JSON.stringify(profile));
      const sum = summarize(profile, { intervalUs: INTERVAL_US, ...(mapper ? { mapper, isBundle: (u: string) => /(^|\/)index\.js$/.test(u) } : {}) });
      const perRow = (ms: number) => `${((ms * 1000) / ROWS).toFixed(1)} µs/row`;
      console.log(`# edge-cdp isolate: busy ${sum.busyMs.toFixed(0)} ms (${perRow(sum.busyMs)}), GC ${sum.gcMs.toFixed(0)} ms, idle ${sum.idleMs.toFixed(0)} ms, gaps ${sum.gapMs.toFixed(0)} ms (/tmp/prof-csv-import.cpuprofile)`);
      for (const [id, p] of others ?? []) {
        const o = summarize(p, { intervalUs: INTERVAL_US });
        console.log(`# ${id}: busy ${o.busyMs.toFixed(0)} ms (${perRow(o.busyMs)}), GC ${o.gcMs.toFixed(0)} ms\n${table(o.byFunction, "self", 8)}`);
      }
      console.log("## by package\n" + table(sum.byPackage, "self", 12));
      console.log("## by file (self)\n" + table(sum.byFile, "self", 25));
      console.log("## functions by self time\n" + table(sum.byFunction, "self", 40));
      console.log("## src/ functions by total time\n" + table(sum.byFunction, "total", 40, (r) => / src\//.test(r.key)));
    }
    const seconds = (Date.parse(view.finished_at) - Date.parse(view.started_at)) / 1000;
    const result = {
      rows: ROWS,
      csv_mb: +(csv.length / 1e6).toFixed(1),
      format: GZIP ? "csv.gz" : "csv",
      status: view.status,
      rows_accepted: view.rows_accepted,
      rows_rejected: view.rows_rejected,
      parse_and_enqueue_seconds: +seconds.toFixed(2),
      rows_per_second: Math.round(view.rows_read / seconds),
      workerd_cpu_seconds_upload_and_import: +cpuSec.toFixed(2),
      peak_heap_used_mb: +(peakUsed / 1048576).toFixed(1),
      peak_heap_total_mb: +(peakTotal / 1048576).toFixed(1),
      heap_used_before_mb: +(heapBefore / 1048576).toFixed(1),
      heap_used_after_mb: +(after.usedSize / 1048576).toFixed(1),
    };
    console.log(JSON.stringify(result, null, 1));
    if (view.status !== "completed") log(`import ${view.status}: ${JSON.stringify(view.error)}`);
  } finally {
    sampling = false;
    await w.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
