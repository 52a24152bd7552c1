/**
 * JSON Schema errors of `@cfworker/json-schema` turned into data plan validation errors with the types, keys,
 * pointers and messages `@mparticle/data-planning-node`'s validator (ajv 6, `allErrors`) reports: one error per
 * failing leaf keyword; `required` is reported on the object with the missing name as `expected`;
 * `additionalProperties: false` is `unplanned` with the extra name as key.
 */
import type { OutputUnit } from "@cfworker/json-schema";

export type ValidationErrorType = "unplanned" | "missing_required" | "invalid_value" | "unknown";

/** One validation error (data-planning-models `ValidationError`). */
export type PlanValidationError = {
  validation_error_type: ValidationErrorType;
  key?: string;
  error_pointer: string;
  expected?: string;
  actual?: string | number;
  schema_keyword?: string;
};

const INVALID_VALUE = new Set(["multipleOf", "maximum", "exclusiveMaximum", "minimum", "exclusiveMinimum", "maxLength", "minLength", "pattern", "format", "type", "const", "enum", "patternProperties"]);
/** Keywords that only wrap the errors of their subschemas (ajv reports the subschema errors alone). */
const WRAPPERS = new Set(["properties", "items", "prefixItems", "additionalItems", "contains", "propertyNames", "$ref", "patternProperties"]);

/** Unescapes one JSON pointer token (cfworker encodes `~` and `/`, and URI-encodes the rest). */
function decodeToken(t: string): string {
  let s = t;
  try {
    s = decodeURIComponent(t);
  } catch {
    // kept as is
  }
  return s.replace(/~1/g, "/").replace(/~0/g, "~");
}

/** The instance path as tokens (`#/data/custom_attributes` → ["data", "custom_attributes"]). */
function tokens(location: string): string[] {
  return location.split("/").slice(1).filter((t) => t !== "").map(decodeToken);
}

/** The schema value at a keyword location (`#/properties/data/type`). */
function schemaAt(schema: unknown, location: string): unknown {
  let v: unknown = schema;
  for (const t of tokens(location)) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<string, unknown>)[t];
  }
  return v;
}

/** The value at `path` inside `data`, walking only keys that exist (oracle: `digin`). */
function valueAt(data: unknown, path: string[]): unknown {
  let v: unknown = data;
  for (const k of path) if (v !== null && typeof v === "object" && k in (v as object)) v = (v as Record<string, unknown>)[k];
  return v;
}

/** Strings and numbers as they are, anything else as JSON (oracle: `getActualValue`). */
function actualOf(v: unknown): string | number | undefined {
  return typeof v === "string" || typeof v === "number" ? v : (JSON.stringify(v) as string | undefined);
}

/** ajv 6's message for a failing keyword with schema value `s`. */
function ajvMessage(keyword: string, s: unknown): string {
  switch (keyword) {
    case "type":
      return `should be ${Array.isArray(s) ? s.join(",") : String(s)}`;
    case "const":
      return "should be equal to constant";
    case "enum":
      return "should be equal to one of the allowed values";
    case "minimum":
      return `should be >= ${s}`;
    case "maximum":
      return `should be <= ${s}`;
    case "exclusiveMinimum":
      return `should be > ${s}`;
    case "exclusiveMaximum":
      return `should be < ${s}`;
    case "minLength":
      return `should NOT be shorter than ${s} characters`;
    case "maxLength":
      return `should NOT be longer than ${s} characters`;
    case "pattern":
      return `should match pattern "${s}"`;
    case "multipleOf":
      return `should be multiple of ${s}`;
    case "format":
      return `should match format "${s}"`;
    case "minItems":
      return `should NOT have fewer than ${s} items`;
    case "maxItems":
      return `should NOT have more than ${s} items`;
    case "minProperties":
      return `should NOT have fewer than ${s} properties`;
    case "maxProperties":
      return `should NOT have more than ${s} properties`;
    case "false":
      return "boolean schema is false";
    default:
      return `should pass "${keyword}" keyword validation`;
  }
}

const ADDITIONAL = /^Property "([\s\S]*)" does not match additional properties schema\.$/;
const REQUIRED = /^Instance does not have required property "([\s\S]*)"\.$/;

/** The plan validation errors of `errors` (cfworker output, shortCircuit off) for `data` validated by `schema`. */
export function planErrors(errors: OutputUnit[], schema: unknown, data: unknown): PlanValidationError[] {
  const out: PlanValidationError[] = [];
  for (let i = 0; i < errors.length; i++) {
    const e = errors[i]!;
    const path = tokens(e.instanceLocation);
    const pointer = ["#", ...path].join("/");
    if (e.keyword === "additionalProperties") {
      const name = ADDITIONAL.exec(e.error)?.[1];
      const next = errors[i + 1];
      // `additionalProperties: false`: the extra property fails the `false` schema right after the wrapper.
      if (name !== undefined && next?.keyword === "false" && next.instanceLocation.startsWith(`${e.instanceLocation}/`)) {
        out.push({ validation_error_type: "unplanned", key: name, error_pointer: pointer, actual: name, schema_keyword: "additionalProperties" });
        i++;
      }
      continue;
    }
    if (WRAPPERS.has(e.keyword)) continue;
    const base = { error_pointer: pointer, schema_keyword: e.keyword, key: path[path.length - 1] };
    if (e.keyword === "required") {
      out.push({ ...base, validation_error_type: "missing_required", expected: REQUIRED.exec(e.error)?.[1] ?? "", actual: undefined });
      continue;
    }
    const actual = actualOf(valueAt(data, path));
    const expected = ajvMessage(e.keyword, schemaAt(schema, e.keywordLocation));
    out.push({ ...base, validation_error_type: INVALID_VALUE.has(e.keyword) ? "invalid_value" : "unknown", expected, actual });
  }
  return out;
}
