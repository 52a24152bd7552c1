/** The API object of a field transformation, its compilation for the API (400 when it does not compile) and the path id. */
import { NotFoundError, ValidationError } from "../../lib/errors";
import { FT_ID, type FtDefinition } from "../../schema/field-transformation";
import { findFieldTransformation, type FieldTransformationRow } from "../../db/queries/field-transformations";
import { CompileError, compileTransformation, type CompiledTransformation } from "../../transforms";
import { db, type V2Context } from "./common";

export { ftView } from "../../db/queries/field-transformations";

/** The workspace's transformation `{id}` of the path, or 404 (unknown or deleted). */
export async function liveFt(c: V2Context, id: string): Promise<FieldTransformationRow> {
  const row = await findFieldTransformation(db(c), c.get("workspaceId"), id);
  if (!row || row.deletedAt !== null) throw new NotFoundError(`Field transformation ${id} not found.`);
  return row;
}

/** The compiled definition, or 400 naming the mapping that does not compile. */
export function compileOr400(def: FtDefinition): CompiledTransformation {
  try {
    return compileTransformation(def);
  } catch (err) {
    if (err instanceof CompileError) throw new ValidationError([{ code: "BAD_REQUEST", message: err.message }]);
    throw err;
  }
}

/** The `{id}` of the path, or 404 (an id with other characters cannot exist). */
export function ftIdParam(c: V2Context): string {
  const id = c.req.param("id") ?? "";
  if (!FT_ID.test(id)) throw new NotFoundError(`Field transformation ${id.slice(0, 140)} not found.`);
  return id;
}
