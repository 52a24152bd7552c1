/**
 * Applying a compiled field transformation to one source object (a CSV row as `{column: cell}`, an outbound batch,
 * a preview sample): mappings write into a new object, the source is never changed. Pure and synchronous; a
 * template that throws or passes a bound stops the application and says which mapping and why.
 */
import type { CompiledMapping, CompiledTransformation } from "./compile";
import { MAX_NESTING_DEPTH } from "../schema/depth";
import { MemoryBudget, TemplateError } from "./liquid";
import { type Match, own, parsePath, put, select, type Segment, setOwn } from "./paths";

/** Units (written nodes plus string characters) one application may write (ours: ~4× the largest batch). */
export const APPLY_MAX_UNITS = 1_000_000;
/** Distinct rendered destinations remembered per mapping (a template destination is parsed once per string). */
const DEST_CACHE_MAX = 256;

export type ApplyResult = { ok: true; output: Record<string, unknown> } | { ok: false; error: string };

class Budget {
  used = 0;
  /** A copy of `v` charged to the budget (a value nested deeper than a batch may be is refused, never overflows). */
  copy(v: unknown, depth = 1): unknown {
    if (v === null || typeof v !== "object") {
      this.charge(typeof v === "string" ? 1 + v.length : 1);
      return v;
    }
    this.charge(1);
    if (depth > MAX_NESTING_DEPTH) throw new TemplateError(`a value is nested deeper than ${MAX_NESTING_DEPTH} levels`);
    if (Array.isArray(v)) return v.map((e) => this.copy(e, depth + 1));
    const o: Record<string, unknown> = {};
    for (const k of Object.keys(v)) {
      setOwn(o, k, this.copy((v as Record<string, unknown>)[k], depth + 1));
    }
    return o;
  }
  charge(n: number): void {
    this.used += n;
    if (this.used > APPLY_MAX_UNITS) throw new TemplateError(`output limit exceeded (${APPLY_MAX_UNITS} units)`);
  }
}

const destCache = new WeakMap<CompiledMapping, Map<string, Segment[] | string>>();

function destination(m: CompiledMapping, value: unknown, key: string | null, memory: MemoryBudget): Segment[] {
  const d = m.dest!;
  if ("segs" in d) return d.segs;
  const rendered = d.tpl.render({ value, key, key_length: key === null ? null : key.length }, memory);
  const text = typeof rendered === "string" ? rendered : String(rendered ?? "");
  let cache = destCache.get(m);
  if (!cache) destCache.set(m, (cache = new Map()));
  let segs = cache.get(text);
  if (segs === undefined) {
    segs = parsePath(text, { wildcards: true });
    if (cache.size < DEST_CACHE_MAX) cache.set(text, segs);
  }
  if (typeof segs === "string") throw new TemplateError(`the destination rendered to "${text.slice(0, 100)}", which ${segs}`);
  return segs;
}

const isEmpty = (v: unknown) => v === null || v === undefined || v === "" || (Array.isArray(v) ? v.length === 0 : typeof v === "object" && Object.keys(v as object).length === 0);

function matches(m: CompiledMapping, src: Record<string, unknown>, ignored: Set<string> | null): Match[] {
  if (m.simple !== null || own(src, m.source) !== undefined) {
    const v = own(src, m.simple ?? m.source);
    const k = m.simple ?? m.source;
    return v === undefined ? [] : [{ value: v, key: k, idx: [], path: k, root: k }];
  }
  return select(src, m.segs, ignored ? (p) => !ignored.has(p) : () => true);
}

/** The top-level field (column) a match was read from (`events[0].data.x` → `events`; a column named `a.b` → `a.b`). */
const root = (x: Match) => x.root ?? x.path.split(/[.[]/, 1)[0]!;

/** The transformation applied to `src`: a new object, or the error that stopped it. */
export function applyTransformation(ft: CompiledTransformation, src: Record<string, unknown>): ApplyResult {
  const out: Record<string, unknown> = {};
  const budget = new Budget();
  const memory = new MemoryBudget();
  let current: CompiledMapping | null = null;
  try {
    let ignored: Set<string> | null = null;
    const touched = ft.hasUnmapped ? new Set<string>() : null;
    if (ft.ignores.length) {
      ignored = new Set();
      for (const m of ft.ignores) {
        for (const x of matches(m, src, null)) {
          ignored.add(x.path);
          touched?.add(root(x));
        }
        // A named column is ignored whether or not it is present in this row.
        touched?.add(m.source);
      }
    }
    for (const m of ft.writes) {
      current = m;
      if (m.type === "static") {
        put(out, destination(m, m.staticValue, null, memory), budget.copy(m.staticValue), "", []);
        continue;
      }
      let found: Match[];
      if (m.unmapped) {
        found = [];
        for (const k of Object.keys(src)) if (!touched!.has(k) && !ignored?.has(k)) found.push({ value: src[k], key: k, idx: [], path: k });
      } else {
        found = matches(m, src, ignored);
        if (touched) {
          // A named column is read whether or not it is present in this row.
          touched.add(m.source).add(m.segs[0]!.name);
          for (const x of found) touched.add(root(x));
        }
      }
      for (const x of found) {
        if (m.ignoreWhen === "null" ? x.value === null : m.ignoreWhen === "empty" && isEmpty(x.value)) continue;
        const v = m.template ? m.template.render({ value: x.value, key: x.key, key_length: x.key.length }, memory) : x.value;
        put(out, destination(m, x.value, x.key, memory), budget.copy(v), x.key, x.idx);
      }
    }
  } catch (err) {
    if (!(err instanceof TemplateError)) throw err;
    const where = current ? `mapping ${current.index} (${current.type}${current.source ? ` ${current.source}` : ""})` : "an ignore mapping";
    return { ok: false, error: `${where}: ${err.message}` };
  }
  return { ok: true, output: out };
}
