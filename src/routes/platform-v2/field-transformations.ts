/**
 * Field Transformations API (transforms-rules.md §1.5) at `/platform/v2/workspaces/{workspaceId}/transformations/fields`:
 * GET list, POST (200 with the object), GET/PUT `/{id}` (200), DELETE `/{id}` (204), and our preview endpoints.
 * The caller sets the id; a deleted id stays a tombstone and is never accepted again (409). Writes invalidate this
 * isolate's config cache; other isolates pick them up within its TTL.
 */
import { invalidateConfig } from "../../db/config-cache";
import {
  deleteFieldTransformation, findFieldTransformation, insertFieldTransformation, listFieldTransformations, updateFieldTransformation,
} from "../../db/queries/field-transformations";
import { NotFoundError, ValidationError } from "../../lib/errors";
import { FtBody, FtPutBody } from "../../schema/field-transformation";
import { ConflictError, db, readJson, v2App, type V2Context } from "./common";
import { previewRoutes } from "./field-transformation-preview";
import { compileOr400, ftIdParam, ftView, liveFt } from "./field-transformation-views";

/** A transformation (or a preview with its samples) is a small JSON document (ours). */
export const FT_MAX_BODY_BYTES = 256 * 1024;

export const fieldTransformationsRoutes = v2App();

const by = (c: V2Context) => c.get("token").clientId ?? null;

fieldTransformationsRoutes.get("/", async (c) => c.json((await listFieldTransformations(db(c), c.get("workspaceId"))).map(ftView)));

fieldTransformationsRoutes.post("/", async (c) => {
  const def = await readJson(c, FtBody);
  compileOr400(def);
  const workspaceId = c.get("workspaceId");
  const row = await insertFieldTransformation(db(c), { workspaceId, ftId: def.id, name: def.name, destinationType: def.destination_type, mappings: def.mappings, createdBy: by(c), lastModifiedBy: by(c) });
  if (!row) {
    const old = await findFieldTransformation(db(c), workspaceId, def.id);
    throw new ConflictError(old?.deletedAt ? `Field transformation id ${def.id} belonged to a deleted transformation; ids are never reused.` : `Field transformation ${def.id} already exists.`);
  }
  invalidateConfig();
  return c.json(ftView(row), 200);
});

fieldTransformationsRoutes.route("/", previewRoutes);

fieldTransformationsRoutes.get("/:id", async (c) => {
  return c.json(ftView(await liveFt(c, ftIdParam(c))));
});

fieldTransformationsRoutes.put("/:id", async (c) => {
  const id = ftIdParam(c);
  const body = await readJson(c, FtPutBody);
  if (body.id !== undefined && body.id !== id) throw new ValidationError([{ code: "BAD_REQUEST", message: `id: the body's id (${body.id}) is not the path's (${id}); ids cannot be changed.` }]);
  compileOr400({ ...body, id });
  const row = await updateFieldTransformation(db(c), c.get("workspaceId"), id, { name: body.name, mappings: body.mappings, lastModifiedBy: by(c) });
  if (!row) throw new NotFoundError(`Field transformation ${id} not found.`);
  invalidateConfig();
  return c.json(ftView(row));
});

fieldTransformationsRoutes.delete("/:id", async (c) => {
  const id = ftIdParam(c);
  if (!(await deleteFieldTransformation(db(c), c.get("workspaceId"), id, by(c)))) throw new NotFoundError(`Field transformation ${id} not found.`);
  invalidateConfig();
  return c.body(null, 204);
});
