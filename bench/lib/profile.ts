/**
 * CPU profiles of workerd isolates through workerd's inspector (Chrome DevTools protocol), and their summary.
 *
 * - Miniflare's `inspectorPort` opens workerd's own inspector: http://127.0.0.1:<port>/json lists one target
 *   per isolate — the user workers (`core:user:<name>`; Durable Objects of a worker run in its isolate) and
 *   Miniflare's internal workers (`core:entry` = the entry router every request passes through,
 *   `queues:queue` = the queue broker object, `ratelimit:ns` = the rate limiter object, `d1:db`, …).
 * - `startProfiling` connects (Node's global WebSocket) to each target and sends Profiler.enable,
 *   Profiler.setSamplingInterval and Profiler.start; `stop()` sends Profiler.stop and returns the profiles.
 * - `summarize` aggregates a .cpuprofile by function, by source file and by package: self time (samples whose
 *   leaf is the function) and total time (samples with the function anywhere on the stack, counted once per
 *   sample however deep the recursion). Positions in the worker bundle are mapped back to the original files
 *   with the bundle's source map (`wrangler deploy --dry-run` writes index.js.map next to index.js).
 */
import { readFileSync } from "node:fs";

export type CallFrame = { functionName: string; scriptId: string; url: string; lineNumber: number; columnNumber: number };
export type ProfileNode = { id: number; callFrame: CallFrame; hitCount?: number; children?: number[]; positionTicks?: { line: number; ticks: number }[] };
export type CpuProfile = { nodes: ProfileNode[]; startTime: number; endTime: number; samples: number[]; timeDeltas: number[] };

export type InspectorTarget = { id: string; title: string; webSocketDebuggerUrl: string };

export async function listTargets(port: number): Promise<InspectorTarget[]> {
  const res = await fetch(`http://127.0.0.1:${port}/json`);
  return (await res.json()) as InspectorTarget[];
}

/** A minimal CDP client over one WebSocket. */
export class Cdp {
  private nextId = 1;
  private pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; method: string }>();
  private listeners = new Map<string, (params: any) => void>();
  private constructor(private ws: WebSocket) {
    ws.addEventListener("message", (ev) => {
      const msg = JSON.parse(String(ev.data)) as { id?: number; method?: string; params?: unknown; result?: unknown; error?: { message: string } };
      if (msg.id === undefined) {
        if (msg.method) this.listeners.get(msg.method)?.(msg.params); // events nobody listens to are ignored
        return;
      }
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      if (msg.error) p.reject(new Error(`${p.method}: ${msg.error.message}`));
      else p.resolve(msg.result);
    });
    ws.addEventListener("close", () => {
      for (const p of this.pending.values()) p.reject(new Error(`${p.method}: inspector connection closed`));
      this.pending.clear();
    });
  }
  static connect(url: string): Promise<Cdp> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      ws.addEventListener("open", () => resolve(new Cdp(ws)), { once: true });
      ws.addEventListener("error", () => reject(new Error(`cannot connect to ${url}`)), { once: true });
    });
  }
  send<T = unknown>(method: string, params: Record<string, unknown> = {}, timeoutMs = 120_000): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${method}: no answer in ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (v) => {
          clearTimeout(timer);
          resolve(v as T);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
        method,
      });
      this.ws.send(JSON.stringify({ id, method, params }));
    });
  }
  /** Calls `fn` with the params of every event `method` (one listener per method; null removes it). */
  on(method: string, fn: ((params: any) => void) | null) {
    if (fn) this.listeners.set(method, fn);
    else this.listeners.delete(method);
  }
  close() {
    this.ws.close();
  }
}

export type Profiling = {
  /** Targets actually profiled (id → title). */
  targets: string[];
  /** Targets that refused to connect or to start the profiler (id → reason). */
  failed: Record<string, string>;
  stop(): Promise<Map<string, CpuProfile>>;
};

/**
 * Starts the sampling profiler in every listed target (ids from /json, e.g. "core:user:edge-cdp").
 * `intervalUs`: sampling interval in microseconds.
 */
export async function startProfiling(port: number, ids: string[], intervalUs: number): Promise<Profiling> {
  return (await attachProfilers(port, ids, intervalUs)).start();
}

/**
 * Connects and sends Profiler.enable + setSamplingInterval now, to start later. Attach before the worker
 * runs its code: V8 records line positions for the profiler only for functions compiled after
 * Profiler.enable (otherwise every sample of a function is reported on its first line).
 */
export async function attachProfilers(port: number, ids: string[], intervalUs: number): Promise<{ targets: string[]; failed: Record<string, string>; start(): Promise<Profiling> }> {
  const all = await listTargets(port);
  const failed: Record<string, string> = {};
  const sessions: { id: string; cdp: Cdp }[] = [];
  for (const id of ids) {
    const t = all.find((x) => x.id === id);
    if (!t) {
      failed[id] = "not listed at /json";
      continue;
    }
    try {
      const cdp = await Cdp.connect(t.webSocketDebuggerUrl);
      await cdp.send("Profiler.enable");
      await cdp.send("Profiler.setSamplingInterval", { interval: intervalUs });
      sessions.push({ id, cdp });
    } catch (err) {
      failed[id] = String(err);
    }
  }
  return {
    targets: sessions.map((s) => s.id),
    failed,
    start: async () => {
      // All profilers back to back so the windows match.
      await Promise.all(sessions.map((s) => s.cdp.send("Profiler.start")));
      return { targets: sessions.map((s) => s.id), failed, stop };
    },
  };
  async function stop() {
    const out = new Map<string, CpuProfile>();
    const results = await Promise.allSettled(sessions.map((s) => s.cdp.send<{ profile: CpuProfile }>("Profiler.stop")));
    results.forEach((r, i) => {
      const s = sessions[i]!;
      if (r.status === "fulfilled") out.set(s.id, r.value.profile);
      else failed[s.id] = String(r.reason);
      s.cdp.close();
    });
    return out;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Source maps (v3, "mappings" only; enough to map a generated line/column to a source file and line).

const B64 = new Map([..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"].map((c, i) => [c, i]));

export type SourceMapper = (line0: number, col0: number) => { source: string; line: number } | undefined;

/** Builds a mapper from a source map file; `sources` are normalized by `normalize`. */
export function loadSourceMap(mapPath: string, normalize: (s: string) => string = normalizeSource): SourceMapper {
  const sm = JSON.parse(readFileSync(mapPath, "utf8")) as { sources: string[]; mappings: string };
  const sources = sm.sources.map(normalize);
  // Per generated line: flat [genCol, srcIdx, origLine, ...] triples, in column order.
  const lines: Int32Array[] = [];
  let src = 0;
  let oLine = 0;
  let oCol = 0;
  let name = 0;
  for (const lineStr of sm.mappings.split(";")) {
    const segs: number[] = [];
    let gCol = 0;
    if (lineStr) {
      for (const seg of lineStr.split(",")) {
        const v: number[] = [];
        let shift = 0;
        let value = 0;
        for (const ch of seg) {
          const d = B64.get(ch)!;
          value += (d & 31) << shift;
          if (d & 32) shift += 5;
          else {
            v.push(value & 1 ? -(value >>> 1) : value >>> 1);
            value = 0;
            shift = 0;
          }
        }
        gCol += v[0]!;
        if (v.length >= 4) {
          src += v[1]!;
          oLine += v[2]!;
          oCol += v[3]!;
          if (v.length >= 5) name += v[4]!;
          segs.push(gCol, src, oLine);
        }
      }
    }
    lines.push(Int32Array.from(segs));
  }
  return (line0, col0) => {
    const segs = lines[line0];
    if (!segs || segs.length === 0) return undefined;
    let best = 0;
    for (let i = 0; i < segs.length; i += 3) {
      if (segs[i]! <= col0) best = i;
      else break;
    }
    return { source: sources[segs[best + 1]!]!, line: segs[best + 2]! + 1 };
  };
}

/** "../../../work/main/src/app.ts" → "src/app.ts"; ".../node_modules/hono/dist/x.js" → "node_modules/hono/dist/x.js". */
export function normalizeSource(s: string): string {
  const nm = s.lastIndexOf("node_modules/");
  if (nm >= 0) return s.slice(nm);
  const m = /(?:^|\/)((?:src|bench|test)\/.*)$/.exec(s);
  return m ? m[1]! : s.replace(/^(\.\.\/)+/, "");
}

/** The package a source belongs to: "edge-cdp" for src/**, the npm package name for node_modules. */
export function packageOf(file: string): string {
  if (file.startsWith("src/")) return "edge-cdp (src/)";
  const m = /^node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file);
  if (m) return m[1]!;
  return file;
}

// ---------------------------------------------------------------------------------------------------------
// Aggregation.

export type Row = { key: string; selfMs: number; totalMs: number; selfPct: number; totalPct: number };
export type Summary = {
  /** Time covered by the samples (each capped), ms. */
  windowMs: number;
  /** Time between samples beyond the cap (isolate not entered), ms. */
  gapMs: number;
  samples: number;
  /** Sampled time not idle: JS, GC, (program) — ms. */
  busyMs: number;
  idleMs: number;
  programMs: number;
  gcMs: number;
  byFunction: Row[];
  byFile: Row[];
  byPackage: Row[];
  /** Self time by source line (positionTicks), src/** only. */
  byLine: Row[];
};

const SPECIAL = new Set(["(root)", "(idle)", "(program)", "(garbage collector)"]);

/**
 * `mapper`: for call frames whose url is the bundle (`isBundle(url)`), the original file and line.
 * Percentages are of the busy time (samples that are not "(idle)").
 */
export function summarize(p: CpuProfile, opts: { intervalUs: number; mapper?: SourceMapper; isBundle?: (url: string) => boolean; capUs?: number }): Summary {
  const byId = new Map<number, ProfileNode>();
  const parent = new Map<number, number>();
  for (const n of p.nodes) {
    byId.set(n.id, n);
    for (const c of n.children ?? []) parent.set(c, n.id);
  }
  const where = (cf: CallFrame): { file: string; line: number } => {
    if (cf.url && opts.mapper && opts.isBundle?.(cf.url)) {
      const m = opts.mapper(cf.lineNumber, cf.columnNumber);
      if (m) return { file: m.source, line: m.line };
    }
    return { file: cf.url || "(native)", line: cf.lineNumber + 1 };
  };
  const fnKey = new Map<number, string>();
  const fileKey = new Map<number, string>();
  for (const n of p.nodes) {
    const cf = n.callFrame;
    if (SPECIAL.has(cf.functionName)) {
      fnKey.set(n.id, cf.functionName);
      fileKey.set(n.id, cf.functionName);
      continue;
    }
    const w = where(cf);
    const name = cf.functionName || "(anonymous)";
    fnKey.set(n.id, cf.url ? `${name}  ${w.file}:${w.line}` : `${name}  (native)`);
    // Native functions (builtins, workerd's C++ API) count in their caller's file, as "native <name>" too.
    fileKey.set(n.id, cf.url ? w.file : `(native)`);
  }
  // Per node: distinct keys along the path to the root (memoized).
  const memo = (keyOf: Map<number, string>) => {
    const cache = new Map<number, string[]>();
    const get = (id: number): string[] => {
      const hit = cache.get(id);
      if (hit) return hit;
      const stack: number[] = [];
      let cur: number | undefined = id;
      while (cur !== undefined && !cache.has(cur)) {
        stack.push(cur);
        cur = parent.get(cur);
      }
      let acc = cur !== undefined ? cache.get(cur)! : [];
      for (let i = stack.length - 1; i >= 0; i--) {
        const nid = stack[i]!;
        const k = keyOf.get(nid)!;
        acc = k === "(root)" || acc.includes(k) ? acc : [...acc, k];
        cache.set(nid, acc);
      }
      return cache.get(id)!;
    };
    return get;
  };
  const fnPath = memo(fnKey);
  const filePath = memo(fileKey);
  const pkgKey = new Map<number, string>();
  for (const [id, f] of fileKey) pkgKey.set(id, SPECIAL.has(f) || f === "(native)" ? f : packageOf(f));
  const pkgPath = memo(pkgKey);

  // Time of sample i = the interval until the next sample (as DevTools does), capped at `capUs`: V8 takes no
  // sample while the isolate is not entered (workerd runs other isolates or waits for I/O), so the gap after
  // the last sample before the isolate is released would otherwise be charged to whatever ran last (the last
  // synchronous call before an await: a queue send, a log line). Default cap: 1.5 × the sampling cadence.
  // The gaps are reported as `gapMs`.
  // The sampling cadence: the median of the deltas shorter than 5 × the requested interval (a mostly idle
  // isolate's median delta is its idle gap, not the cadence).
  const regular = Float64Array.from(p.timeDeltas.slice(1).filter((d) => d < 5 * opts.intervalUs)).sort();
  const capUs = opts.capUs ?? 1.5 * (regular[regular.length >> 1] ?? opts.intervalUs);
  let gapMs = 0;
  const dt = (i: number) => {
    const d = i + 1 < p.timeDeltas.length ? p.timeDeltas[i + 1]! : 0;
    if (d > capUs) gapMs += (d - capUs) / 1000;
    return Math.min(d, capUs) / 1000;
  };
  const fSelf = new Map<string, number>();
  const fTot = new Map<string, number>();
  const flSelf = new Map<string, number>();
  const flTot = new Map<string, number>();
  const pSelf = new Map<string, number>();
  const pTot = new Map<string, number>();
  const add = (m: Map<string, number>, k: string, v: number) => m.set(k, (m.get(k) ?? 0) + v);
  let idleMs = 0;
  let programMs = 0;
  let gcMs = 0;
  let windowMs = 0;
  const nodeSelf = new Map<number, number>();
  for (let i = 0; i < p.samples.length; i++) {
    const id = p.samples[i]!;
    const t = dt(i);
    windowMs += t;
    nodeSelf.set(id, (nodeSelf.get(id) ?? 0) + t);
    const k = fnKey.get(id)!;
    if (k === "(idle)") {
      idleMs += t;
      continue;
    }
    if (k === "(program)") programMs += t;
    if (k === "(garbage collector)") gcMs += t;
    add(fSelf, k, t);
    add(flSelf, fileKey.get(id)!, t);
    add(pSelf, pkgKey.get(id)!, t);
    for (const x of fnPath(id)) add(fTot, x, t);
    for (const x of filePath(id)) add(flTot, x, t);
    for (const x of pkgPath(id)) add(pTot, x, t);
  }
  const busyMs = windowMs - idleMs;
  const rows = (self: Map<string, number>, tot: Map<string, number>): Row[] =>
    [...new Set([...self.keys(), ...tot.keys()])].map((key) => {
      const s = self.get(key) ?? 0;
      const tt = tot.get(key) ?? 0;
      return { key, selfMs: s, totalMs: tt, selfPct: (s / busyMs) * 100, totalPct: (tt / busyMs) * 100 };
    });

  // Line-level self time from positionTicks (ticks ≈ samples; scaled to the node's self time).
  const lineSelf = new Map<string, number>();
  for (const n of p.nodes) {
    const ticks = n.positionTicks;
    const self = nodeSelf.get(n.id) ?? 0;
    if (!ticks?.length || !self || !n.callFrame.url) continue;
    const sum = ticks.reduce((a, b) => a + b.ticks, 0);
    for (const t of ticks) {
      let file = n.callFrame.url;
      let line = t.line;
      if (opts.mapper && opts.isBundle?.(file)) {
        const m = opts.mapper(t.line - 1, 0) ?? opts.mapper(t.line - 1, 1 << 30);
        if (!m) continue;
        file = m.source;
        line = m.line;
      }
      if (!file.startsWith("src/")) continue;
      add(lineSelf, `${file}:${line}  (${n.callFrame.functionName || "(anonymous)"})`, (self * t.ticks) / sum);
    }
  }
  return {
    windowMs,
    gapMs,
    samples: p.samples.length,
    busyMs,
    idleMs,
    programMs,
    gcMs,
    byFunction: rows(fSelf, fTot),
    byFile: rows(flSelf, flTot),
    byPackage: rows(pSelf, pTot),
    byLine: rows(lineSelf, new Map()),
  };
}

/** A fixed-width table of rows sorted by self or total time. */
export function table(rows: Row[], by: "self" | "total", n: number, filter: (r: Row) => boolean = () => true): string {
  const sorted = rows.filter(filter).sort((a, b) => (by === "self" ? b.selfMs - a.selfMs : b.totalMs - a.totalMs)).slice(0, n);
  const out = ["   self ms  self %   total ms total %  function / file"];
  for (const r of sorted) out.push(`${r.selfMs.toFixed(0).padStart(10)} ${r.selfPct.toFixed(1).padStart(6)}% ${r.totalMs.toFixed(0).padStart(10)} ${r.totalPct.toFixed(1).padStart(6)}%  ${r.key}`);
  return out.join("\n");
}
