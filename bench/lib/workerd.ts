/**
 * Starts workers under Miniflare's API directly, the approach of test/node/harness.ts (not imported: the
 * bench needs a second worker, a rate-limit override, the workerd pid and a queue-log hook, none of which
 * the test harness exposes; test/node/* is not edited):
 * - bindings from `unstable_getMiniflareWorkerOptions("wrangler.toml")` (D1, DOs, the three queues with
 *   their consumers, the rate limiter, vars),
 * - bundle from `wrangler deploy --dry-run --outdir <tmp>` (the deploy esbuild configuration),
 * - Miniflare loaded from wrangler's own dependency, options converted with `convertV4MiniflareOptions`,
 * - D1 migrations applied statement by statement, demo seed on (DEMO_SEED=true), webhook → a Node sink.
 * Each Miniflare instance spawns one `workerd` child of this process; its pid is found through /proc.
 */
import { appendFileSync, existsSync, readdirSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { bundleWorker, edgeCdpWorkerOptions, loadMiniflare, readMigrationStatements } from "../../test/node/harness";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
/** Bench-only AES-256-GCM key (32 bytes, base64). */
const BENCH_ENCRYPTION_KEY = Buffer.alloc(32, 9).toString("base64");

type MiniflareModule = typeof import("miniflare");
type MiniflareInstance = InstanceType<MiniflareModule["Miniflare"]>;
type V4Options = Parameters<MiniflareModule["convertV4MiniflareOptions"]>[0];

// Loading Miniflare, bundling with `wrangler deploy --dry-run` and reading migrations are shared with the
// Node-side tests (test/node/harness.ts explains the approach).
export { bundleWorker, loadMiniflare };

/** A bench worker (bench/noop-worker.js, bench/probe-worker.ts) bundled with esbuild from node_modules. */
export async function bundleBenchWorker(outdir: string, entry: string): Promise<string> {
  const esbuild = await import("esbuild");
  const outfile = path.join(outdir, "worker.js");
  await esbuild.build({
    entryPoints: [path.join(ROOT, "bench", entry)],
    external: ["cloudflare:*"],
    bundle: true,
    format: "esm",
    platform: "neutral",
    target: "es2022",
    mainFields: ["module", "main"],
    conditions: ["workerd", "worker", "browser"],
    outfile,
    sourcemap: true,
    logLevel: "silent",
  });
  return outfile;
}

/** Pids of `workerd` processes whose parent is this process. */
export function workerdChildren(): number[] {
  const out: number[] = [];
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, "utf8");
      const comm = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid === process.pid && comm.startsWith("workerd")) out.push(Number(d));
    } catch {
      // process went away
    }
  }
  return out;
}

export type QueueFlush = { queue: string; acked: number; total: number; ms: number };

export type Running = {
  url: string;
  pid: number;
  /** Structured log lines of the worker, counted by `msg` (the JSON logs of src/lib/log.ts). */
  logCounts: Map<string, number>;
  /** Recent error/warn lines (bounded). */
  problems: string[];
  /** Queue consumer invocations seen in Miniflare's queue broker log ("QUEUE ingest 100/100 (12ms)"). */
  queueFlushes: QueueFlush[];
  /** Aggregated `accepted`/`ingested` log fields (runtime operation counts). */
  tallies: { acceptedRequests: number; ingestMessages: number; ingestedBatches: number; forwardJobs: number; forwardEvents: number };
  /** With `drainReport`: per drained queue, messages delivered and what the broker still held at the last batch. */
  drained: Map<string, { batches: number; messages: number; backlog: number; backlogBytes: number }>;
  mf: MiniflareInstance;
  /** The bundle served (removed on stop); edge-cdp's has its source map next to it (`.map`). */
  scriptPath?: string;
  stop(): Promise<void>;
};

/** The name of the Worker the load is sent to (the first of a list). */
function measuredName(v4: Record<string, unknown>): string | undefined {
  const first = (Array.isArray(v4.workers) ? (v4.workers as Record<string, unknown>[])[0] : v4)!;
  return typeof first.name === "string" ? first.name : undefined;
}

export type StartOptions = {
  /** "edge-cdp" (the real worker), "noop" (the ceiling) or "probe" (timing breakdown, bench/probe-worker.ts). */
  worker: "edge-cdp" | "noop" | "probe";
  /** How the load reaches the Worker: through Miniflare's entry worker (default) or its own socket (BENCH_ENTRY overrides). */
  entry?: "miniflare" | "direct";
  sinkUrl?: string;
  /** Extra vars. */
  bindings?: Record<string, string>;
  /**
   * Queue consumers go to bench/drain-worker.js (acks everything) instead of edge-cdp: the Events API is
   * measured without the pipeline running in the same process.
   */
  drainQueues?: boolean;
  /**
   * No queue consumer at all (as `../shared/perf/bench.mjs` runs edge-cdp): Miniflare's queue broker then answers each
   * send without reading or keeping the message.
   */
  consumersOff?: boolean;
  /** Only these queues' consumers go to bench/drain-worker.js (the others stay edge-cdp's); with drainQueues. */
  drainOnly?: string[];
  /**
   * The drain worker logs, per batch, the backlog Miniflare's queue broker reports (bench/drain-report-worker.js),
   * read back through `Running.drained`.
   */
  drainReport?: boolean;
  /**
   * maxBatchSize of the drained consumers (Miniflare's broker has one batch in flight per queue and logs each to the
   * Node host, so its batch size bounds how fast it delivers); wrangler.toml's otherwise.
   */
  drainBatchSize?: number;
  /**
   * Opens workerd's own inspector (Chrome DevTools protocol) on this port (0 = any free port; read it back with
   * `mf.getInspectorURL()`): targets are listed at http://127.0.0.1:<port>/json (bench/profile.mts).
   */
  inspectorPort?: number;
  /** More Workers in the same Miniflare (one workerd process), e.g. a rule Worker (bench/lib/rule-bench.ts). */
  extraWorkers?: Record<string, unknown>[];
  /** Service bindings added to edge-cdp (name → Worker name), e.g. RULE_ECHO → rule-echo. */
  serviceBindings?: Record<string, string>;
};

/**
 * Where Miniflare keeps its local storage (Durable Object SQLite files, D1, caches: under the OS temp dir):
 * tmpfs (/dev/shm) unless BENCH_TMPDIR says otherwise. On this VM's disk every Durable Object transaction
 * waits for a virtual-disk fsync before its output gate opens, which made the pipeline's end-to-end latency
 * mostly disk waits (and run-to-run noise); production Durable Object storage is not this machine's disk.
 * `BENCH_TMPDIR=/tmp` measures with the disk.
 */
export const STORAGE_TMPDIR = process.env.BENCH_TMPDIR ?? (existsSync("/dev/shm") ? "/dev/shm" : os.tmpdir());

/** Starts one Miniflare (one workerd process) serving the chosen worker. */
export async function startWorker(opts: StartOptions): Promise<Running> {
  process.env.TMPDIR = STORAGE_TMPDIR;
  const tmp = await mkdtemp(path.join(os.tmpdir(), "edge-cdp-bench-"));
  const before = new Set(workerdChildren());
  const logCounts = new Map<string, number>();
  const problems: string[] = [];
  const queueFlushes: QueueFlush[] = [];
  const drained: Running["drained"] = new Map();
  const tallies = { acceptedRequests: 0, ingestMessages: 0, ingestedBatches: 0, forwardJobs: 0, forwardEvents: 0 };
  let mf: MiniflareInstance | undefined;
  const stop = async () => {
    await mf?.dispose().catch(() => {});
    await rm(tmp, { recursive: true, force: true });
  };
  try {
    const { Miniflare, convertV4MiniflareOptions, Log, LogLevel } = await loadMiniflare();
    // Captures the queue broker's per-invocation line; everything else from Miniflare is dropped.
    class CaptureLog extends Log {
      override log(message: string) {
        // biome-ignore lint: ANSI codes
        const plain = message.replace(/\u001b\[[0-9;]*m/g, "");
        const m = /QUEUE (\S+) (\d+)\/(\d+)(?: \((\d+)ms\))?/.exec(plain);
        if (m) queueFlushes.push({ queue: m[1]!, acked: Number(m[2]), total: Number(m[3]), ms: Number(m[4] ?? 0) });
        else if (/ERR|WARN/.test(plain) && problems.length < 50) problems.push(plain);
      }
    }
    const handleStructuredLogs = ({ level, message }: { level: string; message: string }) => {
      // One JSON object per line (src/lib/log.ts); count by msg, tally the operation fields.
      if (message.startsWith("{")) {
        try {
          const o = JSON.parse(message) as Record<string, unknown>;
          const msg = String(o.msg);
          logCounts.set(msg, (logCounts.get(msg) ?? 0) + 1);
          if (msg === "drained") {
            const d = drained.get(String(o.queue)) ?? { batches: 0, messages: 0, backlog: 0, backlogBytes: 0 };
            drained.set(String(o.queue), { batches: d.batches + 1, messages: d.messages + Number(o.messages), backlog: Number(o.backlog), backlogBytes: Number(o.backlogBytes) });
            return;
          }
          if (msg === "accepted") {
            // One line per input per ingest queue send (src/lib/group-send.ts): `requests` it carried.
            tallies.acceptedRequests += Number(o.requests ?? 1);
            tallies.ingestMessages += Number(o.messages ?? 0);
          } else if (msg === "ingested") {
            // One line per input per ingest invocation (src/pipeline/ingest-consumer.ts logIngested).
            tallies.ingestedBatches += Number(o.batches ?? 0);
            tallies.forwardJobs += Number(o.jobs ?? 0);
            tallies.forwardEvents += Number(o.forwarded_events ?? 0);
          }
          if (o.level === "error" || o.level === "warn") if (problems.length < 50) problems.push(message);
          return;
        } catch {
          // fall through
        }
      }
      // BENCH_RUNTIME_LINES=<file>: workerd's other output lines (V8 traces asked with MINIFLARE_WORKERD_V8_FLAGS) kept.
      if (process.env.BENCH_RUNTIME_LINES) appendFileSync(process.env.BENCH_RUNTIME_LINES, `${message}\n`);
      logCounts.set(`(${level})`, (logCounts.get(`(${level})`) ?? 0) + 1);
      if ((level === "error" || level === "warn") && problems.length < 50) problems.push(message);
    };

    let v4: Record<string, unknown>;
    let scriptPath: string | undefined;
    if (opts.worker === "noop" || opts.worker === "probe") {
      scriptPath = await bundleBenchWorker(path.join(tmp, opts.worker), opts.worker === "noop" ? "noop-worker.js" : "probe-worker.ts");
      v4 = {
        name: opts.worker,
        modules: true,
        modulesRoot: path.dirname(scriptPath),
        scriptPath,
        compatibilityDate: "2026-11-01",
        ...(opts.worker === "probe"
          ? {
              durableObjects: { USER_PROFILE: { className: "UserProfile", useSQLite: true }, IDENTITY_INDEX: { className: "IdentityIndex", useSQLite: true }, PROFILE_DIRECTORY: { className: "ProfileDirectory", useSQLite: true } },
              // AUDIENCE_CHANGES and PROFILE_DIRECTORY: what a profile's audiences module sends to after a batch.
              queueProducers: { Q: { queueName: "probe" }, AUDIENCE_CHANGES: { queueName: "probe-audience-changes" } },
              ratelimits: { RL: { type: "ratelimit", name: "RL", namespace_id: "9001", simple: { limit: 1_000_000_000, period: 10 } } },
            }
          : {}),
      };
    } else {
      [scriptPath] = await Promise.all([bundleWorker(path.join(tmp, "bundle"))]);
      const workerOptions = edgeCdpWorkerOptions(scriptPath);
      const ratelimits = workerOptions.ratelimits as Record<string, { simple: { limit: number; period: number } }> | undefined;
      v4 = {
        ...workerOptions,
        // The per-input limit (2,700 requests / 10 s) would answer 429 after 270 requests/s: the bench
        // measures the code path, so the limiter stays in the path but with a limit it never reaches.
        ratelimits: Object.fromEntries(Object.entries(ratelimits ?? {}).map(([k, v]) => [k, { ...v, simple: { ...v.simple, limit: 1_000_000_000 } }])),
        bindings: {
          ...(workerOptions.bindings as Record<string, unknown> | undefined),
          CONFIG_ENCRYPTION_KEY: BENCH_ENCRYPTION_KEY,
          DEMO_SEED: "true",
          DEMO_WEBHOOK_URL: opts.sinkUrl ?? "",
          PARTNER_API_ORIGIN: "",
          FORWARD_RETRY_BASE_SECONDS: "1",
          ...opts.bindings,
        },
      };
    }
    if (opts.worker === "edge-cdp" && opts.consumersOff) {
      const { queueConsumers: _none, ...edge } = v4;
      v4 = edge;
    }
    if (opts.worker === "edge-cdp" && opts.drainQueues) {
      const { queueConsumers: all, ...edge } = v4;
      const only = opts.drainOnly;
      const consumers = (Array.isArray(all) ? Object.fromEntries(all.map((q: string) => [q, {}])) : (all ?? {})) as Record<string, unknown>;
      const drained = only ? Object.fromEntries(Object.entries(consumers).filter(([q]) => only.includes(q))) : consumers;
      const queueConsumers = opts.drainBatchSize ? Object.fromEntries(Object.entries(drained).map(([q, c]) => [q, { ...(c as object), maxBatchSize: opts.drainBatchSize }])) : drained;
      if (only) (edge as Record<string, unknown>).queueConsumers = Object.fromEntries(Object.entries(consumers).filter(([q]) => !only.includes(q)));
      v4 = {
        workers: [
          edge,
          { name: "drain", modules: true, scriptPath: path.join(ROOT, "bench", opts.drainReport ? "drain-report-worker.js" : "drain-worker.js"), compatibilityDate: "2026-11-01", queueConsumers },
        ],
      };
    }
    if (opts.worker === "edge-cdp" && (opts.serviceBindings || opts.extraWorkers?.length)) {
      const list = Array.isArray(v4.workers) ? (v4.workers as Record<string, unknown>[]) : [v4];
      const edge = list[0]!;
      edge.serviceBindings = { ...(edge.serviceBindings as Record<string, unknown> | undefined), ...opts.serviceBindings };
      v4 = { workers: [...list, ...(opts.extraWorkers ?? [])] };
    }
    const shared = {
      host: "127.0.0.1",
      port: 0,
      cf: false,
      telemetry: { enabled: false },
      log: new CaptureLog(LogLevel.INFO),
      // Miniflare's per-request log line ("POST /v2/events 202 (3ms)") is an HTTP POST from workerd's entry
      // worker to the Node host for every request: local-only work (about 60 µs of JS plus a loopback round trip
      // per request here) that production does not do. Off for every stage, ceiling included.
      logRequests: false,
      handleStructuredLogs,
      ...(opts.inspectorPort !== undefined ? { inspectorPort: opts.inspectorPort } : {}),
    };
    // `entry: "direct"`: the load reaches the measured Worker on its own socket (Miniflare's `unsafeDirectSockets`),
    // not through Miniflare's entry worker, a local-only router (on Cloudflare a request reaches the Worker without
    // it) that costs a JavaScript hop of its own per request on the one workerd thread. BENCH_ENTRY=direct|miniflare
    // sets it for every start.
    const direct = (process.env.BENCH_ENTRY || opts.entry || "miniflare") === "direct";
    if (direct) {
      const first = (Array.isArray(v4.workers) ? (v4.workers as Record<string, unknown>[])[0] : v4)!;
      first.unsafeDirectSockets = [{ host: "127.0.0.1", port: 0 }];
    }
    mf = new Miniflare(convertV4MiniflareOptions({ ...v4, ...shared } as unknown as V4Options));
    const ready = direct ? await mf.unsafeGetDirectURL(measuredName(v4)) : await mf.ready;
    if (opts.worker === "edge-cdp") {
      const db = await mf.getD1Database("DB");
      for (const sql of await readMigrationStatements()) await db.prepare(sql).run();
    }
    const pids = workerdChildren().filter((p) => !before.has(p));
    if (pids.length !== 1) throw new Error(`expected one new workerd child, found ${pids.join(",") || "none"}`);
    return { url: ready.origin, pid: pids[0]!, logCounts, problems, queueFlushes, drained, tallies, mf, scriptPath, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
