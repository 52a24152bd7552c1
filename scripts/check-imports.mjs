#!/usr/bin/env node
// The house check (npm run typecheck): no runtime import cycle in src/ and no import from a lower layer up to a
// higher one, with the layers of scripts/layers.json (docs/architecture.md#layers). The import graph comes from
// dpdm; with `transform` it drops type-only imports, which are then reported but do not fail the check.
// Usage: node scripts/check-imports.mjs [--root DIR]   (DIR defaults to the repository; tests point it elsewhere)
import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { parseDependencyTree } from "dpdm";

const rootArg = process.argv.indexOf("--root");
const root = rootArg > 0 ? process.argv[rootArg + 1] : join(import.meta.dirname, "..");
const config = JSON.parse(readFileSync(join(root, "scripts/layers.json"), "utf8"));

/** Room of a file: its folder under src/, or its name without .ts for a top-level file. */
const roomOf = (file) => {
  const parts = file.split("/");
  return parts.length === 2 ? parts[1].replace(/\.ts$/, "") : parts[1];
};
const layerOfRoom = new Map();
config.layers.forEach((layer, i) => layer.rooms.forEach((room) => layerOfRoom.set(room, i)));

/** file → [imported src file] for one dpdm pass (test files excluded). */
async function graph(transform) {
  const tree = await parseDependencyTree(["src/**/*.ts"], {
    context: root,
    tsconfig: join(root, "tsconfig.json"),
    transform,
    exclude: /node_modules|\.test\.ts$/,
  });
  const out = new Map();
  for (const [file, deps] of Object.entries(tree)) {
    if (!deps || !file.startsWith("src/") || file.endsWith(".test.ts")) continue;
    out.set(file, [...new Set(deps.filter((d) => d.id?.startsWith("src/")).map((d) => d.id))]);
  }
  return out;
}

/** Strongly connected components with more than one file (or a self-import): each holds at least one cycle. */
function cycles(g) {
  let index = 0;
  const idx = new Map(), low = new Map(), stack = [], onStack = new Set(), found = [];
  const visit = (v) => {
    idx.set(v, index); low.set(v, index); index++; stack.push(v); onStack.add(v);
    for (const w of g.get(v) ?? []) {
      if (!idx.has(w)) { visit(w); low.set(v, Math.min(low.get(v), low.get(w))); }
      else if (onStack.has(w)) low.set(v, Math.min(low.get(v), idx.get(w)));
    }
    if (low.get(v) === idx.get(v)) {
      const scc = [];
      let w;
      do { w = stack.pop(); onStack.delete(w); scc.push(w); } while (w !== v);
      if (scc.length > 1 || (g.get(v) ?? []).includes(v)) found.push(scc.sort());
    }
  };
  for (const v of [...g.keys()].sort()) if (!idx.has(v)) visit(v);
  return found;
}

/** One shortest cycle through the first file of a component, for a readable message. */
function oneCycle(g, scc) {
  const inScc = new Set(scc), start = scc[0], prev = new Map([[start, null]]), queue = [start];
  while (queue.length) {
    const v = queue.shift();
    for (const w of g.get(v) ?? []) {
      if (!inScc.has(w)) continue;
      if (w === start) { const path = [v]; let p = v; while ((p = prev.get(p))) path.unshift(p); return [...path, start]; }
      if (!prev.has(w)) { prev.set(w, v); queue.push(w); }
    }
  }
  return scc;
}

function upward(g) {
  const out = [];
  for (const [file, deps] of g) for (const dep of deps) {
    const from = layerOfRoom.get(roomOf(file)), to = layerOfRoom.get(roomOf(dep));
    if (from !== undefined && to !== undefined && to > from) out.push(`${file} (${config.layers[from].name}) -> ${dep} (${config.layers[to].name})`);
  }
  return out.sort();
}

/** `import { type A, type B } from "x"` keeps `import "x"` at run time under verbatimModuleSyntax: write `import type`. */
function inlineTypeOnlyImports(files) {
  const out = [];
  for (const file of files) {
    const text = readFileSync(join(root, file), "utf8");
    for (const m of text.matchAll(/^import\s*\{([^}]*)\}\s*from\s*["']([^"']+)["']/gm)) {
      const names = m[1].split(",").map((s) => s.trim()).filter(Boolean);
      if (names.length && names.every((n) => n.startsWith("type "))) out.push(`${file}: import { ${names.join(", ")} } from "${m[2]}"`);
    }
  }
  return out;
}

const runtime = await graph(true);
const all = await graph(false);
const problems = [];
const unplaced = [...new Set([...all.keys()].map(roomOf))].filter((r) => !layerOfRoom.has(r));
if (unplaced.length) problems.push(`rooms in no layer of scripts/layers.json: ${unplaced.join(", ")}`);
for (const scc of cycles(runtime)) problems.push(`runtime import cycle (${scc.length} files: ${scc.join(", ")}):\n    ${oneCycle(runtime, scc).join(" -> ")}`);
for (const edge of upward(runtime)) problems.push(`upward import: ${edge}`);
for (const line of inlineTypeOnlyImports([...all.keys()])) problems.push(`inline type-only import (use "import type"): ${line}`);

const runtimeSet = new Set([...runtime].flatMap(([f, ds]) => ds.map((d) => `${f}>${d}`)));
const typeOnly = new Map([...all].map(([f, ds]) => [f, ds.filter((d) => !runtimeSet.has(`${f}>${d}`))]));
const typeCycles = cycles(all).filter((scc) => !cycles(runtime).some((r) => scc.every((f) => r.includes(f))));
const typeUpward = upward(typeOnly);
const rel = relative(process.cwd(), root) || ".";
console.log(`check-imports (${rel}): ${all.size} files, ${[...runtime.values()].reduce((n, d) => n + d.length, 0)} runtime imports, ${[...typeOnly.values()].reduce((n, d) => n + d.length, 0)} type-only imports`);
if (typeCycles.length || typeUpward.length) {
  console.log(`  reported, not enforced (type-only imports are erased at build time):`);
  for (const scc of typeCycles) console.log(`    type-only cycle: ${oneCycle(all, scc).join(" -> ")}`);
  for (const edge of typeUpward) console.log(`    type-only upward import: ${edge}`);
}
if (problems.length) {
  console.error(`check-imports: ${problems.length} problem(s):`);
  for (const p of problems) console.error(`  ${p}`);
  process.exit(1);
}
console.log("check-imports: no runtime import cycle, no upward import");
