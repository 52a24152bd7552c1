/**
 * The sandboxed Liquid engine of field transformations (transforms-rules.md §1.4), on liquidjs' browser build
 * (pure JavaScript: no eval, no `new Function`, no file system). Output and filters only: every tag is removed, so
 * `{% … %}` is a parse error; only the 45 filters mParticle lists are registered and an unknown filter is a parse
 * error (strictFilters). Templates see three variables: `value`, `key`, `key_length`. Bounds: parse size per
 * template, liquidjs' memory accounting per render, and output size per value — never time (workerd's clock does
 * not advance during synchronous code).
 */
import { Context, Liquid, Output, toValue, toValueSync, type Template } from "liquidjs/dist/liquid.browser.mjs";
import { FT_MAX_FIELD_CHARS } from "../schema/field-transformation";

/** The filters of seed 002's list (45), in its order. */
export const ALLOWED_FILTERS = [
  "abs", "append", "at_least", "at_most", "capitalize", "ceil", "compact", "concat", "date", "default", "divided_by", "downcase", "first",
  "floor", "join", "last", "lstrip", "map", "minus", "modulo", "plus", "prepend", "remove", "remove_first", "remove_last", "replace",
  "replace_first", "replace_last", "reverse", "round", "rstrip", "size", "slice", "sort", "sort_natural", "split", "strip",
  "strip_newlines", "sum", "times", "truncate", "truncatewords", "uniq", "upcase", "where",
] as const;
/** The variables a template sees. */
export const TEMPLATE_VARIABLES = ["value", "key", "key_length"] as const;
/**
 * liquidjs memory units (characters and array elements its filters allocate) the renders of one application of a
 * transformation (one row, one batch) may use together (ours): bounds the CPU a row or a batch can cost whatever its
 * templates do, since without tags a render's work follows what it allocates.
 */
export const RENDER_MEMORY_LIMIT = 1_000_000;
/** Characters of one rendered value (ours: a CSV row is under 80 KB, a batch under 256 KB). */
export const RENDER_MAX_CHARS = 65_536;

const noFs = () => {
  throw new Error("field transformation templates have no file system");
};

/** One engine per isolate: configuration is immutable once built. */
const engine = (() => {
  const l = new Liquid({
    strictFilters: true,
    strictVariables: false,
    ownPropertyOnly: true,
    parseLimit: FT_MAX_FIELD_CHARS,
    memoryLimit: RENDER_MEMORY_LIMIT,
    cache: false,
    relativeReference: false,
    fs: { exists: noFs, existsSync: noFs, readFile: noFs, readFileSync: noFs, resolve: noFs, contains: noFs, sep: "/" } as never,
  });
  for (const name of Object.keys(l.tags)) delete l.tags[name];
  const allowed = new Set<string>(ALLOWED_FILTERS);
  for (const name of Object.keys(l.filters)) if (!allowed.has(name)) delete l.filters[name];
  return l;
})();

/** A template failed at run time (a filter threw, a bound was hit). */
export class TemplateError extends Error {}

/**
 * The memory budget shared by the renders of one application (liquidjs calls `use` for what its filters allocate and
 * `check` for sizes it is asked to produce).
 */
export class MemoryBudget {
  private used = 0;
  constructor(private readonly limit = RENDER_MEMORY_LIMIT) {}
  use(count: number): void {
    if (+count > 0) {
      if (this.used + +count > this.limit) throw new TemplateError("memory alloc limit exceeded");
      this.used += +count;
    }
  }
  check(count: number): void {
    if (+count > this.limit) throw new TemplateError("memory alloc limit exceeded");
  }
}

/** A compiled template: renders a scope to a string, or (one `{{ … }}` and nothing else) to the typed value. */
export type CompiledTemplate = { source: string; render(scope: TemplateScope, budget: MemoryBudget): unknown };
export type TemplateScope = { value: unknown; key: string | null; key_length: number | null };

/** Whether `s` holds Liquid markup. */
export const isTemplate = (s: string) => s.includes("{{") || s.includes("{%");

/** Parses `source` once; throws `Error` with liquidjs' message (tag, unknown filter, unknown variable, size). */
export function compileTemplate(source: string): CompiledTemplate {
  const tpl: Template[] = engine.parse(source);
  const globals = Object.keys(engine.analyzeSync(tpl).globals);
  const unknown = globals.filter((g) => !(TEMPLATE_VARIABLES as readonly string[]).includes(g));
  if (unknown.length) throw new Error(`unknown variable ${unknown.join(", ")} (templates see value, key, key_length)`);
  const single = tpl.length === 1 && tpl[0] instanceof Output ? (tpl[0] as Output) : null;
  if (single) {
    // One output and nothing around it keeps the filter chain's type (a number, an array from `split`).
    return {
      source,
      render(scope, budget) {
        const v = run(() => toValue(toValueSync(single.value.value(context(scope, budget), false))));
        return bound(typeof v === "number" && !Number.isFinite(v) ? String(v) : v === undefined ? null : v);
      },
    };
  }
  return { source, render: (scope, budget) => bound(run(() => engine.renderSync(tpl, context(scope, budget)) as string)) };
}

const context = (scope: TemplateScope, budget: MemoryBudget) => new Context(scope, engine.options, { sync: true }, { liquid: engine, memoryLimit: budget });

function run<T>(f: () => T): T {
  try {
    return f();
  } catch (err) {
    if (err instanceof TemplateError) throw err;
    throw new TemplateError(String((err as Error)?.message ?? err).replace(/, line:\d+, col:\d+$/, ""));
  }
}

function bound(v: unknown): unknown {
  if (typeof v === "string" && v.length > RENDER_MAX_CHARS) throw new TemplateError(`output limit exceeded (${RENDER_MAX_CHARS} characters)`);
  if (Array.isArray(v) && v.length > RENDER_MAX_CHARS) throw new TemplateError(`output limit exceeded (${RENDER_MAX_CHARS} elements)`);
  return v;
}
