/**
 * Timing breakdown inside workerd with bench/probe-worker.ts: CPU per hot-path step from workerd's
 * /proc CPU counters around one request that runs the step n times (minus an empty request's CPU), and
 * Durable Object round trips by wall clock (n sequential calls in one request).
 */
import { makeAgent, send } from "./load";
import { type Sink, startSink } from "./sink";
import { sample } from "./proc";
import { startWorker } from "./workerd";

export type ProbeRow = { name: string; route: string; perUnit: number; unit: "µs CPU/event" | "µs CPU/call" | "µs CPU/batch" | "ms wall/call"; cpuUsPerCall?: number; n: number };

const STEPS: { route: string; name: string; div: number; unit: ProbeRow["unit"] }[] = [
  { route: "/json-parse", name: "JSON.parse of the typical batch", div: 10, unit: "µs CPU/event" },
  { route: "/validate", name: "validation: JSON.parse + parseBatch + applyServiceLimits", div: 10, unit: "µs CPU/event" },
  { route: "/validate-zod", name: "  zod schema alone: JSON.parse + batchSchema.safeParse (the fallback for batches the fast path is unsure of)", div: 10, unit: "µs CPU/event" },
  { route: "/outbound", name: "outbound building: buildOutbound", div: 10, unit: "µs CPU/event" },
  { route: "/stable-id-range", name: "stableIdRange + 10 ids (one SHA-256 per outbound batch; event k's id = digest + k)", div: 1, unit: "µs CPU/batch" },
  { route: "/stable-id", name: "stableId (one SHA-256; session ids, cached per isolate by session uuid)", div: 1, unit: "µs CPU/call" },
  { route: "/sha256", name: "sha256Hex (src/lib/crypto.ts)", div: 1, unit: "µs CPU/call" },
  { route: "/index-name", name: "identityIndexName, per identity per IdentityIndex call", div: 1, unit: "µs CPU/call" },
  { route: "/verify-secret", name: "verifySecret, per Events/Identity API request", div: 1, unit: "µs CPU/call" },
  { route: "/strategy", name: "strategyFromSettings (zod), per batch and per identify", div: 1, unit: "µs CPU/call" },
  { route: "/pack", name: "packMessages of one batch, sizing path (no body size)", div: 1, unit: "µs CPU/batch" },
  { route: "/pack-fast", name: "packMessages of one batch, route fast path (body size given)", div: 1, unit: "µs CPU/batch" },
  { route: "/json-bytes", name: "jsonBytes of one batch (stringify + encode; as sendAll measures each queued body)", div: 1, unit: "µs CPU/batch" },
];

const DO_STEPS = [
  { route: "/queue-send", name: "Queue.send() of one ingest message as JSON text (Miniflare queue broker)" },
  { route: "/ratelimit", name: "rate limiter binding .limit() (Miniflare)" },
  { route: "/fetch-out", name: "fetch() POST of one batch's JSON to a Node HTTP server (a partner request: the webhook's, one per batch and connection)" },
  { route: "/console-log", name: "console.log of one JSON log line (structured logs → Miniflare)" },
  { route: "/do-lookup", name: "IdentityIndex.lookup() round trip" },
  { route: "/do-summary", name: "UserProfile.summary() round trip" },
  { route: "/do-new-profile", name: "first call on a new UserProfile (instantiate + schema + summary)" },
  { route: "/do-new-index", name: "first call on a new IdentityIndex (instantiate + schema + lookup)" },
  { route: "/do-ingest", name: "UserProfile.ingest() of a typical batch (3 ids, 4 attrs, 10 events)" },
  { route: "/do-ingest-features", name: "UserProfile.ingest() of the pipeline bench's batch with BENCH_AUDIENCES' 20 CAs and 20 audiences" },
];

export async function runProbe(log: (s: string) => void): Promise<ProbeRow[]> {
  const w = await startWorker({ worker: "probe" });
  const agent = makeAgent(1);
  const base = new URL(w.url);
  // The partner of `/fetch-out`: the pipeline's webhook sink (a Node HTTP server).
  let sinkServer: Sink | undefined;
  const get = async (route: string, n: number, k = "1") => {
    const target = route === "/fetch-out" ? `&url=${encodeURIComponent((sinkServer ??= await startSink()).url)}` : "";
    const t0 = performance.now();
    const c0 = sample(w.pid).cpuSec;
    const a = await send(agent, base, { path: `${route}?n=${n}&k=${k}${target}`, body: "", method: "GET" });
    const c1 = sample(w.pid).cpuSec;
    if (a.status !== 200) throw new Error(`probe ${route}: ${a.status} ${a.body.slice(0, 300)}`);
    return { wallMs: performance.now() - t0, cpuSec: c1 - c0 };
  };
  const rows: ProbeRow[] = [];
  try {
    for (let i = 0; i < 20; i++) await get("/empty", 1);
    let empty = 0;
    for (let i = 0; i < 20; i++) empty += (await get("/empty", 1)).cpuSec;
    empty /= 20;
    // PROBE_ONLY=/do-ingest,/do-ingest-features: only those steps (a quick A/B of one path).
    const only = process.env.PROBE_ONLY ? new Set(process.env.PROBE_ONLY.split(",")) : null;
    for (const s of STEPS) {
      if (only && !only.has(s.route)) continue;
      await get(s.route, 50); // warm (JIT)
      const probe = await get(s.route, 200);
      const n = Math.max(200, Math.min(500_000, Math.round((200 * 800) / Math.max(1, probe.wallMs))));
      const r = await get(s.route, n);
      rows.push({ name: s.name, route: s.route, perUnit: ((r.cpuSec - empty) * 1e6) / (n * s.div), unit: s.unit, n });
    }
    for (const s of DO_STEPS) {
      if (only && !only.has(s.route)) continue;
      // Prepare the object (first call creates its schema), then time sequential calls.
      const fresh = s.route.startsWith("/do-new");
      await get(s.route, 5, fresh ? "warm" : "probe");
      const n = s.route.startsWith("/do-ingest") ? Number(process.env.PROBE_N ?? 200) : fresh ? 200 : s.route === "/console-log" ? 2000 : 500;
      const r = await get(s.route, n, fresh ? "measured" : "probe");
      rows.push({ name: s.name, route: s.route, perUnit: r.wallMs / n, unit: "ms wall/call", cpuUsPerCall: ((r.cpuSec - empty) * 1e6) / n, n });
    }
    for (const r of rows) log(`probe ${r.name}: ${r.perUnit.toFixed(2)} ${r.unit}${r.cpuUsPerCall !== undefined ? ` (${r.cpuUsPerCall.toFixed(0)} µs CPU/call)` : ""}`);
  } finally {
    agent.destroy();
    await w.stop();
    await sinkServer?.close();
  }
  return rows;
}
