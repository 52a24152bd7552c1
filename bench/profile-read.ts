/**
 * Profile API read of a profile at its maximum history (issue 25 "Storage"): one user's object is filled through the
 * Events API with the pipeline bench's batches (10 events with details each) until its history holds 590 events, the
 * most it keeps before a cut (HISTORY_LIMIT + HISTORY_SLACK, src/durable/profile/history.ts), with BENCH_AUDIENCES'
 * 20 active calculated attributes (half windowed) and 20 audiences evaluated on every batch. Then it reads the profile
 * through the Profile API with every field, one request at a time, and reports the latency (request start → end of
 * body, keep-alive, on edge-cdp's own socket), workerd's CPU per read, and the object's SQLite files on disk.
 *
 *   npx tsx bench/profile-read.ts [--batches 59] [--reads 500]      (PROFILE=1: with a CPU profile of the reads)
 */
import { existsSync, writeFileSync } from "node:fs";
import { createBenchAudiences } from "./lib/audiences";
import { percentiles } from "./lib/load";
import { BASIC, batch } from "./lib/payloads";
import { sample } from "./lib/proc";
import { attachProfilers, listTargets, loadSourceMap, summarize, table } from "./lib/profile";
import { startWorker } from "./lib/workerd";

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const BATCHES = arg("batches", 59);
const READS = arg("reads", 500);
const USER = 424242;
/** PROFILE=1: a CPU profile of the edge-cdp isolate over the reads (then the latency includes the profiler's cost). */
const PROFILE = process.env.PROFILE === "1";
const FIELDS = "device_identities,user_identities,user_attributes,audience_memberships,attribution";
const log = (s: string) => process.stderr.write(`[profile-read ${new Date().toISOString().slice(11, 19)}] ${s}\n`);

async function main() {
  const w = await startWorker({ worker: "edge-cdp", entry: "direct", ...(PROFILE ? { inspectorPort: 0 } : {}) });
  try {
    const setup = await createBenchAudiences(w.url);
    const auth = { Authorization: `Bearer ${setup.token}` };
    log(`20 CAs and 20 audiences active; sending ${BATCHES} batches of 10 events for one user`);
    for (let seq = 0; seq < BATCHES; seq++) {
      const r = await fetch(`${w.url}/v2/events`, { method: "POST", headers: { "Content-Type": "application/json", Authorization: BASIC }, body: JSON.stringify(batch({ user: USER, seq })) });
      await r.arrayBuffer();
      if (r.status !== 202) throw new Error(`batch ${seq}: ${r.status}`);
    }
    // The MPID (support search by customer id), then wait until every batch is in: bench_ca_0_count counts the
    // batch's 4 "Add to Wishlist" events (1-hour window).
    let mpid: string | undefined;
    const want = String(4 * BATCHES);
    let attrs: Record<string, unknown> = {};
    for (const t0 = Date.now(); Date.now() - t0 < 120_000; ) {
      if (!mpid) {
        const s = await fetch(`${w.url}/userprofile/v1/search/1/1/1?value=cust-${USER}&type=customerid`, { headers: auth });
        if (s.status === 200) mpid = ((await s.json()) as { users?: { mpid: string }[] }).users?.[0]?.mpid;
        else await s.arrayBuffer();
      }
      if (mpid) {
        const r = await fetch(`${w.url}/userprofile/v1/1/1/1/${mpid}?fields=user_attributes`, { headers: auth });
        attrs = r.status === 200 ? (((await r.json()) as { user_attributes?: Record<string, unknown> }).user_attributes ?? {}) : (await r.arrayBuffer(), {});
        if (attrs.bench_ca_0_count === want) break;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    if (!mpid || attrs.bench_ca_0_count !== want) throw new Error(`profile not complete: mpid ${mpid}, bench_ca_0_count ${String(attrs.bench_ca_0_count)} (want ${want})`);
    const url = `${w.url}/userprofile/v1/1/1/1/${mpid}?fields=${FIELDS}`;
    let body = "";
    for (let i = 0; i < 20; i++) body = await (await fetch(url, { headers: auth })).text(); // warm
    // workerd's CPU while idle (alarms, the queue broker's timers), subtracted from the reads' figure.
    const i0 = sample(w.pid).cpuSec;
    const idleStart = performance.now();
    await new Promise((r) => setTimeout(r, 3000));
    const idlePerMs = (sample(w.pid).cpuSec - i0) / (performance.now() - idleStart);
    let prof: { id: string; stop: () => Promise<Map<string, import("./lib/profile").CpuProfile>> } | undefined;
    if (PROFILE) {
      const port = Number((await w.mf.getInspectorURL()).port);
      const id = (await listTargets(port)).find((t) => t.id === "core:user:edge-cdp")!.id;
      const started = await (await attachProfilers(port, [id], 100)).start();
      prof = { id, stop: () => started.stop() };
    }
    const lat: number[] = [];
    const t0 = performance.now();
    const c0 = sample(w.pid).cpuSec;
    for (let i = 0; i < READS; i++) {
      const t = performance.now();
      const r = await fetch(url, { headers: auth });
      body = await r.text();
      lat.push(performance.now() - t);
      if (r.status !== 200) throw new Error(`read ${i}: ${r.status} ${body.slice(0, 200)}`);
    }
    const cpuUs = ((sample(w.pid).cpuSec - c0 - idlePerMs * (performance.now() - t0)) * 1e6) / READS;
    const parsed = JSON.parse(body) as { user_attributes?: Record<string, unknown>; audience_memberships?: unknown[]; user_identities?: unknown[] };
    const [p50, p95, p99] = percentiles(lat, [50, 95, 99]);
    console.log(`# Profile API read of a profile at its maximum history (${new Date().toISOString()})`);
    console.log(`profile: ${BATCHES * 10} events in its history (${BATCHES} batches), ${Object.keys(parsed.user_attributes ?? {}).length} user attributes (20 calculated), ${(parsed.audience_memberships ?? []).length} audience memberships, ${(parsed.user_identities ?? []).length} identities; answer ${body.length} bytes`);
    console.log(`reads: ${READS} sequential GET ${url.replace(w.url, "").replace(mpid, "{mpid}")} on one keep-alive connection`);
    console.log(`latency: p50 ${p50!.toFixed(2)} ms, p95 ${p95!.toFixed(2)} ms, p99 ${p99!.toFixed(2)} ms, max ${Math.max(...lat).toFixed(2)} ms; workerd CPU ${cpuUs.toFixed(0)} µs per read`);
    console.log(`(workerd CPU while idle: ${(idlePerMs * 1e6).toFixed(0)} µs/s, subtracted; the object's storage at this history is measured by calculated-attributes-profile.test.ts with \`sql.databaseSize\`)`);
    if (prof) {
      const profile = (await prof.stop()).get(prof.id)!;
      writeFileSync("/tmp/prof-read.cpuprofile", JSON.stringify(profile));
      const map = w.scriptPath && existsSync(`${w.scriptPath}.map`) ? loadSourceMap(`${w.scriptPath}.map`) : undefined;
      const sum = summarize(profile, { intervalUs: 100, ...(map ? { mapper: map, isBundle: (u: string) => /index\.js$/.test(u) } : {}) });
      console.log(`profiled reads (PROFILE=1): busy ${((sum.busyMs * 1000) / READS).toFixed(0)} µs per read`);
      console.log(table(sum.byFunction, "self", 30));
      console.log(table(sum.byFunction, "total", 30, (r) => / src\//.test(r.key)));
    }
  } finally {
    await w.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
