/**
 * A CPU profile of the edge-cdp isolate during a CSV import, per phase of the import step: each sample goes to the
 * highest-priority phase whose source file is on its stack (the queue send inside a flush is "queue send", the JSON
 * inside PendingRows "ingest messages"), GC and V8's own time apart, the rest "other" (the step's loop, the runtime).
 */
import type { CallFrame, CpuProfile, SourceMapper } from "./profile";

/** Phases, highest priority first, by the source files of their frames (src/ paths as mapped by the source map). */
export const PHASES: [name: string, files: RegExp][] = [
  ["queue send (sendBatch)", /^src\/lib\/queue\.ts$/],
  ["checkpoints, rate limit, progress", /^(src\/durable\/import-job\.ts|cloudflare-internal:ratelimit|cloudflare-internal:d1|src\/db\/|node_modules\/src\/)/],
  ["inflate (fflate)", /^(src\/imports\/inflate\.ts|node_modules\/fflate\/)/],
  ["R2 read (file stream)", /^src\/imports\/source\.ts$/],
  ["CSV records (decode, tokenize, lines, offsets)", /^(src\/imports\/records\.ts|node_modules\/(papaparse|csv-parse)\/|node-internal:internal_buffer)/],
  ["row → batch (mapping, validation)", /^(src\/imports\/(columns|manifest)\.ts|src\/schema\/(?!limits\.ts))/],
  ["ingest messages (limits, JSON)", /^(src\/imports\/rows\.ts|src\/schema\/limits\.ts)/],
];

/** Milliseconds per phase (plus "GC", "V8 (program)", "other"); idle samples left out. */
export function phases(p: CpuProfile, opts: { intervalUs: number; mapper?: SourceMapper; isBundle: (url: string) => boolean }): Map<string, number> {
  const parent = new Map<number, number>();
  const frame = new Map<number, CallFrame>();
  for (const n of p.nodes) {
    frame.set(n.id, n.callFrame);
    for (const c of n.children ?? []) parent.set(c, n.id);
  }
  const file = (cf: CallFrame): string => {
    if (cf.url && opts.mapper && opts.isBundle(cf.url)) return opts.mapper(cf.lineNumber, cf.columnNumber)?.source ?? cf.url;
    return cf.url;
  };
  const memo = new Map<number, string>();
  const phaseOf = (id: number): string => {
    const hit = memo.get(id);
    if (hit) return hit;
    const name = frame.get(id)!.functionName;
    let best = PHASES.length;
    if (name === "(garbage collector)") best = -1;
    else if (name === "(program)") best = -2;
    else if (name === "(idle)") best = -3;
    else
      for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
        const f = file(frame.get(cur)!);
        const i = f ? PHASES.findIndex(([, re]) => re.test(f)) : -1;
        if (i >= 0 && i < best) best = i;
      }
    const out = best === -1 ? "GC" : best === -2 ? "V8 (program)" : best === -3 ? "(idle)" : best === PHASES.length ? "other (step loop, runtime)" : PHASES[best]![0];
    memo.set(id, out);
    return out;
  };
  const cap = (opts.intervalUs * 1.5) / 1000;
  const ms = new Map<string, number>();
  for (let i = 0; i < p.samples.length; i++) {
    const ph = phaseOf(p.samples[i]!);
    if (ph === "(idle)") continue;
    const dt = Math.min((p.timeDeltas[i + 1] ?? opts.intervalUs) / 1000, cap);
    ms.set(ph, (ms.get(ph) ?? 0) + dt);
  }
  return ms;
}

/** The phases as a table: ms, µs per row, share. */
export function phaseTable(ms: Map<string, number>, rows: number): string {
  const total = [...ms.values()].reduce((a, b) => a + b, 0);
  const out = ["    ms   µs/row  share  phase"];
  for (const [name, v] of [...ms].sort((a, b) => b[1] - a[1])) out.push(`${v.toFixed(0).padStart(6)} ${((v * 1000) / rows).toFixed(2).padStart(8)} ${((v / total) * 100).toFixed(1).padStart(5)}%  ${name}`);
  out.push(`${total.toFixed(0).padStart(6)} ${((total * 1000) / rows).toFixed(2).padStart(8)}  100%  busy`);
  return out.join("\n");
}
