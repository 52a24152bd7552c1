/** The API object of a field transformation, its compilation for the API (400 when it does not compile) and the path id. */
import { NotFoundError, ValidationError } from "../../lib/errors";
import { FT_ID, type FtDefinition } from "../../schema/field-transformation";
import type { FieldTransformationRow } from "../../db/queries/field-transformations";
import { CompileError, compileTransformation, type CompiledTransformation } from "../../transforms";
import type { V2Context } from "./common";

/** The API object. */
export function ftView(r: FieldTransformationRow): FtDefinition {
  return { id: r.ftId, name: r.name, destination_type: "event_batch", mappings: r.mappings as FtDefinition["mappings"] };
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
