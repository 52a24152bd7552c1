/**
 * A field transformation (transforms-rules.md §1.2; docs/field-transformations.md): the Platform API v2 object
 * `{id, name, destination_type: "event_batch", mappings: [...]}`. The shape is checked here; templates and paths
 * are checked when it is compiled (src/transforms/compile.ts).
 */
import { z } from "zod";

/** The id is set by the caller: letters, digits, `-` and `_` (transforms-rules.md §1.2); our cap on length. */
export const FT_ID = /^[A-Za-z0-9_-]{1,128}$/;
/** Mappings per transformation (ours: mParticle states none; a CSV file has fewer than 50 columns). */
export const FT_MAX_MAPPINGS = 500;
/** Characters in one `source`, `destination` or `value` (ours; also liquidjs' parse limit of one template). */
export const FT_MAX_FIELD_CHARS = 4096;

const text = z.string().max(FT_MAX_FIELD_CHARS);

/** A static value: any JSON value (templates are not rendered in static values). */
const staticValue = z.union([z.string().max(FT_MAX_FIELD_CHARS), z.number(), z.boolean(), z.null(), z.array(z.unknown()), z.record(z.string(), z.unknown())]);

export const FtMapping = z
  .object({
    mapping_type: z.enum(["column", "static", "ignore"]).describe("column: a source field's value; static: `value`; ignore: leave `source` out (also of wildcards and $unmapped)."),
    source: text.nullish().describe("Source field: a column name, a nested path `a.b`, `a[].b` for each element of an array, `*` wildcards, or `$unmapped`. Unset for static."),
    destination: text.nullish().describe("Batch path: `a`, `a.b`, `a[].b`, `name[]` (append); `*` is the source key; Liquid templates allowed."),
    value: staticValue.optional().describe("static: the value written. column: an optional Liquid template over `value`, `key`, `key_length`."),
    ignore_when: z.enum(["empty", "null"]).nullish().describe("column only: skip the field when its value is null (`null`) or null, empty string, [] or {} (`empty`)."),
  })
  .superRefine((m, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
    if (m.mapping_type === "static") {
      if (m.source != null) issue("source", "must be unset or null for a static mapping.");
      if (m.value === undefined) issue("value", "is required for a static mapping.");
      if (m.ignore_when != null) issue("ignore_when", "applies to column mappings only.");
    } else if (!m.source) issue("source", `is required for a ${m.mapping_type} mapping.`);
    if (m.mapping_type !== "ignore" && !m.destination) issue("destination", `is required for a ${m.mapping_type} mapping.`);
    if (m.mapping_type === "column" && m.value != null && typeof m.value !== "string") issue("value", "must be a template string for a column mapping.");
    if (m.mapping_type === "ignore" && m.ignore_when != null) issue("ignore_when", "applies to column mappings only.");
  });
export type FtMapping = z.output<typeof FtMapping>;

/** The body of POST and PUT. */
export const FtBody = z.object({
  id: z.string().regex(FT_ID, "only letters, digits, '-' and '_' (at most 128).").describe("Set by the caller; never reused after a delete."),
  name: z.string().min(1).max(255),
  destination_type: z.literal("event_batch"),
  mappings: z.array(FtMapping).max(FT_MAX_MAPPINGS),
});
/** PUT may leave `id` out (the path names it). */
export const FtPutBody = FtBody.extend({ id: FtBody.shape.id.optional() });
export type FtDefinition = z.output<typeof FtBody>;
