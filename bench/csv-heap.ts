/**
 * What the CSV import step keeps past young-generation collections (issue 24's peak isolate heap): V8's sampling
 * heap profiler in the edge-cdp isolate over one import, counting only allocations that survived the scavenger (the
 * ones a full collection frees, `includeObjectsCollectedByMajorGC`, plus the ones still alive at the end). Those are
 * what grows the old generation between full collections, so what the peak heap is made of.
 *
 *   CSV_ROWS=300000 npx tsx bench/csv-heap.ts      (the bench/csv-import.ts file and setup; about 30 s here)
 *
 * Prints MB of sampled survivors by source file and by function (edge-cdp's bundle mapped to src/ by its source map).
 */
import { existsSync } from "node:fs";
import { generateCsv } from "./lib/csv-file";
import { startImportBench, waitImport } from "./lib/import-bench";
import { loadSourceMap } from "./lib/profile";

const ROWS = Number(process.env.CSV_ROWS ?? 300_000);
const INTERVAL = Number(process.env.HEAP_SAMPLING_BYTES ?? 8192);

type Node = { callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number }; selfSize: number; id: number; children: Node[] };
type Sampled = { head: Node; samples: { size: number; nodeId: number }[] };

async function main() {
  const csv = Buffer.from(generateCsv(ROWS));
  const b = await startImportBench();
  try {
    const mapPath = b.w.scriptPath ? `${b.w.scriptPath}.map` : "";
    const mapper = existsSync(mapPath) ? loadSourceMap(mapPath) : undefined;
    await b.put("heap-custom_event.csv", csv);
    await b.collect();
    await b.cdp.send("HeapProfiler.enable");
    await b.cdp.send("HeapProfiler.startSampling", { samplingInterval: INTERVAL, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: process.env.HEAP_ALL === "1" });
    b.phase("import");
    const view = await waitImport(b, await b.startDrop("heap-custom_event.csv"));
    const { profile } = await b.cdp.send<{ profile: Sampled }>("HeapProfiler.stopSampling");
    const where = (n: Node) => {
      const cf = n.callFrame;
      const m = mapper && /(^|\/)index\.js$/.test(cf.url) ? mapper(cf.lineNumber, cf.columnNumber) : undefined;
      return { file: m?.source ?? (cf.url || "(native)"), fn: `${cf.functionName || "(anonymous)"} ${m ? `${m.source}:${m.line}` : cf.url}` };
    };
    // Self sizes by the allocating function, and by the innermost src/ frame on the stack (what in our code asked).
    const byFn = new Map<string, number>();
    const bySrc = new Map<string, number>();
    const walk = (n: Node, src: string) => {
      const w = where(n);
      const s = w.file.startsWith("src/") ? w.fn : src;
      if (n.selfSize) {
        byFn.set(w.fn, (byFn.get(w.fn) ?? 0) + n.selfSize);
        bySrc.set(s, (bySrc.get(s) ?? 0) + n.selfSize);
      }
      for (const c of n.children) walk(c, s);
    };
    walk(profile.head, "(no src/ frame)");
    const total = [...byFn.values()].reduce((a, c) => a + c, 0);
    const show = (title: string, m: Map<string, number>) => {
      console.log(`## ${title}`);
      for (const [k, v] of [...m].sort((a, c) => c[1] - a[1]).slice(0, 25)) console.log(`${(v / 1048576).toFixed(1).padStart(8)} MB ${((v / total) * 100).toFixed(1).padStart(5)}%  ${k}`);
    };
    console.log(`# ${view.status}, ${view.rows_read} rows; survivors of scavenges sampled: ${(total / 1048576).toFixed(1)} MB (${((total / ROWS) | 0)} B a row); peak heap used ${b.peaks().import?.usedMb} MB`);
    show("by allocating function", byFn);
    show("by innermost src/ function on the stack", bySrc);
  } finally {
    await b.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
