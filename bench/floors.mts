/**
 * Where the Events API's CPU goes, as floors: the same load as `npm run bench`'s ingest stage (the bench's 10-event batch,
 * and 20 of them per bulk request; 20 connections; queue consumers → bench/drain-worker.js, which acks everything) against
 * the no-op ceiling (bench/noop-worker.js) and three builds of edge-cdp, each in its own workerd, alternated in rounds:
 *
 * - `as is`: HEAD's source;
 * - `hand-off skipped`: HEAD with the ingest queue send removed from `queueBatches` (parse, validation, service limits,
 *   packing and the message's JSON all still run; nothing is queued, so it is not a valid server): what any durable
 *   hand-off must fit in;
 * - `parse only`: HEAD with the Events API handlers answering 202 right after `JSON.parse` (auth, rate limit, body limit
 *   and routing still run): what validating and packing must fit in.
 *
 * Prints each build's median requests/s and workerd CPU per request (/proc) and its ratio to the ceiling's. The variants
 * are HEAD with a textual patch (`git archive HEAD` into a temp dir, `node_modules` linked, `src/generated` copied from
 * the working tree): the script stops with an
 * error when a patch no longer applies.
 * `FLOORS_CONSUMERS=off` runs edge-cdp without any queue consumer, as `../shared/perf/bench.mjs` does (Miniflare's queue
 * broker then answers each send without reading or keeping the message), instead of the drain worker.
 *   npx tsx bench/floors.mts [events|bulk|both] (FLOORS_ROUNDS=3, FLOORS_SECONDS=8, FLOORS_CONSUMERS=drain|off)
 */
import { execSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { percentiles, runLoad } from "./lib/load";
import { BASIC, batch } from "./lib/payloads";
import { sample } from "./lib/proc";
import { ROOT, type Running, startWorker } from "./lib/workerd";

const which = process.argv[2] ?? "both";
if (!["events", "bulk", "both"].includes(which)) throw new Error("usage: floors.mts [events|bulk|both]");
const ROUNDS = Number(process.env.FLOORS_ROUNDS ?? 3);
const SECONDS = Number(process.env.FLOORS_SECONDS ?? 8);
const CONNECTIONS = 20;
const CONSUMERS_OFF = process.env.FLOORS_CONSUMERS === "off";
const log = (s: string) => process.stderr.write(`[floors ${new Date().toISOString().slice(11, 19)}] ${s}\n`);

type Patch = { file: string; from: string; to: string };
const EVENTS = "src/routes/events.ts";
const VARIANTS: { name: string; patches: Patch[] }[] = [
  { name: "as is", patches: [] },
  {
    name: "hand-off skipped",
    patches: [{ file: EVENTS, from: `await groupSend(shardQueue(env, "INGEST", input.id) as Queue<string>, texts, waitUntil, accepted);`, to: "void [texts, waitUntil, accepted, groupSend, shardQueue];" }],
  },
  {
    name: "parse only",
    patches: [
      {
        file: EVENTS,
        from: "const parsed = parseBatch(parseJson(body.text));\n  if (!parsed.ok) throw new ValidationError(parsed.errors);\n  return accept(c, { batches: [parsed.batch], rejected: [], historical: false, bodyBytes: body.bytes });",
        to: "return c.json({ n: ((parseJson(body.text) as { events?: unknown[] }).events ?? []).length }, 202);",
      },
      {
        file: EVENTS,
        from: "const parsed = parseBatchArray(parseJson(body.text), BULK_MAX_BATCHES);\n  if (!parsed.ok) throw new ValidationError(parsed.errors);\n  return accept(c, { batches: parsed.batches, rejected: [], historical: false, bodyBytes: body.bytes });\n});\n\n//",
        to: "return c.json({ n: (parseJson(body.text) as unknown[]).length }, 202);\n});\n\n//",
      },
    ],
  },
];

/** HEAD's tree with the patches applied, ready to bundle (node_modules linked, generated files copied). */
function tree(patches: Patch[], dirs: string[]): string {
  const dir = mkdtempSync("/tmp/edge-cdp-floors-");
  dirs.push(dir);
  execSync(`git archive HEAD | tar -x -C ${JSON.stringify(dir)}`, { cwd: ROOT });
  symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"));
  cpSync(path.join(ROOT, "src/generated"), path.join(dir, "src/generated"), { recursive: true });
  for (const p of patches) {
    const file = path.join(dir, p.file);
    const text = readFileSync(file, "utf8");
    if (!text.includes(p.from)) throw new Error(`floors: the patch no longer applies to ${p.file}: ${p.from.slice(0, 80)}…`);
    writeFileSync(file, text.replace(p.from, p.to));
  }
  return dir;
}

type Build = { name: string; w: Running; res: Map<string, { rps: number; us: number; p99: number }[]> };
const builds: Build[] = [];
/** Every tree made, removed at the end whatever happened. */
const dirs: string[] = [];
let seq = 0;
const scenarios = [
  { key: "events", path: "/v2/events", body: () => JSON.stringify(batch({ user: seq % 1000, seq: seq++ })) },
  { key: "bulk", path: "/v2/bulkevents", body: () => JSON.stringify(Array.from({ length: 20 }, () => batch({ user: seq % 1000, seq: seq++ }))) },
].filter((s) => which === "both" || which === s.key);

try {
  log("starting the no-op ceiling");
  builds.push({ name: "no-op ceiling", w: await startWorker({ worker: "noop" }), res: new Map() });
  for (const v of VARIANTS) {
    const dir = tree(v.patches, dirs);
    log(`starting edge-cdp, ${v.name} (${dir})`);
    // Each tree's own harness, so each bundle is built from that tree's sources.
    const lib = (await import(path.join(dir, "bench/lib/workerd.ts"))) as typeof import("./lib/workerd");
    // Miniflare names modules relative to the working directory: a script outside it fails to load.
    process.chdir(dir);
    try {
      builds.push({ name: v.name, w: await lib.startWorker({ worker: "edge-cdp", ...(CONSUMERS_OFF ? { consumersOff: true } : { drainQueues: true }) }), res: new Map() });
    } finally {
      process.chdir(ROOT);
    }
  }
  const load = (b: Build, s: (typeof scenarios)[number], seconds: number) =>
    runLoad({ url: b.w.url, connections: CONNECTIONS, seconds, expect: 202, make: () => ({ path: s.path, body: s.body(), headers: { authorization: BASIC } }) });
  for (const s of scenarios) for (const b of builds) await load(b, s, 2);
  for (let r = 0; r < ROUNDS; r++) {
    for (const s of scenarios) {
      for (const b of r % 2 ? [...builds].reverse() : builds) {
        const c0 = sample(b.w.pid).cpuSec;
        const res = await load(b, s, SECONDS);
        const us = ((sample(b.w.pid).cpuSec - c0) * 1e6) / Math.max(1, res.ok);
        const [p99] = percentiles(res.latencies, [99]);
        if (res.ok !== res.requests) throw new Error(`${b.name} ${s.key}: not every answer was 202: ${JSON.stringify(res.statuses)} ${res.firstErrors.join(" | ")}`);
        const row = { rps: res.ok / res.seconds, us, p99: p99! };
        b.res.set(s.key, [...(b.res.get(s.key) ?? []), row]);
        log(`round ${r + 1} ${s.key} ${b.name}: ${row.rps.toFixed(0)} req/s, ${us.toFixed(0)} µs of workerd CPU per request, p99 ${row.p99.toFixed(1)} ms`);
      }
    }
  }
  const med = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)]!;
  const commit = execSync("git rev-parse --short HEAD", { cwd: ROOT }).toString().trim();
  console.log(`\nfloors on ${commit}, ${ROUNDS} alternated rounds of ${SECONDS} s, ${CONNECTIONS} connections, queue consumers ${CONSUMERS_OFF ? "off" : "drained"}, medians\n`);
  for (const s of scenarios) {
    console.log(`| ${s.path} | requests/s | µs of workerd CPU per request | of the ceiling's requests/s |\n|---|---:|---:|---:|`);
    const ceil = med(builds[0]!.res.get(s.key)!.map((x) => x.rps));
    for (const b of builds) {
      const v = b.res.get(s.key)!;
      console.log(`| ${b.name} | ${med(v.map((x) => x.rps)).toFixed(0)} | ${med(v.map((x) => x.us)).toFixed(0)} | ${(med(v.map((x) => x.rps)) / ceil).toFixed(2)} |`);
    }
    console.log("");
  }
} finally {
  for (const b of builds) await b.w.stop().catch((err: unknown) => log(`stopping ${b.name}: ${String(err)}`));
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
}
