/**
 * What the idle edge-cdp isolate holds (issue 24: V8's old-generation limit grows with the live heap, so the import's
 * peak heap starts from it). Starts edge-cdp as bench/csv-import.ts does (a CSV feed created), optionally imports a
 * small file so the import's code has run (HEAP_WARM_ROWS, default 20,000; 0: none), collects the garbage, takes a
 * heap snapshot through workerd's inspector and summarises it: self size by node type and by constructor, the largest
 * strings, and the largest retained sizes (dominator tree) with the path that holds them.
 *
 *   npx tsx bench/heap-snapshot.ts                       (about 30 s here)
 *   HEAP_SNAPSHOT_FILE=/tmp/idle.heapsnapshot npx tsx bench/heap-snapshot.ts   (keeps the snapshot for DevTools)
 *   HEAP_SNAPSHOT_IN=/tmp/idle.heapsnapshot npx tsx bench/heap-snapshot.ts     (summarises a kept snapshot)
 */
import { readFileSync, writeFileSync } from "node:fs";
import { generateCsv } from "./lib/csv-file";
import { startImportBench, waitImport } from "./lib/import-bench";

const WARM_ROWS = Number(process.env.HEAP_WARM_ROWS ?? 20_000);
const TOP = Number(process.env.HEAP_TOP ?? 30);

type Snapshot = {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]]; edge_fields: string[]; edge_types: [string[], ...unknown[]] } };
  nodes: number[];
  edges: number[];
  strings: string[];
};

const mb = (n: number) => `${(n / 1048576).toFixed(2).padStart(7)} MB`;

function summarise(s: Snapshot) {
  const nf = s.snapshot.meta.node_fields.length;
  const ef = s.snapshot.meta.edge_fields.length;
  const nodeTypes = s.snapshot.meta.node_types[0];
  const edgeTypes = s.snapshot.meta.edge_types[0];
  const [iType, iName, , iSize, iEdges] = ["type", "name", "id", "self_size", "edge_count"].map((f) => s.snapshot.meta.node_fields.indexOf(f));
  const [eType, eName, eTo] = ["type", "name_or_index", "to_node"].map((f) => s.snapshot.meta.edge_fields.indexOf(f));
  const n = s.nodes.length / nf;
  const type = (i: number) => nodeTypes[s.nodes[i * nf + iType!]!]!;
  const name = (i: number) => s.strings[s.nodes[i * nf + iName!]!]!;
  const size = (i: number) => s.nodes[i * nf + iSize!]!;
  const firstEdge = new Uint32Array(n + 1);
  for (let i = 0; i < n; i++) firstEdge[i + 1] = firstEdge[i]! + s.nodes[i * nf + iEdges!]!;
  const weak = edgeTypes.indexOf("weak");
  const shortcut = edgeTypes.indexOf("shortcut");
  const succ = (i: number, f: (to: number, e: number) => void) => {
    for (let e = firstEdge[i]!; e < firstEdge[i + 1]!; e++) {
      const t = s.edges[e * ef + eType!]!;
      if (t === weak || t === shortcut) continue;
      f(s.edges[e * ef + eTo!]! / nf, e);
    }
  };
  const edgeName = (e: number) => {
    const t = edgeTypes[s.edges[e * ef + eType!]!]!;
    const v = s.edges[e * ef + eName!]!;
    return t === "element" || t === "hidden" ? `[${v}]` : s.strings[v]!;
  };
  let total = 0;
  const byType = new Map<string, number>();
  const byName = new Map<string, [number, number]>();
  for (let i = 0; i < n; i++) {
    total += size(i);
    byType.set(type(i), (byType.get(type(i)) ?? 0) + size(i));
    const k = `${type(i)} ${type(i) === "string" || type(i) === "concatenated string" ? "" : name(i).slice(0, 80)}`;
    const v = byName.get(k) ?? [0, 0];
    v[0] += size(i);
    v[1]++;
    byName.set(k, v);
  }
  console.log(`# ${n} nodes, ${mb(total)} self size in all`);
  console.log("## by node type");
  for (const [k, v] of [...byType].sort((a, b) => b[1] - a[1])) console.log(`${mb(v)}  ${k}`);
  console.log("## by type and name (constructor, code name)");
  for (const [k, [v, c]] of [...byName].sort((a, b) => b[1][0] - a[1][0]).slice(0, TOP)) console.log(`${mb(v)} ${String(c).padStart(7)}×  ${k}`);
  console.log("## largest strings");
  const strs: number[] = [];
  for (let i = 0; i < n; i++) if (type(i) === "string") strs.push(i);
  for (const i of strs.sort((a, b) => size(b) - size(a)).slice(0, 12)) console.log(`${mb(size(i))}  ${JSON.stringify(name(i).slice(0, 100))}`);

  // Dominators (Cooper, Harvey, Kennedy), weak and shortcut edges ignored; root is node 0.
  const order: number[] = [];
  const post = new Int32Array(n).fill(-1);
  const seen = new Uint8Array(n);
  const stack: [number, number[]][] = [];
  const kids = (i: number) => {
    const k: number[] = [];
    succ(i, (t) => k.push(t));
    return k;
  };
  seen[0] = 1;
  stack.push([0, kids(0)]);
  while (stack.length) {
    const top = stack[stack.length - 1]!;
    const next = top[1].pop();
    if (next === undefined) {
      post[top[0]] = order.length;
      order.push(top[0]);
      stack.pop();
    } else if (!seen[next]) {
      seen[next] = 1;
      stack.push([next, kids(next)]);
    }
  }
  const preds: number[][] = Array.from({ length: n }, () => []);
  const via = new Int32Array(n).fill(-1); // an edge into the node from its dominator, when there is one
  for (const i of order) succ(i, (t) => preds[t]!.push(i));
  const idom = new Int32Array(n).fill(-1);
  idom[0] = 0;
  const intersect = (a: number, b: number) => {
    while (a !== b) {
      while (post[a]! < post[b]!) a = idom[a]!;
      while (post[b]! < post[a]!) b = idom[b]!;
    }
    return a;
  };
  for (let changed = true; changed; ) {
    changed = false;
    for (let k = order.length - 2; k >= 0; k--) {
      const i = order[k]!;
      let d = -1;
      for (const p of preds[i]!) if (idom[p] !== -1) d = d === -1 ? p : intersect(p, d);
      if (d !== -1 && idom[i] !== d) {
        idom[i] = d;
        changed = true;
      }
    }
  }
  const retained = new Float64Array(n);
  for (const i of order) retained[i] += size(i); // post order: children before parents
  for (const i of order) if (i !== 0) retained[idom[i]!] += retained[i]!;
  for (let i = 0; i < n; i++)
    if (idom[i]! >= 0 && i !== 0)
      for (let e = firstEdge[idom[i]!]!; e < firstEdge[idom[i]! + 1]!; e++)
        if (s.edges[e * ef + eTo!]! / nf === i) {
          via[i] = e;
          break;
        }
  const label = (i: number) => `${type(i)}:${name(i).slice(0, 50).replace(/\s+/g, " ")}`;
  const path = (i: number) => {
    const parts: string[] = [];
    for (let j = i, hops = 0; j !== 0 && hops < 8; j = idom[j]!, hops++) parts.push(`${via[j]! >= 0 ? `.${edgeName(via[j]!)}` : ""}→${label(j)}`);
    return parts.reverse().join(" ");
  };
  console.log("## largest retained sizes (nodes retaining ≥ 0.2 MB, not the synthetic roots; path from the root by dominators)");
  const big: number[] = [];
  for (let i = 1; i < n; i++) if (retained[i]! >= 200_000 && type(i) !== "synthetic") big.push(i);
  for (const i of big.sort((a, b) => retained[b]! - retained[a]!).slice(0, TOP * 2)) console.log(`${mb(retained[i]!)}  ${path(i)}`);
  // The module scopes (the bundle's top-level variables): what each variable holds on its own (the nodes it dominates).
  const scopes = big.filter((i) => name(i).startsWith("system / Context") && retained[i]! >= 1_000_000);
  for (const c of scopes) {
    console.log(`## ${label(c)} (${mb(retained[c]!)}): its variables by retained size`);
    const vars: [string, number][] = [];
    for (let e = firstEdge[c]!; e < firstEdge[c + 1]!; e++) {
      const t = s.edges[e * ef + eTo!]! / nf;
      if (idom[t] === c) vars.push([`${edgeName(e)} = ${label(t)}`, retained[t]!]);
    }
    for (const [k, v] of vars.sort((a, b) => b[1] - a[1]).slice(0, TOP)) console.log(`${mb(v)}  ${k}`);
  }
}

async function main() {
  if (process.env.HEAP_SNAPSHOT_IN) return summarise(JSON.parse(readFileSync(process.env.HEAP_SNAPSHOT_IN, "utf8")) as Snapshot);
  const b = await startImportBench();
  try {
    if (WARM_ROWS > 0) {
      await b.put("warm-custom_event.csv", Buffer.from(generateCsv(WARM_ROWS)));
      const v = await waitImport(b, await b.startDrop("warm-custom_event.csv"));
      console.log(`# warm import: ${v.status}, ${v.rows_read} rows`);
    }
    await b.collect();
    await b.collect();
    const h = await b.heap();
    console.log(`# heap after two full collections: ${h.usedMb} MB used, ${h.totalMb} MB total`);
    const chunks: string[] = [];
    b.cdp.on("HeapProfiler.addHeapSnapshotChunk", (p: { chunk: string }) => chunks.push(p.chunk));
    await b.cdp.send("HeapProfiler.takeHeapSnapshot", { reportProgress: false }, 120_000);
    b.cdp.on("HeapProfiler.addHeapSnapshotChunk", null);
    const text = chunks.join("");
    if (process.env.HEAP_SNAPSHOT_FILE) writeFileSync(process.env.HEAP_SNAPSHOT_FILE, text);
    summarise(JSON.parse(text) as Snapshot);
  } finally {
    await b.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
