/**
 * The condition object of mParticle's calculated attributes (audiences.md §1.5), reused by audience criteria
 * (§4.3): `{type, operator, attribute_name, value?, values?, min_value?, max_value?}`, values as strings.
 * Pure: a zod schema with the operator × type table and the value slots, and `conditionMet` over one value.
 */
import { z } from "zod";

export const CONDITION_TYPES = ["string", "number", "boolean", "date"] as const;
export type ConditionType = (typeof CONDITION_TYPES)[number];

/** Operator × type support map (audiences.md §1.5). */
const OPERATORS: Record<string, readonly ConditionType[]> = {
  exists: CONDITION_TYPES,
  not_exists: CONDITION_TYPES,
  empty: CONDITION_TYPES,
  equals: CONDITION_TYPES,
  in_list: ["string", "number"],
  contains: ["string"],
  not_contains: ["string"],
  pattern: ["string"],
  not_equals: ["string", "number"],
  greater_than: ["number"],
  greater_or_equal: ["number"],
  less_than: ["number"],
  less_than_or_equal: ["number"],
  between: ["number"],
  before: ["date"],
  after: ["date"],
  between_dates: ["date"],
};
const NO_VALUE = new Set(["exists", "not_exists", "empty"]);
const RANGE = new Set(["between", "between_dates"]);

const scalar = z.union([z.string(), z.number(), z.boolean()]).transform(String);
const optScalar = scalar.nullish();

/** A condition as stored (values are strings, as the docs say; numbers and booleans are accepted and turned into strings). */
export const conditionSchema = z
  .object({
    type: z.enum(CONDITION_TYPES).default("string"),
    operator: z.string(),
    attribute_name: z.string().trim().min(1, "Condition attribute name must be specified").max(256),
    value: optScalar,
    values: z.array(scalar).max(1000).nullish(),
    min_value: optScalar,
    max_value: optScalar,
  })
  .superRefine((c, ctx) => {
    const types = OPERATORS[c.operator];
    if (!types || !types.includes(c.type)) return void ctx.addIssue({ code: "custom", path: ["operator"], message: `Invalid ${c.type} condition operator` });
    const bad = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
    if (c.operator === "in_list") {
      if (!c.values?.length) bad("values", "In-list condition values must be specified");
      else if (c.type === "number" && c.values.some((v) => !isNumeric(v))) bad("values", "Invalid numeric in-list condition values");
    } else if (c.values?.length) bad("values", "Condition values must be empty");
    if (RANGE.has(c.operator)) {
      if (c.value != null && c.value !== "") bad("value", "Condition value must be empty");
      const parse = c.type === "number" ? isNumeric : (v: string) => dateRange(v) !== null;
      const kind = c.type === "number" ? "numeric" : "date";
      if (c.min_value == null || !parse(c.min_value)) bad("min_value", `Invalid ${kind} condition minimum value`);
      if (c.max_value == null || !parse(c.max_value)) bad("max_value", `Invalid ${kind} condition maximum value`);
    } else {
      if (c.min_value != null && c.min_value !== "") bad("min_value", "Condition minimum value must be empty");
      if (c.max_value != null && c.max_value !== "") bad("max_value", "Condition maximum value must be empty");
    }
    if (NO_VALUE.has(c.operator) || c.operator === "in_list" || RANGE.has(c.operator)) return;
    if (c.value == null || (c.type === "string" && c.value === "")) return void bad("value", "String condition value must be specified");
    if (c.type === "number" && !isNumeric(c.value)) bad("value", "Invalid numeric condition value");
    if (c.type === "date" && dateRange(c.value) === null) bad("value", "Invalid date condition value");
    if (c.type === "boolean" && !/^(true|false)$/i.test(c.value)) bad("value", "Invalid boolean condition value");
  });
export type Condition = z.output<typeof conditionSchema>;

function isNumeric(v: string): boolean {
  return v.trim() !== "" && Number.isFinite(Number(v));
}

/** A date value as the UTC range it covers: a whole day for `YYYY-MM-DD`, one instant otherwise; null if unparsable. */
function dateRange(v: string): [number, number] | null {
  if (/^\d{4}-\d{2}-\d{2}$/.test(v)) {
    const start = Date.parse(`${v}T00:00:00Z`);
    return Number.isFinite(start) ? [start, start + 86_400_000] : null;
  }
  // ISO date-times without a zone are UTC (audiences.md §4.3: "Date criteria in UTC").
  const t = /^\d{4}-\d{2}-\d{2}T[^Zz+]*$/.test(v) && !/[+-]\d{2}:?\d{2}$/.test(v.slice(10)) ? Date.parse(`${v}Z`) : Date.parse(v);
  return Number.isFinite(t) ? [t, t + 1] : null;
}

/** A stored value as a point in time (ms epoch numbers, ISO strings). */
function instantOf(v: unknown): number | null {
  if (typeof v === "number" && Number.isFinite(v)) return v;
  if (typeof v === "string") return dateRange(v)?.[0] ?? null;
  return null;
}

function numberOf(v: unknown): number | null {
  if (typeof v === "number") return Number.isFinite(v) ? v : null;
  if (typeof v === "string" && isNumeric(v)) return Number(v);
  return null;
}

/** `*` any characters, `?` one character; the rest literal (case-insensitive). */
function patternRegex(p: string): RegExp {
  const body = p.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
  return new RegExp(`^${body}$`, "is");
}
const regexCache = new Map<string, RegExp>();
function patternMatches(p: string, s: string): boolean {
  let re = regexCache.get(p);
  if (!re) {
    if (regexCache.size > 1000) regexCache.clear();
    re = patternRegex(p);
    regexCache.set(p, re);
  }
  return re.test(s);
}

/** One scalar (an element of a list attribute) against the condition's value slots. */
function scalarMet(c: Condition, v: unknown): boolean {
  if (v === null || v === undefined) return false;
  switch (c.type) {
    case "string": {
      const s = String(v).toLowerCase();
      const want = (c.value ?? "").toLowerCase();
      if (c.operator === "equals") return s === want;
      if (c.operator === "contains") return s.includes(want);
      if (c.operator === "pattern") return patternMatches(c.value ?? "", String(v));
      if (c.operator === "in_list") return (c.values ?? []).some((x) => x.toLowerCase() === s);
      return false;
    }
    case "number": {
      const n = numberOf(v);
      if (n === null) return false;
      if (c.operator === "in_list") return (c.values ?? []).some((x) => Number(x) === n);
      if (c.operator === "between") return n >= Number(c.min_value) && n <= Number(c.max_value);
      const want = Number(c.value);
      return { equals: n === want, greater_than: n > want, greater_or_equal: n >= want, less_than: n < want, less_than_or_equal: n <= want }[c.operator as "equals"] ?? false;
    }
    case "boolean": {
      const b = typeof v === "boolean" ? v : typeof v === "string" && /^(true|false)$/i.test(v) ? v.toLowerCase() === "true" : null;
      return b !== null && c.operator === "equals" && b === (c.value ?? "").toLowerCase().startsWith("t");
    }
    case "date": {
      const t = instantOf(v);
      if (t === null) return false;
      if (c.operator === "between_dates") {
        const lo = dateRange(c.min_value ?? "");
        const hi = dateRange(c.max_value ?? "");
        return !!lo && !!hi && t >= lo[0] && t < hi[1];
      }
      const r = dateRange(c.value ?? "");
      if (!r) return false;
      // Before exclusive, after inclusive, equals ("On") the whole UTC day of a date value (audiences.md §4.3).
      return { equals: t >= r[0] && t < r[1], before: t < r[0], after: t >= r[0] }[c.operator as "equals"] ?? false;
    }
  }
}

/**
 * Whether `value` (undefined: the attribute is missing) meets the condition. A missing attribute meets only
 * `not_exists` (audiences.md §1.5); a list meets a positive operator when one element does, and a negative one
 * (`not_equals`, `not_contains`) when no element meets its positive form.
 */
export function conditionMet(c: Condition, value: unknown): boolean {
  const missing = value === undefined || value === null;
  if (c.operator === "exists") return !missing;
  if (c.operator === "not_exists") return missing;
  if (missing) return false;
  if (c.operator === "empty") return value === "" || (Array.isArray(value) && value.length === 0);
  const items = Array.isArray(value) ? value : [value];
  if (c.operator === "not_equals" || c.operator === "not_contains") {
    const positive = { ...c, operator: c.operator === "not_equals" ? "equals" : "contains" };
    return !items.some((v) => scalarMet(positive, v));
  }
  return items.some((v) => scalarMet(c, v));
}
