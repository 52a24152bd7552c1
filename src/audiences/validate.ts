/**
 * Checks of criteria against the account's configuration (pure): calculated attribute names must exist in
 * one of the audience's workspaces, referenced audiences must exist, and references must not form a cycle.
 */
import { referencedAudiences } from "./compile";
import { type Criteria, forEachLeaf, type Issue, parseCriteria } from "./criteria";

export type ValidationContext = {
  /** The audience being written (undefined when creating). */
  selfId?: number;
  /** Calculated attribute names of the audience's workspaces. */
  calculatedAttributes: Set<string>;
  /** The account's other audiences: id → the audience ids their criteria reference. */
  audiences: Map<number, number[]>;
};

/** Parses `raw` and checks its references; every issue names its field. */
export function validateCriteria(raw: unknown, ctx: ValidationContext): { criteria: Criteria | null; issues: Issue[] } {
  const parsed = parseCriteria(raw);
  if (!parsed.criteria) return parsed;
  const issues: Issue[] = [];
  forEachLeaf(parsed.criteria, (leaf, path) => {
    if ("calculated_attribute" in leaf && !ctx.calculatedAttributes.has(leaf.calculated_attribute.attribute_name)) {
      issues.push({ path: `${path}.calculated_attribute.attribute_name`, message: `Unknown calculated attribute "${leaf.calculated_attribute.attribute_name}" in the audience's workspaces` });
    }
    if ("audience" in leaf) {
      const id = leaf.audience.audience_id;
      if (id === ctx.selfId) issues.push({ path: `${path}.audience.audience_id`, message: `An audience cannot reference itself (cycle)` });
      else if (!ctx.audiences.has(id)) issues.push({ path: `${path}.audience.audience_id`, message: `Unknown audience ${id}` });
      else if (ctx.selfId !== undefined && reaches(id, ctx.selfId, ctx.audiences)) {
        issues.push({ path: `${path}.audience.audience_id`, message: `Audience ${id} references audience ${ctx.selfId}: the references would form a cycle` });
      }
    }
  });
  return { criteria: issues.length ? null : parsed.criteria, issues };
}

/** Whether `from` reaches `target` through audience references. */
function reaches(from: number, target: number, graph: Map<number, number[]>): boolean {
  const seen = new Set<number>();
  const stack = [from];
  while (stack.length) {
    const id = stack.pop()!;
    if (id === target) return true;
    if (seen.has(id)) continue;
    seen.add(id);
    stack.push(...(graph.get(id) ?? []));
  }
  return false;
}

export { referencedAudiences };
