/**
 * Preview (ours): applies a transformation to sample data and answers what it makes of each sample, with no side
 * effects. `POST …/transformations/fields/preview` takes an inline definition, `POST …/fields/{id}/preview` a stored
 * one. Each result is the batch and whether it is a valid Events API batch, or the error that stopped the mapping.
 */
import { z } from "zod";
import { parseBatch } from "../../schema/batch";
import { FtBody, type FtDefinition } from "../../schema/field-transformation";
import { applyTransformation, type CompiledTransformation } from "../../transforms";
import { readJson, v2App } from "./common";
import { compileOr400, ftIdParam, ftView, liveFt } from "./field-transformation-views";

/** Samples per preview (ours). */
export const PREVIEW_MAX_SAMPLES = 100;

const samples = z.array(z.record(z.string(), z.unknown())).min(1).max(PREVIEW_MAX_SAMPLES).describe("Source objects: a CSV row as {column: cell}, an outbound batch, …");
export const PreviewBody = z.object({ samples });
export const InlinePreviewBody = z.object({ transformation: FtBody.extend({ id: FtBody.shape.id.optional() }), samples });

function preview(ft: CompiledTransformation, data: Record<string, unknown>[]) {
  return {
    results: data.map((s) => {
      const r = applyTransformation(ft, s);
      if (!r.ok) return { error: { code: "TRANSFORMATION_FAILED", message: r.error } };
      const parsed = parseBatch(r.output);
      return parsed.ok ? { batch: r.output, valid: true } : { batch: r.output, valid: false, errors: parsed.errors };
    }),
  };
}

export const previewRoutes = v2App();

previewRoutes.post("/preview", async (c) => {
  const body = await readJson(c, InlinePreviewBody);
  const def: FtDefinition = { ...body.transformation, id: body.transformation.id ?? "preview" };
  return c.json(preview(compileOr400(def), body.samples));
});

previewRoutes.post("/:id/preview", async (c) => {
  const id = ftIdParam(c);
  const body = await readJson(c, PreviewBody);
  return c.json(preview(compileOr400(ftView(await liveFt(c, id))), body.samples));
});
