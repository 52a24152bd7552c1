/**
 * CPU profile of one probe step inside workerd (bench/probe-worker.ts), e.g. the profile object's ingest with
 * the pipeline bench's 20 CAs and 20 audiences: `npx tsx bench/profile-do.mts /do-ingest-features [n]`.
 * Prints workerd's CPU per call (/proc) and the top functions; writes /tmp/prof-do.cpuprofile.
 */
import { writeFileSync } from "node:fs";
import { startWorker } from "./lib/workerd";
import { sample } from "./lib/proc";
import { attachProfilers, listTargets, loadSourceMap, summarize, table } from "./lib/profile";
import { existsSync } from "node:fs";

const route = process.argv[2] ?? "/do-ingest-features";
const n = Number(process.argv[3] ?? 2000);
const INTERVAL_US = 100;
const w = await startWorker({ worker: "probe", inspectorPort: 0 });
try {
  const port = Number((await w.mf.getInspectorURL()).port);
  const get = async (path: string) => {
    const r = await fetch(`${w.url}${path}`);
    if (r.status !== 200) throw new Error(`${path}: ${r.status} ${await r.text()}`);
  };
  await get(`${route}?n=50&k=profile`);
  const c0 = sample(w.pid).cpuSec;
  await get(`${route}?n=${n}&k=profile`);
  const plain = ((sample(w.pid).cpuSec - c0) * 1e6) / n;
  console.log(`${route}: ${plain.toFixed(0)} µs of workerd CPU per call (no profiler, ${n} calls)`);
  if (port) {
    const targets = await listTargets(port);
    const id = targets.find((t) => t.id.includes("probe"))?.id ?? targets[0]!.id;
    const att = await attachProfilers(port, [id], INTERVAL_US);
    const prof = await att.start();
    await get(`${route}?n=${n}&k=profile`);
    const profile = (await prof.stop()).get(id)!;
    writeFileSync("/tmp/prof-do.cpuprofile", JSON.stringify(profile));
    const map = w.scriptPath && existsSync(`${w.scriptPath}.map`) ? loadSourceMap(`${w.scriptPath}.map`) : undefined;
    const s = summarize(profile, { intervalUs: INTERVAL_US, ...(map ? { mapper: map, isBundle: (u: string) => /worker\.js$/.test(u) } : {}) });
    console.log(`busy ${s.busyMs.toFixed(0)} ms = ${((s.busyMs * 1000) / n).toFixed(0)} µs per call (with profiler)`);
    console.log(table(s.byFunction, "self", 35));
    console.log(table(s.byFunction, "total", 40, (r) => / (src|bench)\//.test(r.key)));
  } else console.log("no inspector port");
} finally {
  await w.stop();
}
