/**
 * Request generator of the fuzz suite (test/worker/fuzz.test.ts): every operation of /openapi.json, with
 * bodies built from its request schema and then broken in one way (malformed JSON, wrong types, null, huge
 * numbers, long strings, deep nesting, bad enums, unknown keys), without credentials, or aimed at another
 * tenant's ids. Seeded: the same seed gives the same requests.
 */

/** mulberry32: a small seeded PRNG (uniform in [0, 1)). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Rand = () => number;
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

export type Op = { method: string; path: string; op: any };

/** Every operation of the document, sorted (the order the seed applies to). */
export function operationsOf(doc: any): Op[] {
  const out: Op[] = [];
  for (const [path, ops] of Object.entries<any>(doc.paths)) for (const [method, op] of Object.entries<any>(ops)) out.push({ method, path, op });
  return out.sort((a, b) => `${a.path} ${a.method}`.localeCompare(`${b.path} ${b.method}`));
}

function resolve(doc: any, s: any): any {
  let n = 0;
  while (s && s.$ref && n++ < 10) s = s.$ref.split("/").slice(1).reduce((o: any, k: string) => o?.[k], doc);
  return s ?? {};
}

/** A plausible valid value of a JSON schema (required properties, first enum value, first union member). */
export function sample(doc: any, schema: any, r: Rand, depth = 0): unknown {
  const s = resolve(doc, schema);
  if (depth > 6) return null;
  if (s.const !== undefined) return s.const;
  if (Array.isArray(s.enum)) return s.enum[0];
  if (s.default !== undefined && r() < 0.5) return s.default;
  const union = s.anyOf ?? s.oneOf;
  if (Array.isArray(union)) return sample(doc, union.find((u: any) => resolve(doc, u).type !== "null") ?? union[0], r, depth + 1);
  if (Array.isArray(s.allOf)) return Object.assign({}, ...s.allOf.map((x: any) => sample(doc, x, r, depth + 1)));
  const type = Array.isArray(s.type) ? s.type.find((t: string) => t !== "null") : s.type;
  switch (type) {
    case "object": {
      const o: Record<string, unknown> = {};
      for (const [k, v] of Object.entries<any>(s.properties ?? {})) if ((s.required ?? []).includes(k) || r() < 0.5) o[k] = sample(doc, v, r, depth + 1);
      return o;
    }
    case "array":
      return s.items ? [sample(doc, s.items, r, depth + 1)] : [];
    case "string":
      return s.format === "uri" ? "https://example.com/x" : s.format === "email" ? "a@example.com" : "fuzz";
    case "integer":
      return 1;
    case "number":
      return 1;
    case "boolean":
      return true;
    default:
      return {};
  }
}

/** Paths (key lists) to every value inside `v`, the root included. */
function paths(v: unknown, at: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(at);
  if (at.length > 8) return out;
  if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...at, i], out));
  else if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) paths(x, [...at, k], out);
  return out;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function getAt(root: unknown, at: (string | number)[]): unknown {
  return at.reduce<any>((o, k) => o?.[k], root);
}

function setAt(root: unknown, at: (string | number)[], value: unknown): unknown {
  if (at.length === 0) return value;
  const copy = structuredClone(root) as any;
  let o = copy;
  for (const k of at.slice(0, -1)) o = o[k];
  o[at[at.length - 1]!] = value;
  return copy;
}

function deep(levels: number): unknown {
  let v: unknown = "bottom";
  for (let i = 0; i < levels; i++) v = i % 2 ? [v] : { d: v };
  return v;
}

/** The kinds of broken request the suite sends. */
export const KINDS = ["malformed_json", "null_body", "wrong_root", "wrong_type", "null_field", "huge_number", "long_string", "deep_nesting", "bad_enum", "unknown_key", "control_chars", "missing_auth", "other_tenant", "valid"] as const;
export type Kind = (typeof KINDS)[number];

export type Case = { kind: Kind; method: string; path: string; body?: string; auth: boolean; tenant: "own" | "other"; detail: string };

/**
 * One broken request for `o`. `maxBody` bounds generated strings (a body over the route's limit is the
 * body-limit test's business). Path parameters are filled with `ids` of the own or the other tenant.
 */
export function caseFor(doc: any, o: Op, r: Rand, ids: { own: Record<string, string>; other: Record<string, string>; ownByCollection: Record<string, string>; otherByCollection: Record<string, string> }): Case {
  const schema = o.op.requestBody?.content?.["application/json"]?.schema;
  const bodyKinds: Kind[] = ["malformed_json", "null_body", "wrong_root", "wrong_type", "null_field", "huge_number", "long_string", "deep_nesting", "bad_enum", "unknown_key", "control_chars", "valid"];
  const canBody = ["post", "put", "patch", "delete"].includes(o.method);
  const kinds: Kind[] = [...(canBody ? bodyKinds : ["valid" as Kind]), "missing_auth", "other_tenant"];
  const kind = pick(r, kinds);
  const tenant = kind === "other_tenant" ? "other" : "own";
  // Deletes (which read no body) and secret rotations would remove the credentials the rest of the run uses:
  // aimed at no entity of the own tenant.
  const gone = tenant === "own" && (o.method === "delete" || o.path.endsWith("/rotate"));
  const fill = (name: string, collection: string) => {
    if (gone && /id$/i.test(name)) return "999999";
    const byCollection = tenant === "other" ? ids.otherByCollection : ids.ownByCollection;
    return (name === "id" || name === "wid" ? byCollection[collection] : undefined) ?? (tenant === "other" ? ids.other : ids.own)[name] ?? ids.own.default!;
  };
  const path = o.path.replace(/([^/]*)\/\{([^}]+)\}/g, (_m, collection: string, name: string) => `${collection}/${encodeURIComponent(fill(name, collection))}`);
  const limit: number = o.op["x-max-body-bytes"] ?? 16 * 1024;
  const base = canBody ? (schema ? sample(doc, schema, r) : {}) : undefined;
  const spots = base === undefined ? [[]] : paths(base);
  const at = pick(r, spots);
  let body: string | undefined = base === undefined ? undefined : JSON.stringify(base);
  let detail = "";
  switch (kind) {
    case "malformed_json":
      body = pick(r, ['{"a":', "{'a': 1}", "[1,2", "\u0000", "undefined", '{"a":1}}', "\uFEFF{", ""]);
      break;
    case "null_body":
      body = "null";
      break;
    case "wrong_root":
      body = pick(r, ["[]", "42", '"text"', "true", "[{}]", "-0"]);
      break;
    case "wrong_type":
      body = JSON.stringify(setAt(base, at, pick(r, [{}, [], "str", 12345, true, -1.5])));
      break;
    case "null_field":
      body = JSON.stringify(setAt(base, at, null));
      break;
    case "huge_number":
      body = JSON.stringify(setAt(base, at, pick(r, [1e308, -1e308, 2 ** 63, -(2 ** 63), 9007199254740993, 1e-320, 0.1]))).replace(/1e\+308/, pick(r, ["1e308", "1e400", "123456789012345678901234567890"]));
      break;
    case "long_string":
      body = JSON.stringify(setAt(base, at, "x".repeat(Math.min(Math.floor(limit / 2), 1 + Math.floor(r() * 70_000)))));
      break;
    case "deep_nesting": {
      const levels = pick(r, [33, 100, 1_000, 5_000]);
      body = JSON.stringify(setAt(base, at, deep(Math.min(levels, Math.floor(limit / 8)))));
      detail = `levels ${levels}`;
      break;
    }
    case "bad_enum":
      body = JSON.stringify(setAt(base, at, pick(r, ["__bogus__", "PRODUCTION ", "", "\u202E"])));
      break;
    case "unknown_key": {
      const objects = spots.filter((p) => isObject(getAt(base, p)));
      const p = objects.length ? pick(r, objects) : [];
      const v = getAt(base, p);
      body = JSON.stringify(setAt(base, p, isObject(v) ? { ...v, __unknown__: 1 } : { __unknown__: 1 }));
      detail = `at ${JSON.stringify(p)}`;
      break;
    }
    case "control_chars":
      body = JSON.stringify(setAt(base, at, pick(r, ["a\u0000b", "x\u202Ey", "line\nbreak", "\u2066iso"])));
      break;
    default:
      break;
  }
  if (body !== undefined && new TextEncoder().encode(body).length > limit) body = body.slice(0, Math.floor(limit / 4));
  return { kind, method: o.method.toUpperCase(), path, body, auth: kind !== "missing_auth", tenant, detail: detail || `at ${JSON.stringify(at)}` };
}
