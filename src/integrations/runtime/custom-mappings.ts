/**
 * Custom mappings of a connection (seed 002: connections' "Custom Mappings"; docs/field-transformations.md): an
 * output that takes them declares `customMappings` ("object" or "batch") and adds this setting to its connection settings; the
 * forward consumer reshapes each outbound batch with the named field transformation before the integration's
 * transform sees it.
 */
import { z } from "zod";
import { FT_ID } from "../../schema/field-transformation";

/** The connection setting naming a field transformation of the connection's workspace. */
export const fieldTransformationSetting = z
  .string()
  .regex(FT_ID)
  .optional()
  .describe("Field transformation (id in this workspace) applied to every outbound batch before it is sent; its output is what the output receives. Map `$unmapped` to `*` to keep the fields no mapping names.");

/** The transformation id a connection's validated settings name, if any. */
export const namedTransformation = (settings: unknown): string | undefined => {
  const v = (settings as { fieldTransformationId?: unknown } | null)?.fieldTransformationId;
  return typeof v === "string" ? v : undefined;
};
