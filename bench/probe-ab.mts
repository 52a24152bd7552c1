/**
 * One probe step (bench/probe-worker.ts) measured in two source trees, alternated: each tree's probe runs in its own
 * workerd, both started once, then `rounds` rounds of `n` calls each, the order swapped every round, so machine noise
 * falls on both alike. Prints the minimum and median workerd CPU per call of each tree (/proc, as profile-do.mts).
 *   git archive <commit> | tar -x -C /tmp/old && ln -s "$PWD/node_modules" /tmp/old/node_modules
 *   npx tsx bench/probe-ab.mts /do-ingest-features 2000 12 /tmp/old
 */
import path from "node:path";
import { ROOT } from "./lib/workerd";

const route = process.argv[2] ?? "/do-ingest-features";
const n = Number(process.argv[3] ?? 2000);
const rounds = Number(process.argv[4] ?? 12);
const other = process.argv[5];
if (!other) throw new Error("usage: probe-ab.mts <route> <calls> <rounds> <other source tree>");

type Tree = { name: string; url: string; pid: number; cpuSec: () => number; stop: () => Promise<void> };
const trees: Tree[] = [];
for (const dir of [path.resolve(other), ROOT]) {
  // Each tree's own bench harness, so each probe is bundled from that tree's sources.
  const { startWorker } = (await import(path.join(dir, "bench/lib/workerd.ts"))) as typeof import("./lib/workerd");
  const { sample } = (await import(path.join(dir, "bench/lib/proc.ts"))) as typeof import("./lib/proc");
  const w = await startWorker({ worker: "probe" });
  trees.push({ name: dir === ROOT ? "this tree" : dir, url: w.url, pid: w.pid, cpuSec: () => sample(w.pid).cpuSec, stop: () => w.stop() });
}
const get = async (url: string) => {
  const r = await fetch(url);
  if (r.status !== 200) throw new Error(`${url}: ${r.status} ${await r.text()}`);
  await r.arrayBuffer();
};
try {
  for (const t of trees) await get(`${t.url}${route}?n=300&k=ab`);
  const perCall = new Map<Tree, number[]>(trees.map((t) => [t, []]));
  for (let r = 0; r < rounds; r++) {
    for (const t of r % 2 ? [...trees].reverse() : trees) {
      const c0 = t.cpuSec();
      await get(`${t.url}${route}?n=${n}&k=ab`);
      perCall.get(t)!.push(((t.cpuSec() - c0) * 1e6) / n);
    }
  }
  for (const [t, v] of perCall) {
    const s = [...v].sort((a, b) => a - b);
    console.log(`${route} ${t.name}: median ${s[Math.floor(s.length / 2)]!.toFixed(0)} µs, min ${s[0]!.toFixed(0)} µs of workerd CPU per call (${rounds} rounds of ${n}: ${v.map((x) => x.toFixed(0)).join(" ")})`);
  }
} finally {
  for (const t of trees) await t.stop();
}
