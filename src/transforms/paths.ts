/**
 * The simplified path syntax of field transformations (transforms-rules.md §1.2–1.3). Sources: a column name, or
 * `a.b` (nested), `a[].b` (each element of array `a`), with `*` wildcards inside a segment. Destinations: `a`,
 * `a.b`, `a[].b` (objects inside an array), `name[]` (append to an array), with `*` standing for the source key.
 * Pure; keys are read as own properties only and written without touching prototypes.
 */

/** One segment: a name (or glob), and whether it iterates (`name[]`). */
export type Segment = { name: string; glob: RegExp | null; each: boolean };

const FORBIDDEN = new Set(["__proto__", "constructor", "prototype"]);

/** Segments of a path, or a message saying why it is not one. */
export function parsePath(path: string, opts: { wildcards: boolean }): Segment[] | string {
  if (path.trim() === "") return "is empty";
  const out: Segment[] = [];
  for (const raw of path.split(".")) {
    const each = raw.endsWith("[]");
    const name = each ? raw.slice(0, -2) : raw;
    if (name === "") return `has an empty segment in "${path}"`;
    if (name.includes("[") || name.includes("]")) return `"${raw}": brackets only as a trailing [] (arrays)`;
    if (FORBIDDEN.has(name)) return `"${name}" is not allowed as a field name`;
    const wild = name.includes("*");
    if (wild && !opts.wildcards) return `"${raw}": no wildcard here`;
    out.push({ name, glob: wild ? globOf(name) : null, each });
  }
  return out;
}

function globOf(name: string): RegExp {
  return new RegExp(`^${name.split("*").map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`, "s");
}

export const own = (o: unknown, k: string): unknown => (o !== null && typeof o === "object" && Object.prototype.hasOwnProperty.call(o, k) ? (o as Record<string, unknown>)[k] : undefined);
const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/** One value found by a source path: the key that holds it, the array indexes passed, its path, and its column when that is not the path's first segment. */
export type Match = { value: unknown; key: string; idx: number[]; path: string; root?: string };

/** Every value `segs` selects in `src` (in document order). */
export function select(src: Record<string, unknown>, segs: Segment[], keep: (path: string) => boolean): Match[] {
  const out: Match[] = [];
  const walk = (node: unknown, i: number, key: string, idx: number[], path: string) => {
    if (i === segs.length) {
      if (node !== undefined) out.push({ value: node, key, idx, path });
      return;
    }
    const s = segs[i]!;
    const children: [string, unknown][] = [];
    if (s.glob) {
      if (isObject(node)) for (const k of Object.keys(node)) if (s.glob.test(k)) children.push([k, node[k]]);
    } else children.push([s.name, own(node, s.name)]);
    for (const [k, v] of children) {
      const p = path ? `${path}.${k}` : k;
      if (s.glob && !keep(p)) continue;
      if (!s.each) walk(v, i + 1, k, idx, p);
      else if (Array.isArray(v)) v.forEach((e, n) => walk(e, i + 1, k, [...idx, n], `${p}[${n}]`));
    }
  };
  walk(src, 0, "", [], "");
  return out;
}

/** Sets an own property, `__proto__` included (as data, never the prototype). */
export function setOwn(o: Record<string, unknown>, k: string, v: unknown): void {
  if (k === "__proto__") Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  else o[k] = v;
}

/**
 * Writes `value` at `segs` in `out`: `a[].b` goes to element `idx[n]` of `a` (the n-th `[]` of the source path;
 * 0 when the source has fewer), a trailing `name[]` appends. `key` replaces `*` in segment names.
 */
export function put(out: Record<string, unknown>, segs: Segment[], value: unknown, key: string, idx: number[]): void {
  let cur: Record<string, unknown> = out;
  let n = 0;
  for (let i = 0; i < segs.length; i++) {
    const s = segs[i]!;
    const name = s.glob ? s.name.replaceAll("*", key) : s.name;
    if (FORBIDDEN.has(name)) return; // a source key cannot write through a prototype
    const last = i === segs.length - 1;
    if (s.each) {
      let arr = own(cur, name);
      if (!Array.isArray(arr)) setOwn(cur, name, (arr = []));
      const a = arr as unknown[];
      if (last) {
        a.push(value);
        return;
      }
      const at = idx[n++] ?? 0;
      while (a.length <= at) a.push({});
      if (!isObject(a[at])) a[at] = {};
      cur = a[at] as Record<string, unknown>;
      continue;
    }
    if (last) return setOwn(cur, name, value);
    let next = own(cur, name);
    if (!isObject(next)) setOwn(cur, name, (next = {}));
    cur = next as Record<string, unknown>;
  }
}
