/**
 * JSON Schema keywords a data point validator may not use (§7.2), and the checks that keep a stored schema from
 * failing at validation time (patterns must compile). Walks only schema positions, so a property *named*
 * `allOf` is fine.
 */

/** §7.2: keywords data plans do not support. */
export const UNSUPPORTED_KEYWORDS = ["$ref", "$recursiveRef", "$recursiveAnchor", "patternProperties", "allOf", "anyOf", "oneOf", "if", "not", "else", "then", "dependencies", "dependentRequired", "dependentSchemas"] as const;
const UNSUPPORTED = new Set<string>(UNSUPPORTED_KEYWORDS);

/** Nesting depth a validator may have (our bound: plans describe events, not deep documents). */
export const MAX_SCHEMA_DEPTH = 32;

export type SchemaProblem = { path: (string | number)[]; keyword?: string; message: string };

const MAP_KEYWORDS = ["properties", "definitions", "$defs"];
const SCHEMA_KEYWORDS = ["additionalProperties", "additionalItems", "contains", "propertyNames", "unevaluatedProperties", "unevaluatedItems"];

/** The first problem of a validator definition, or null. */
export function schemaProblem(schema: unknown, path: (string | number)[] = [], depth = 0): SchemaProblem | null {
  if (typeof schema === "boolean") return null;
  if (!schema || typeof schema !== "object" || Array.isArray(schema)) return { path, message: "A JSON Schema must be an object or a boolean." };
  if (depth > MAX_SCHEMA_DEPTH) return { path, message: `JSON Schema nesting deeper than ${MAX_SCHEMA_DEPTH} levels.` };
  const s = schema as Record<string, unknown>;
  for (const k of Object.keys(s)) {
    if (UNSUPPORTED.has(k)) return { path: [...path, k], keyword: k, message: `Unsupported JSON Schema keyword "${k}".` };
  }
  if (s.pattern !== undefined) {
    if (typeof s.pattern !== "string") return { path: [...path, "pattern"], keyword: "pattern", message: "pattern must be a string." };
    try {
      new RegExp(s.pattern, "u");
    } catch {
      return { path: [...path, "pattern"], keyword: "pattern", message: `pattern "${s.pattern}" is not a valid regular expression.` };
    }
  }
  for (const k of MAP_KEYWORDS) {
    const m = s[k];
    if (m === undefined) continue;
    if (!m || typeof m !== "object" || Array.isArray(m)) return { path: [...path, k], keyword: k, message: `${k} must be an object of schemas.` };
    for (const [name, sub] of Object.entries(m)) {
      const p = schemaProblem(sub, [...path, k, name], depth + 1);
      if (p) return p;
    }
  }
  for (const k of SCHEMA_KEYWORDS) {
    if (s[k] === undefined) continue;
    const p = schemaProblem(s[k], [...path, k], depth + 1);
    if (p) return p;
  }
  const items = s.items;
  if (Array.isArray(items)) {
    for (let i = 0; i < items.length; i++) {
      const p = schemaProblem(items[i], [...path, "items", i], depth + 1);
      if (p) return p;
    }
  } else if (items !== undefined) {
    const p = schemaProblem(items, [...path, "items"], depth + 1);
    if (p) return p;
  }
  return valueProblem(s, path);
}

const TYPES = new Set(["string", "number", "integer", "boolean", "object", "array", "null"]);
const NUMBERS = ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"];
const COUNTS = ["minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties"];

/** Keyword values of the wrong shape (the validator would throw or never match on them). */
function valueProblem(s: Record<string, unknown>, path: (string | number)[]): SchemaProblem | null {
  const bad = (keyword: string, message: string): SchemaProblem => ({ path: [...path, keyword], keyword, message });
  if (s.required !== undefined && (!Array.isArray(s.required) || s.required.some((r) => typeof r !== "string"))) return bad("required", "required must be an array of strings.");
  if (s.enum !== undefined && !Array.isArray(s.enum)) return bad("enum", "enum must be an array.");
  if (s.type !== undefined) {
    const types = Array.isArray(s.type) ? s.type : [s.type];
    if (!types.length || types.some((t) => typeof t !== "string" || !TYPES.has(t))) return bad("type", `type must be one of ${[...TYPES].join(", ")} (or an array of them).`);
  }
  for (const k of NUMBERS) if (s[k] !== undefined && typeof s[k] !== "number") return bad(k, `${k} must be a number.`);
  if (typeof s.multipleOf === "number" && !(s.multipleOf > 0)) return bad("multipleOf", "multipleOf must be greater than 0.");
  for (const k of COUNTS) if (s[k] !== undefined && !(Number.isInteger(s[k]) && (s[k] as number) >= 0)) return bad(k, `${k} must be a non-negative integer.`);
  if (s.format !== undefined && typeof s.format !== "string") return bad("format", "format must be a string.");
  if (s.uniqueItems !== undefined && typeof s.uniqueItems !== "boolean") return bad("uniqueItems", "uniqueItems must be a boolean.");
  return null;
}
