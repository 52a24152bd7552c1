/**
 * What the CSV import benches share (bench/csv-import.ts, bench/csv-large.ts, bench/csv-heap.ts): edge-cdp under
 * Miniflare with the `import-ingest` consumer moved to bench/drain-report-worker.js (acks, and logs the backlog
 * Miniflare's queue broker reports; the figure is the import step, not the pipeline behind it; rate limits out of
 * reach as in every bench, bench/lib/workerd.ts), in batches of 100 (wrangler.toml's 10 made the local broker, one
 * batch in flight and a log line posted to Node per batch, the import's bottleneck), a CSV feed, workerd's inspector
 * on the edge-cdp isolate, a heap sampler by phase (HEAP_SERIES=<file> keeps every sample), and the import's view
 * polled to its end.
 */
import { writeFileSync } from "node:fs";
import { Cdp, listTargets } from "./profile";
import { type Running, startWorker } from "./workerd";

export type HeapPeak = { usedMb: number; totalMb: number; samples?: number };
export type ImportView = Record<string, any>;

export type ImportBench = {
  w: Running;
  base: string;
  /** HTTP Basic header of the feed's key and secret. */
  basic: string;
  feedId: number;
  /** One inspector session on the edge-cdp isolate (workerd answers only the newest per isolate). */
  cdp: Cdp;
  /** Peak V8 heap (used, total) of the edge-cdp isolate per phase, sampled every 50 ms from `phase(name)` on. */
  phase(name: string): void;
  peaks(): Record<string, HeapPeak>;
  /** Peak heap used since the last call (MB): shows whether the peak drifts up over a long import or only swings. */
  windowPeak(): number;
  /** The heap now. */
  heap(): Promise<HeapPeak>;
  /**
   * A full garbage collection in the edge-cdp isolate (workerd collects none while idle): a heap snapshot, which
   * V8 starts with one; the snapshot itself is dropped. Between the upload and the import, so the import's peak is
   * its own, not the upload's garbage.
   */
  collect(): Promise<void>;
  /**
   * V8 heap used (MB) of workerd's other isolates (Miniflare's queue broker, R2, D1, the drain worker…), by inspector
   * title, the largest first: memory of workerd that is not edge-cdp's. One session per isolate, opened on first use.
   */
  otherHeaps(): Promise<[string, number][]>;
  /** Puts `body` in the IMPORTS bucket under the feed's drop/ prefix (as a file written to the bucket directly). */
  put(filename: string, body: Uint8Array): Promise<void>;
  /** Starts the import of a file put there (POST /v2/imports/drop, the dev command); its id. */
  startDrop(filename: string): Promise<string>;
  stop(): Promise<void>;
};

const mb = (n: number) => +(n / 1048576).toFixed(1);

export async function startImportBench(): Promise<ImportBench> {
  const w = await startWorker({ worker: "edge-cdp", drainQueues: true, drainOnly: ["import-ingest"], drainReport: true, drainBatchSize: 100, inspectorPort: 0 });
  let sampling = true;
  let current = "setup";
  const peaks: Record<string, { used: number; total: number; samples: number }> = {};
  // HEAP_SERIES=<file>: every sample (ms, phase, used MB, total MB), tab-separated, written at stop.
  const series: string[] | null = process.env.HEAP_SERIES ? [] : null;
  let windowUsed = 0;
  let cdp: Cdp | undefined;
  let sampler: Promise<void> = Promise.resolve();
  try {
    const port = Number((await w.mf.getInspectorURL()).port);
    const target = (await listTargets(port)).find((t) => t.title === "core:user:edge-cdp" || t.id === "core:user:edge-cdp");
    if (!target) throw new Error("edge-cdp isolate not found on the inspector");
    const session = await Cdp.connect(target.webSocketDebuggerUrl);
    cdp = session;
    const heap = async () => {
      const h = await session.send<{ usedSize: number; totalSize: number }>("Runtime.getHeapUsage");
      return { used: h.usedSize, total: h.totalSize };
    };
    sampler = (async () => {
      while (sampling) {
        // The inspector session ends if the isolate does (workerd replaces an isolate over its memory limit): say so
        // and stop sampling; the import's own view still tells how it ended.
        const h = await heap().catch((err: unknown) => {
          process.stderr.write(`[import-bench] heap sampler stopped: ${String(err)}\n`);
          sampling = false;
          return null;
        });
        if (!h) break;
        series?.push(`${Math.round(performance.now())}\t${current}\t${mb(h.used)}\t${mb(h.total)}`);
        const p = (peaks[current] ??= { used: 0, total: 0, samples: 0 });
        p.samples++;
        p.used = Math.max(p.used, h.used);
        p.total = Math.max(p.total, h.total);
        windowUsed = Math.max(windowUsed, h.used);
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    const others = new Map<string, Cdp>();
    const otherHeaps = async (): Promise<[string, number][]> => {
      for (const t of await listTargets(port)) {
        if (t.id === target.id || others.has(t.title || t.id)) continue;
        try {
          others.set(t.title || t.id, await Cdp.connect(t.webSocketDebuggerUrl));
        } catch {
          // an isolate that went away
        }
      }
      const out: [string, number][] = [];
      for (const [title, c] of others) {
        const h = await c.send<{ usedSize: number }>("Runtime.getHeapUsage").catch(() => null);
        if (h) out.push([title.replace(/^core:user:/, ""), mb(h.usedSize)]);
      }
      return out.sort((a, b) => b[1] - a[1]);
    };
    const base = w.url.replace(/\/$/, "");
    const tokRes = await fetch(`${base}/oauth/token`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ client_id: "demo-client-id", client_secret: "demo-client-secret", audience: "https://api.mparticle.com", grant_type: "client_credentials" }) });
    const { access_token } = (await tokRes.json()) as { access_token: string };
    const auth = { Authorization: `Bearer ${access_token}`, "Content-Type": "application/json" };
    const ws = ((await (await fetch(`${base}/v1/workspaces?accountId=1`, { headers: auth })).json()) as { data: { id: number }[] }).data[0]!;
    const created = ((await (await fetch(`${base}/v1/workspaces/${ws.id}/partnerfeeds?accountId=1`, { method: "POST", headers: auth, body: JSON.stringify({ name: "bench csv", module: "custom_csv" }) })).json()) as { data: { id: number; access_keys: { key: string; secret: string }[] }[] }).data[0]!;
    const feed = created.access_keys[0]!;
    const basic = `Basic ${Buffer.from(`${feed.key}:${feed.secret}`).toString("base64")}`;
    return {
      w,
      base,
      basic,
      feedId: created.id,
      cdp: session,
      otherHeaps,
      phase: (name) => void (current = name),
      peaks: () => Object.fromEntries(Object.entries(peaks).map(([k, v]) => [k, { usedMb: mb(v.used), totalMb: mb(v.total), samples: v.samples }])),
      windowPeak: () => {
        const v = mb(windowUsed);
        windowUsed = 0;
        return v;
      },
      heap: async () => {
        const h = await heap();
        return { usedMb: mb(h.used), totalMb: mb(h.total) };
      },
      collect: async () => {
        await session.send("HeapProfiler.takeHeapSnapshot", { reportProgress: false }, 60_000);
      },
      put: async (filename, body) => {
        const bucket = await w.mf.getR2Bucket("IMPORTS");
        await bucket.put(`drop/${created.id}/${filename}`, body);
      },
      startDrop: async (filename) => {
        const r = await fetch(`${base}/v2/imports/drop?filename=${encodeURIComponent(filename)}`, { method: "POST", headers: { Authorization: basic } });
        if (r.status !== 202) throw new Error(`drop: ${r.status} ${await r.text()}`);
        return ((await r.json()) as { import_id: string }).import_id;
      },
      stop: async () => {
        sampling = false;
        await sampler.catch(() => {});
        session.close();
        for (const c of others.values()) c.close();
        if (series) writeFileSync(process.env.HEAP_SERIES!, `${series.join("\n")}\n`);
        await w.stop();
      },
    };
  } catch (err) {
    sampling = false;
    await sampler.catch(() => {});
    cdp?.close();
    await w.stop();
    throw err;
  }
}

/** Polls `GET /v2/imports/{id}` until the import is final; `tick` sees every view. */
export async function waitImport(b: ImportBench, importId: string, tick: (v: ImportView) => void = () => {}, everyMs = 200): Promise<ImportView> {
  for (;;) {
    const view = (await (await fetch(`${b.base}/v2/imports/${importId}`, { headers: { Authorization: b.basic } })).json()) as ImportView;
    tick(view);
    if (["completed", "failed", "cancelled"].includes(view.status)) return view;
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Seconds from the import's start to its end (its own timestamps: the parse steps, continuations included). */
export const importSeconds = (v: ImportView) => (Date.parse(v.finished_at) - Date.parse(v.started_at)) / 1000;
