/**
 * A fast path for zod schemas on the hot path (the batch schema): the schema tree is compiled once into
 * plain closures that return the value zod would return, or `FAIL` whenever they are not certain zod would
 * accept the input. Callers then run the schema itself, so every rejection, error message and edge case is
 * still zod's; the fast path only ever answers "accepted, and this is the output".
 *
 * Why: zod walks a generic payload/issue machinery per field, and inside workerd it runs without its JIT
 * (no `new Function`), which made batch validation most of the per-event CPU of the Events API.
 *
 * Fidelity: each supported node mirrors zod's own parse (zod v4 core: object key order and presence rules
 * from `handlePropertyResult`, pipes, optional, records, arrays, discriminated unions); transforms,
 * preprocessors, refinements and other checks are the schema's own functions, called as zod calls them.
 * Any node kind not listed compiles to "always FAIL", so a schema change can make the fast path slower,
 * never different. src/schema/fast-parse.test.ts compares both on the test batches and on mutations of them.
 */
import type { z } from "zod";

/** "Not sure": the caller must parse with the schema itself. */
export const FAIL: unique symbol = Symbol("fast-parse: use the schema");
export type Fast<T = unknown> = (v: unknown) => T | typeof FAIL;

/** The zod internals read here (zod v4 core; the package version is pinned in package-lock.json). */
type Payload = { value: unknown; issues: unknown[]; addIssue?: (issue: unknown) => void };
type Internals = {
  def: Record<string, unknown> & { type: string; checks?: Node[] };
  traits: Set<string>;
  optin?: "optional" | "defaulted";
  optout?: "optional";
  values?: Set<unknown>;
  propValues?: Record<string, Set<unknown>>;
  check?: (payload: Payload) => unknown;
};
type Node = { _zod: Internals };

const fail: Fast = () => FAIL;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** zod's `util.isPlainObject` (records accept only plain objects). */
function isPlainObject(o: unknown): o is Record<string, unknown> {
  if (!isObject(o)) return false;
  const ctor = (o as { constructor?: unknown }).constructor;
  if (ctor === undefined || typeof ctor !== "function") return true;
  const prot: unknown = (ctor as { prototype?: unknown }).prototype;
  return isObject(prot) && Object.prototype.hasOwnProperty.call(prot, "isPrototypeOf");
}

/**
 * The payload handed to transforms: zod's classic `ZodTransform` gives them `addIssue`; any issue means FAIL.
 * Transforms are synchronous leaf functions, so one payload is reused (a fresh one while it is in use; a
 * transform that throws leaves it "in use" until the next `compileFast` entry point resets it).
 */
const shared: Payload = { value: undefined, issues: [] };
shared.addIssue = (issue) => void shared.issues.push(issue);
let sharedBusy = false;
function runTransform(fn: (v: unknown, p: Payload) => unknown, v: unknown): unknown {
  if (sharedBusy) {
    const payload: Payload = { value: v, issues: [] };
    payload.addIssue = (issue) => void payload.issues.push(issue);
    const out = fn(v, payload);
    return payload.issues.length || out instanceof Promise ? FAIL : out;
  }
  sharedBusy = true;
  shared.value = v;
  const out = fn(v, shared);
  shared.value = undefined;
  sharedBusy = false;
  if (shared.issues.length) {
    shared.issues.length = 0;
    return FAIL;
  }
  return out instanceof Promise ? FAIL : out;
}

/**
 * Drops what a payload refers to once its checks ran (zod's `superRefine` leaves a closure on it). A payload is garbage
 * by then, but V8 may have allocated it in the old generation (allocation-site pretenuring, when most payloads
 * outlive a young collection), and a dead old object's references keep young objects alive through every young
 * collection until the next full one: the parsed value and everything it holds would be promoted with it.
 */
function release(payload: Payload): void {
  payload.value = undefined;
  payload.addIssue = undefined;
}

/** Plain leaf types whose fast check fails exactly when zod's does (usable as union options). */
const EXACT = new Set(["string", "number", "boolean", "literal", "enum"]);

function checksOf(s: Node): Node[] {
  const own = s._zod.traits.has("$ZodCheck") ? [s] : [];
  return own.concat(s._zod.def.checks ?? []);
}

const cache = new WeakMap<Node, Fast>();

/** Compiles `schema` into its fast path (memoised per schema instance). */
export function compileFast<S extends z.core.$ZodType>(schema: S): Fast<z.output<S>> {
  const f = compile(schema as unknown as Node) as Fast<z.output<S>>;
  return (v) => {
    sharedBusy = false;
    shared.issues.length = 0;
    try {
      return f(v);
    } catch {
      // Whatever a schema function throws on, the schema itself meets again (and answers as zod does).
      return FAIL;
    }
  };
}

function compile(s: Node): Fast {
  const hit = cache.get(s);
  if (hit) return hit;
  // Placeholder while compiling (a recursive schema would meet itself: it falls back).
  cache.set(s, fail);
  const base = compileBase(s);
  const checks = checksOf(s);
  const only = checks[0];
  const fn: Fast =
    checks.length === 0
      ? base
      : checks.length === 1 && only!._zod.traits.has("$ZodCustom") && typeof only!._zod.def.fn === "function" && !only!._zod.def.when
        ? refineFast(base, only!._zod.def.fn as (v: unknown) => unknown)
        : (v) => {
          const r = base(v);
          if (r === FAIL) return FAIL;
          const payload: Payload = { value: r, issues: [] };
          let ok = true;
          for (const ch of checks) {
            const when = ch._zod.def.when as ((p: Payload) => boolean) | undefined;
            if (when && !when(payload)) continue;
            if (ch._zod.check!(payload) instanceof Promise || payload.issues.length) {
              ok = false;
              break;
            }
          }
          const out = payload.value;
          release(payload);
          return ok ? out : FAIL;
        };
  cache.set(s, fn);
  return fn;
}

/** `.refine(fn)` / `z.custom(fn)` (a `$ZodCustom` check): zod raises an issue exactly when `fn` answers falsy. */
function refineFast(base: Fast, pred: (v: unknown) => unknown): Fast {
  return (v) => {
    const r = base(v);
    if (r === FAIL) return FAIL;
    const ok = pred(r);
    return ok && !(ok instanceof Promise) ? r : FAIL;
  };
}

function compileBase(s: Node): Fast {
  const def = s._zod.def;
  switch (def.type) {
    case "string":
      return def.coerce ? fail : (v) => (typeof v === "string" ? v : FAIL);
    case "number":
      return def.coerce ? fail : (v) => (typeof v === "number" && Number.isFinite(v) ? v : FAIL);
    case "boolean":
      return def.coerce ? fail : (v) => (typeof v === "boolean" ? v : FAIL);
    case "unknown":
    case "any":
    case "custom": // parse is the identity; its predicate runs as a check (see `compile`)
      return (v) => v;
    case "enum":
    case "literal": {
      const values = s._zod.values!;
      return (v) => (values.has(v) ? v : FAIL);
    }
    case "optional": {
      const inner = def.innerType as Node;
      if (inner._zod.optin === "defaulted") return fail;
      const f = compile(inner);
      return (v) => (v === undefined ? undefined : f(v));
    }
    case "transform": {
      const t = def.transform as (v: unknown, p: Payload) => unknown;
      return (v) => runTransform(t, v);
    }
    case "pipe": {
      const a = compile(def.in as Node);
      const b = compile(def.out as Node);
      return (v) => {
        const r = a(v);
        return r === FAIL ? FAIL : b(r);
      };
    }
    case "array": {
      const el = compile(def.element as Node);
      return (v) => {
        if (!Array.isArray(v)) return FAIL;
        const out = new Array<unknown>(v.length);
        for (let i = 0; i < v.length; i++) {
          const r = el(v[i]);
          if (r === FAIL) return FAIL;
          out[i] = r;
        }
        return out;
      };
    }
    case "record": {
      const key = def.keyType as Node;
      if (key._zod.def.type !== "string" || checksOf(key).length || key._zod.def.coerce) return fail;
      const val = compile(def.valueType as Node);
      return (v) => {
        if (!isPlainObject(v)) return FAIL;
        // zod reads Reflect.ownKeys: a symbol key is not a string key (an issue), so it falls back.
        if (Object.getOwnPropertySymbols(v).length) return FAIL;
        const out: Record<string, unknown> = {};
        for (const k of Object.keys(v)) {
          if (k === "__proto__") continue;
          const r = val(v[k]);
          if (r === FAIL) return FAIL;
          out[k] = r;
        }
        return out;
      };
    }
    case "object":
      return compileObject(s);
    case "union":
      return def.discriminator !== undefined ? compileDiscriminated(s) : compileUnion(s);
    default:
      return fail;
  }
}

function compileObject(s: Node): Fast {
  const def = s._zod.def;
  const shape = def.shape as Record<string, Node>;
  if (Object.getOwnPropertySymbols(shape).length) return fail;
  const keys = Object.keys(shape).filter((k) => k !== "__proto__");
  const keySet = new Set(Object.keys(shape));
  const fns = keys.map((k) => compile(shape[k]!));
  const optin = keys.map((k) => shape[k]!._zod.optin);
  // Absent key of an optional-in/optional-out field: zod drops whatever the field made of it.
  const skipAbsent = keys.map((k, i) => optin[i] === "optional" && shape[k]!._zod.optout === "optional");
  const undefinedIfAbsent = keys.map((k, i) => optin[i] === "defaulted" && shape[k]!._zod.optout !== "optional");
  const catchall = def.catchall as Node | undefined;
  const rest: Fast | "strip" | "strict" = !catchall ? "strip" : catchall._zod.def.type === "never" ? "strict" : compile(catchall);
  const n = keys.length;
  return (input) => {
    if (!isObject(input)) return FAIL;
    const out: Record<string, unknown> = {};
    for (let i = 0; i < n; i++) {
      const k = keys[i]!;
      const present = k in input;
      if (!present && skipAbsent[i]) continue;
      const r = fns[i]!(input[k]);
      if (r === FAIL) return FAIL;
      // A required (not optional-in) key that is absent is an issue in zod.
      if (!present && optin[i] === undefined) return FAIL;
      if (r !== undefined) out[k] = r;
      else if (present || undefinedIfAbsent[i]) out[k] = undefined;
    }
    if (rest === "strip") return out;
    for (const k in input) {
      if (keySet.has(k)) continue;
      if (rest === "strict") return FAIL;
      if (k === "__proto__") continue;
      const r = rest(input[k]);
      if (r === FAIL) return FAIL;
      out[k] = r;
    }
    return out;
  };
}

function compileUnion(s: Node): Fast {
  const options = s._zod.def.options as Node[];
  // First option that accepts wins in zod: only sound when a FAIL here is a rejection there.
  if (!options.every((o) => EXACT.has(o._zod.def.type) && !checksOf(o).length && !o._zod.def.coerce)) return fail;
  const fns = options.map(compile);
  return (v) => {
    for (const f of fns) {
      const r = f(v);
      if (r !== FAIL) return r;
    }
    return FAIL;
  };
}

function compileDiscriminated(s: Node): Fast {
  const def = s._zod.def;
  const disc = def.discriminator as string;
  const map = new Map<unknown, Fast>();
  for (const o of def.options as Node[]) {
    const values = o._zod.propValues?.[disc];
    if (!values) return fail;
    const f = compile(o);
    for (const v of values) {
      if (v === undefined || map.has(v)) return fail;
      map.set(v, f);
    }
  }
  return (v) => {
    if (!isObject(v)) return FAIL;
    const f = map.get(v[disc]);
    return f ? f(v) : FAIL;
  };
}
