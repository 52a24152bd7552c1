/**
 * Runs the worker for Node-side tests: Miniflare's API directly (not `wrangler dev`), with a real Node HTTP
 * server as the demo webhook sink.
 *
 * Approach, and why:
 * - Bindings come from wrangler itself, `unstable_getMiniflareWorkerOptions("wrangler.toml")`, so D1, the
 *   Durable Objects, the three queues with their consumers, the rate limiter and the vars stay exactly what
 *   wrangler.toml declares; nothing is duplicated here.
 * - That function returns worker options *without* a script, and Miniflare needs JavaScript, not
 *   TypeScript. The bundle is built by `wrangler deploy --dry-run --outdir <tmp>`: the same esbuild
 *   configuration as a real deploy (works offline, about 2 s), written to a temporary directory.
 * - Miniflare is loaded from wrangler's own dependency (node_modules/wrangler/node_modules/miniflare), not
 *   the top-level `miniflare` (an older copy pulled in by @cloudflare/vitest-plugin), so the options
 *   format, the converter and workerd match the wrangler that produced them. Miniflare 5 takes its own
 *   option shape; `convertV4MiniflareOptions` turns the v4-style options wrangler returns into it, as
 *   wrangler does internally.
 * - `unstable_startWorker` was not used: it adds wrangler's proxy worker, file watching and dev-server
 *   machinery between the SDK and the worker; plain Miniflare is smaller and closer to "the worker
 *   answering HTTP".
 * - No `resourcePersistencePath`: Miniflare keeps D1/DO/queue state in its own temporary directory and
 *   removes it on dispose, so nothing is written into the repository; `cf: false` avoids the network fetch
 *   (and the cache file) for `Request.cf`.
 */
import { spawn } from "node:child_process";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import http from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { unstable_getMiniflareWorkerOptions } from "wrangler";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const WRANGLER_CONFIG = path.join(ROOT, "wrangler.toml");
const MIGRATIONS_DIR = path.join(ROOT, "migrations");
/** Test-only AES-256-GCM key (32 bytes, base64); never used outside tests. */
const TEST_ENCRYPTION_KEY = Buffer.alloc(32, 7).toString("base64");

type MiniflareModule = typeof import("miniflare");
type MiniflareInstance = InstanceType<MiniflareModule["Miniflare"]>;
type V4Options = Parameters<MiniflareModule["convertV4MiniflareOptions"]>[0];

export type SinkRequest = { method: string; path: string; headers: http.IncomingHttpHeaders; body: string };

export type Harness = {
  /** Origin of the worker, without a trailing slash, e.g. http://127.0.0.1:41234. */
  url: string;
  sink: {
    /** Parsed JSON bodies the webhook sink received, in arrival order. */
    received: unknown[];
    /** Every request the sink received (raw). */
    requests: SinkRequest[];
    url: string;
  };
  /** Worker console output (structured logs), newest last. */
  logs: string[];
  stop(): Promise<void>;
};

export type HarnessOptions = {
  /** Extra or overriding bindings (vars) for the worker. */
  bindings?: Record<string, string>;
  /** Echo the worker's logs to stderr as they arrive (also on with EDGE_CDP_HARNESS_LOGS=1). */
  echoLogs?: boolean;
  /**
   * Serve the worker over TLS (`https://127.0.0.1:<port>`) with Miniflare's built-in self-signed certificate
   * for localhost/127.0.0.1 (clients must skip verification, e.g. Chromium's --ignore-certificate-errors).
   */
  https?: boolean;
};

/** Loads the miniflare that wrangler itself depends on (see the header comment). */
export async function loadMiniflare(): Promise<MiniflareModule> {
  const requireFromWrangler = createRequire(createRequire(import.meta.url).resolve("wrangler/package.json"));
  return (await import(pathToFileURL(requireFromWrangler.resolve("miniflare")).href)) as MiniflareModule;
}

/** Bundles the worker with `wrangler deploy --dry-run`; returns the entry module's path. */
export async function bundleWorker(outdir: string): Promise<string> {
  const wranglerBin = path.join(ROOT, "node_modules", "wrangler", "bin", "wrangler.js");
  const args = [wranglerBin, "deploy", "--dry-run", "--outdir", outdir, "--config", WRANGLER_CONFIG];
  const output: string[] = [];
  const code = await new Promise<number | null>((resolve, reject) => {
    // process.execPath: the Node running vitest (the Node 22 devDependency when started through npx/npm).
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "1", NO_COLOR: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout.on("data", (d: Buffer) => output.push(d.toString()));
    child.stderr.on("data", (d: Buffer) => output.push(d.toString()));
    child.on("error", reject);
    child.on("exit", resolve);
  });
  if (code !== 0) throw new Error(`wrangler deploy --dry-run failed (exit ${code}):\n${output.join("")}`);
  const entry = path.join(outdir, "index.js");
  const files = await readdir(outdir);
  if (!files.includes("index.js")) throw new Error(`bundle has no index.js (got ${files.join(", ")}):\n${output.join("")}`);
  return entry;
}

/**
 * The worker options wrangler derives from wrangler.toml (bindings, Durable Objects, queues, rate limits),
 * pointed at a bundle from `bundleWorker`. Shared with the benchmark (bench/lib/workerd.ts).
 */
export function edgeCdpWorkerOptions(scriptPath: string): Record<string, unknown> {
  const { workerOptions } = unstable_getMiniflareWorkerOptions(WRANGLER_CONFIG);
  return {
    ...workerOptions,
    name: "edge-cdp",
    rootPath: ROOT,
    // The bundle is one self-contained ES module; wrangler's module rules only matter for unbundled
    // sources, and Miniflare 5's v4 converter rejects them.
    modulesRules: undefined,
    modules: true,
    modulesRoot: path.dirname(scriptPath),
    scriptPath,
  };
}

/** The SQL statements of migrations/*.sql, in file order (drizzle's `--> statement-breakpoint` separators). */
export async function readMigrationStatements(): Promise<string[]> {
  const files = (await readdir(MIGRATIONS_DIR)).filter((f) => f.endsWith(".sql")).sort();
  const statements: string[] = [];
  for (const f of files) {
    const sql = await readFile(path.join(MIGRATIONS_DIR, f), "utf8");
    for (const s of sql.split("--> statement-breakpoint")) if (s.trim()) statements.push(s.trim());
  }
  return statements;
}

/** A webhook receiver on 127.0.0.1 (ephemeral port) that records every request and answers 200. */
async function startSink() {
  const received: unknown[] = [];
  const requests: SinkRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      requests.push({ method: req.method ?? "", path: req.url ?? "", headers: req.headers, body });
      try {
        received.push(JSON.parse(body));
      } catch {
        // Not JSON: kept in `requests` only.
      }
      res.writeHead(200, { "content-type": "text/plain" }).end("ok");
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    received,
    requests,
    url: `http://127.0.0.1:${port}/edge-cdp-webhook`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Starts the sink and the worker (demo seed on, webhook → sink); migrations applied before it is returned. */
export async function startHarness(opts: HarnessOptions = {}): Promise<Harness> {
  const echo = opts.echoLogs ?? process.env.EDGE_CDP_HARNESS_LOGS === "1";
  const logs: string[] = [];
  const tmp = await mkdtemp(path.join(os.tmpdir(), "edge-cdp-node-test-"));
  const sink = await startSink();
  let mf: MiniflareInstance | undefined;
  const stop = async () => {
    await mf?.dispose().catch(() => {});
    await sink.close();
    await rm(tmp, { recursive: true, force: true });
  };
  try {
    const [{ Miniflare, convertV4MiniflareOptions }, scriptPath, statements] = await Promise.all([
      loadMiniflare(),
      bundleWorker(path.join(tmp, "bundle")),
      readMigrationStatements(),
    ]);
    const worker = edgeCdpWorkerOptions(scriptPath);
    const v4 = {
      ...worker,
      bindings: {
        ...(worker.bindings as Record<string, unknown> | undefined),
        CONFIG_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
        DEMO_SEED: "true",
        DEMO_WEBHOOK_URL: sink.url,
        FORWARD_RETRY_BASE_SECONDS: "1",
        // A developer's .dev.vars (read by wrangler above) must not redirect the webhook elsewhere.
        PARTNER_API_ORIGIN: "",
        ...opts.bindings,
      },
      host: "127.0.0.1",
      port: 0,
      ...(opts.https ? { https: true } : {}),
      cf: false,
      telemetry: { enabled: false },
      handleStructuredLogs: ({ level, message }: { level: string; message: string }) => {
        const line = `[${level}] ${message}`;
        logs.push(line);
        if (echo) process.stderr.write(`${line}\n`);
      },
    } as unknown as V4Options;
    mf = new Miniflare(convertV4MiniflareOptions(v4));
    const ready = await mf.ready;

    const db = await mf.getD1Database("DB");
    for (const sql of statements) await db.prepare(sql).run();

    return { url: ready.origin, sink: { received: sink.received, requests: sink.requests, url: sink.url }, logs, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
