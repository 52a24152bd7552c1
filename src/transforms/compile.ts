/**
 * Compiling a field transformation once per version: paths parsed, templates parsed by the sandboxed engine.
 * A definition that does not compile is refused by the API (400 naming the mapping), so stored ones always compile.
 */
import type { FtDefinition } from "../schema/field-transformation";
import { type CompiledTemplate, compileTemplate, isTemplate } from "./liquid";
import { parsePath, type Segment } from "./paths";

/** The reserved source that maps every column no other column or ignore mapping reads (§1.2). */
export const UNMAPPED = "$unmapped";

/** A destination: fixed segments, or a template rendered per value and then read as a path. */
export type Destination = { segs: Segment[] } | { tpl: CompiledTemplate };

export type CompiledMapping = {
  index: number;
  type: "column" | "static" | "ignore";
  /** The source as written: a column of exactly this name is taken before the path is read. */
  source: string;
  segs: Segment[];
  /** The single plain segment of a source like `email` (no dots, wildcards or arrays): read directly. */
  simple: string | null;
  unmapped: boolean;
  dest: Destination | null;
  template: CompiledTemplate | null;
  staticValue: unknown;
  ignoreWhen: "empty" | "null" | null;
};

export type CompiledTransformation = {
  id: string;
  name: string;
  /** Column and static mappings in their order, then the `$unmapped` ones (they depend on the others). */
  writes: CompiledMapping[];
  ignores: CompiledMapping[];
  hasUnmapped: boolean;
};

/** A definition that does not compile: which mapping, which field, why. */
export class CompileError extends Error {
  constructor(readonly index: number, readonly field: string, message: string) {
    super(`mappings.${index}.${field}: ${message}`);
  }
}

function template(source: string, index: number, field: string): CompiledTemplate {
  try {
    return compileTemplate(source);
  } catch (err) {
    throw new CompileError(index, field, `invalid template: ${String((err as Error).message).replace(/, line:\d+, col:\d+$/, "")}`);
  }
}

function path(p: string, index: number, field: string, wildcards: boolean): Segment[] {
  const segs = parsePath(p, { wildcards });
  if (typeof segs === "string") throw new CompileError(index, field, segs);
  return segs;
}

/** The compiled form of a validated definition; throws CompileError. */
export function compileTransformation(def: FtDefinition): CompiledTransformation {
  const writes: CompiledMapping[] = [];
  const last: CompiledMapping[] = [];
  const ignores: CompiledMapping[] = [];
  def.mappings.forEach((m, index) => {
    const source = m.source ?? "";
    const unmapped = source === UNMAPPED;
    if (unmapped && m.mapping_type === "ignore") throw new CompileError(index, "source", `${UNMAPPED} cannot be ignored`);
    const segs = m.mapping_type === "static" || unmapped ? [] : path(source, index, "source", true);
    let dest: Destination | null = null;
    if (m.destination) dest = isTemplate(m.destination) ? { tpl: template(m.destination, index, "destination") } : { segs: path(m.destination, index, "destination", m.mapping_type === "column") };
    const column = m.mapping_type === "column" && typeof m.value === "string";
    const c: CompiledMapping = {
      index,
      type: m.mapping_type,
      source,
      segs,
      simple: segs.length === 1 && !segs[0]!.glob && !segs[0]!.each ? segs[0]!.name : null,
      unmapped,
      dest,
      template: column ? template(m.value as string, index, "value") : null,
      staticValue: m.mapping_type === "static" ? m.value : undefined,
      ignoreWhen: m.ignore_when ?? null,
    };
    (m.mapping_type === "ignore" ? ignores : unmapped ? last : writes).push(c);
  });
  return { id: def.id, name: def.name, writes: [...writes, ...last], ignores, hasUnmapped: last.length > 0 };
}
