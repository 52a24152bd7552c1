/**
 * The active calculated attribute definitions of a workspace as profiles evaluate them, through the
 * in-isolate config cache: one D1 read per workspace per TTL, never per batch. A batch takes one snapshot
 * (`version` names it), so it never mixes two definitions.
 */
import { createDb } from ".";
import { cached } from "./cache";
import { activeCalculatedAttributes } from "./queries/calculated-attributes";
import { type CaSpec, compileSpec, type Definition } from "../schema/calculated-attribute";

export type CaSnapshot = { version: string; specs: CaSpec[] };

/** The workspace's active definitions (compiled), with a version naming the snapshot. */
export function calculatedSpecs(env: Env, workspaceId: number): Promise<CaSnapshot> {
  return cached(`ca:${workspaceId}`, async () => {
    const rows = await activeCalculatedAttributes(createDb(env.DB), workspaceId);
    const specs = rows.map((r) => compileSpec(r.id, r.name, r.revision, r.activeDefinition as unknown as Definition));
    return { version: rows.map((r) => `${r.id}.${r.revision}`).join(","), specs };
  });
}
