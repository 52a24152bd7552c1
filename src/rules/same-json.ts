/**
 * Whether a rule's answer is the batch it was sent (docs/rules.md "Calling a rule"): then the batch goes on as it
 * was, without parsing and checking the same data again (src/rules/run.ts).
 */

/** Deepest nesting compared; deeper answers count as changed (and get the full contract check). */
const MAX_DEPTH = 64;

/**
 * True when `a` (JSON data: what `JSON.parse` gave) is the same JSON as `b` (what the rule was sent): what
 * `JSON.stringify` of each would give is equal, key order aside. A property of `b` set to `undefined` counts as
 * absent, and `undefined` in an array as `null`, as JSON writes them. Anything it cannot decide is "changed".
 */
export function sameJson(a: unknown, b: unknown, depth = 0): boolean {
  if (a === b) return typeof a !== "number" || Number.isFinite(a);
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null || depth > MAX_DEPTH) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i], b[i] === undefined ? null : b[i], depth + 1)) return false;
    return true;
  }
  if (Array.isArray(b) || Object.getPrototypeOf(b) !== Object.prototype) return false;
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  let n = 0;
  for (const k in bo) {
    if (!Object.hasOwn(bo, k) || bo[k] === undefined) continue;
    if (!Object.hasOwn(ao, k) || !sameJson(ao[k], bo[k], depth + 1)) return false;
    n++;
  }
  return Object.keys(ao).length === n;
}
