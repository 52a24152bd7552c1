/**
 * Field transformations as the pipeline uses them: read through the in-isolate config cache (one D1 read per
 * workspace and id per TTL, never per row or batch) and compiled once per (generation, version) in this isolate.
 */
import { createDb } from "../db";
import { cached } from "../db/cache";
import { findFieldTransformation, ftView } from "../db/queries/field-transformations";
import type { FtDefinition } from "../schema/field-transformation";
import { type CompiledTransformation, compileTransformation } from "./compile";

/** A live transformation, compiled, with the version it was compiled from. */
export type LoadedTransformation = { compiled: CompiledTransformation; generation: string; version: number };

/** Compiled forms by `generation:version` (at most COMPILED_MAX; the oldest entry goes first). */
const compiledByVersion = new Map<string, CompiledTransformation>();
const COMPILED_MAX = 500;

/** The compiled form of a stored definition, reused while its version is unchanged. */
export function compiledFor(generation: string, version: number, def: FtDefinition): CompiledTransformation {
  const key = `${generation}:${version}`;
  let c = compiledByVersion.get(key);
  if (!c) {
    c = compileTransformation(def);
    if (compiledByVersion.size >= COMPILED_MAX) compiledByVersion.delete(compiledByVersion.keys().next().value!);
    compiledByVersion.set(key, c);
  }
  return c;
}

/** Workspace `workspaceId`'s transformation `ftId`, compiled; null when it does not exist or was deleted. */
export function fieldTransformation(env: Env, workspaceId: number, ftId: string): Promise<LoadedTransformation | null> {
  return cached(`ft:${workspaceId}:${ftId}`, async () => {
    const row = await findFieldTransformation(createDb(env.DB), workspaceId, ftId);
    if (!row || row.deletedAt !== null) return null;
    return { compiled: compiledFor(row.generation, row.version, ftView(row)), generation: row.generation, version: row.version };
  });
}
