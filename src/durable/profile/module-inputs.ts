/**
 * The per-batch modules' inputs of a workspace, read by the profile itself from the isolate's configuration
 * cache (`ProfileIngest.moduleInputs: "workspace"`): the ingest consumer then sends no copy of the workspace's
 * calculated attribute definitions and audiences with every batch (the structured clone of both was the
 * largest cost of a batch's call with 20 of each). One D1 read per workspace per cache TTL and isolate.
 */
import { audienceSetOf } from "../../db/audience-cache";
import { calculatedSpecs } from "../../db/ca-cache";
import type { ModuleInputs } from "./modules";

export async function workspaceModuleInputs(env: Env, workspaceId: number): Promise<ModuleInputs> {
  const [calculatedAttributes, audiences] = await Promise.all([calculatedSpecs(env, workspaceId), audienceSetOf(env, workspaceId)]);
  return { calculatedAttributes, audiences };
}
