/**
 * Nesting depth cap of inbound batches. JSON.parse accepts any depth, but serializing a value nested
 * thousands of levels deep (measuring and queueing a batch) overflows the stack: such a batch could never
 * be handed off, and answering 503 would make clients retry it forever. The deepest field of the JSON
 * reference is 8 levels down (batch → events → event → data → product_action → products → product →
 * custom_attributes); free-form maps (`custom_flags`, `integration_attributes`, unknown fields) get room
 * to spare.
 */

/** Most nested levels of objects and arrays in a batch, the batch itself being level 1 (our bound; mParticle documents none). */
export const MAX_NESTING_DEPTH = 32;

/** Message of the issue raised for a value nested too deeply. */
export const TOO_DEEP_MESSAGE = `Nested deeper than ${MAX_NESTING_DEPTH} levels of objects and arrays (the batch being the first); the value cannot be processed.`;

/**
 * Paths of the objects and arrays that sit deeper than `max` levels (the root is level 1): one path per
 * subtree cut off, at most `limit` of them. Never recurses deeper than `max`, so it cannot overflow itself.
 */
export function tooDeepPaths(root: unknown, max = MAX_NESTING_DEPTH, limit = 1_000): PropertyKey[][] {
  const out: PropertyKey[][] = [];
  // Every batch is checked: first a walk that records no paths, which is all a batch within the cap needs.
  if (typeof root !== "object" || root === null || !deeperThan(root, 1, max)) return out;
  const path: PropertyKey[] = [];
  const visit = (v: unknown, level: number): void => {
    if (out.length >= limit) return;
    if (level > max) {
      out.push([...path]);
      return;
    }
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        const e: unknown = v[i];
        if (typeof e !== "object" || e === null) continue;
        path.push(i);
        visit(e, level + 1);
        path.pop();
      }
    } else {
      for (const k in v as Record<string, unknown>) {
        if (!Object.hasOwn(v as object, k)) continue;
        const e = (v as Record<string, unknown>)[k];
        if (typeof e !== "object" || e === null) continue;
        path.push(k);
        visit(e, level + 1);
        path.pop();
      }
    }
  };
  if (typeof root === "object" && root !== null) visit(root, 1);
  return out;
}

/** True when `v` (at `level`) holds an object or array deeper than `max` levels. Recurses at most `max` + 1 deep. */
function deeperThan(v: object, level: number, max: number): boolean {
  if (level > max) return true;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const e: unknown = v[i];
      if (typeof e === "object" && e !== null && deeperThan(e, level + 1, max)) return true;
    }
  } else {
    for (const k in v) {
      if (!Object.hasOwn(v, k)) continue;
      const e = (v as Record<string, unknown>)[k];
      if (typeof e === "object" && e !== null && deeperThan(e, level + 1, max)) return true;
    }
  }
  return false;
}
