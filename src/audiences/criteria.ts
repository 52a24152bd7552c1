/**
 * Audience criteria, our JSON for mParticle's audience builder (audiences.md §4.3, issue 19): `{"and":[…]}`,
 * `{"or":[…]}`, `{"exclude":{…}}` (And / Or / Exclude = not) over leaves — event (with count and recency),
 * user attribute, calculated attribute, identity, consent, audience membership. Pure parsing with the paths of
 * every problem (`criteria.and[1].event.event_type: …`); references (CAs, audiences) are checked in `validate.ts`.
 */
import { z } from "zod";
import { type Condition, conditionSchema } from "./condition";

/** Nesting limit of and/or/exclude (issue 19). */
export const MAX_DEPTH = 8;
/** Leaves per audience (issue 19). */
export const MAX_LEAVES = 100;
/** The longest recency window: mParticle's real-time lookback is commonly 30, 60 or 90 days (audiences.md §3). */
export const MAX_WINDOW_MS = 90 * 86_400_000;
/** Default recency of an event leaf: "greater than 0 events in the last 30 days" (audiences.md §4.3). */
export const DEFAULT_WITHIN = { within: 30, within_unit: "days" } as const;

export const WITHIN_UNITS = { minutes: 60_000, hours: 3_600_000, days: 86_400_000, weeks: 604_800_000 } as const;
export const COUNT_OPERATORS = ["equals", "not_equals", "greater_than", "greater_or_equal", "less_than", "less_than_or_equal"] as const;
export type CountOperator = (typeof COUNT_OPERATORS)[number];

const eventSpec = z.strictObject({
  event_type: z.string().trim().min(1).max(64),
  custom_event_type: z.string().trim().min(1).max(64).nullish(),
  event_name: z.string().trim().min(1).max(256).nullish(),
  conditions: z.array(conditionSchema).max(20).nullish(),
});
const countSpec = z.strictObject({ operator: z.enum(COUNT_OPERATORS), value: z.coerce.number().int().min(0).max(1_000_000) });
const withinSpec = z
  .strictObject({ within: z.coerce.number().int().min(1), within_unit: z.enum(Object.keys(WITHIN_UNITS) as [keyof typeof WITHIN_UNITS]) })
  .refine((w) => w.within * WITHIN_UNITS[w.within_unit] <= MAX_WINDOW_MS, { message: `The window may not exceed ${MAX_WINDOW_MS / 86_400_000} days`, path: ["within"] });

const LEAVES = {
  event: z.strictObject({ event: eventSpec, count: countSpec.optional(), within: withinSpec.optional() }),
  user_attribute: z.strictObject({ user_attribute: conditionSchema }),
  calculated_attribute: z.strictObject({ calculated_attribute: conditionSchema }),
  identity: z.strictObject({
    identity: z.strictObject({
      identity_type: z.string().trim().min(1).max(64),
      operator: z.enum(["exists", "not_exists", "equals", "not_equals", "contains", "not_contains", "pattern", "in_list"]),
      value: z.string().max(1024).nullish(),
      values: z.array(z.string().max(1024)).max(1000).nullish(),
    }),
  }),
  consent: z.strictObject({
    consent: z.discriminatedUnion("regulation", [
      z.strictObject({ regulation: z.literal("gdpr"), purpose: z.string().trim().toLowerCase().min(1).max(256), consented: z.boolean() }),
      z.strictObject({ regulation: z.literal("ccpa"), purpose: z.literal("data_sale_opt_out").optional(), consented: z.boolean() }),
    ]),
  }),
  audience: z.strictObject({ audience: z.strictObject({ audience_id: z.coerce.number().int().positive(), member: z.boolean().default(true) }) }),
} as const;

export type EventLeaf = z.output<(typeof LEAVES)["event"]>;
export type IdentityLeaf = z.output<(typeof LEAVES)["identity"]>;
export type ConsentLeaf = z.output<(typeof LEAVES)["consent"]>;
export type AudienceLeaf = z.output<(typeof LEAVES)["audience"]>;
export type Leaf = EventLeaf | { user_attribute: Condition } | { calculated_attribute: Condition } | IdentityLeaf | ConsentLeaf | AudienceLeaf;
export type Criteria = { and: Criteria[] } | { or: Criteria[] } | { exclude: Criteria } | Leaf;

export type Issue = { path: string; message: string };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const KINDS = ["and", "or", "exclude", ...Object.keys(LEAVES)];

/**
 * Parses criteria (raw JSON) into the typed tree; `issues` lists every problem with its path under `path`.
 * Depth past MAX_DEPTH and leaves past MAX_LEAVES stop the walk (input is never recursed into unboundedly).
 */
export function parseCriteria(raw: unknown, path = "criteria"): { criteria: Criteria | null; issues: Issue[] } {
  const issues: Issue[] = [];
  let leaves = 0;
  const walk = (node: unknown, p: string, depth: number): Criteria | null => {
    if (!isObject(node)) return void issues.push({ path: p, message: "must be an object with one of " + KINDS.join(", ") }), null;
    const keys = Object.keys(node);
    const kind = keys.find((k) => KINDS.includes(k));
    if (!kind) return void issues.push({ path: p, message: `must have one of ${KINDS.join(", ")}` }), null;
    if (kind === "and" || kind === "or" || kind === "exclude") {
      if (keys.length !== 1) return void issues.push({ path: p, message: `"${kind}" must be the node's only key` }), null;
      if (depth >= MAX_DEPTH) return void issues.push({ path: `${p}.${kind}`, message: `criteria may nest at most ${MAX_DEPTH} levels of and/or/exclude` }), null;
      if (kind === "exclude") {
        const inner = walk(node.exclude, `${p}.exclude`, depth + 1);
        return inner && { exclude: inner };
      }
      const list = node[kind];
      if (!Array.isArray(list) || list.length === 0) return void issues.push({ path: `${p}.${kind}`, message: "must be a non-empty array" }), null;
      const out: Criteria[] = [];
      for (let i = 0; i < list.length; i++) {
        if (leaves > MAX_LEAVES) break;
        const c = walk(list[i], `${p}.${kind}[${i}]`, depth + 1);
        if (c) out.push(c);
      }
      return out.length === list.length ? ({ [kind]: out } as Criteria) : null;
    }
    if (++leaves === MAX_LEAVES + 1) issues.push({ path: p, message: `criteria may have at most ${MAX_LEAVES} leaves` });
    if (leaves > MAX_LEAVES) return null;
    const r = LEAVES[kind as keyof typeof LEAVES].safeParse(node);
    if (!r.success) {
      for (const i of r.error.issues.slice(0, 10)) issues.push({ path: [p, ...i.path.map((s) => (typeof s === "number" ? `[${s}]` : String(s)))].join(".").replace(/\.\[/g, "["), message: i.message });
      return null;
    }
    return r.data as Criteria;
  };
  const criteria = walk(raw, path, 0);
  return { criteria: issues.length ? null : criteria, issues };
}

/** Calls `fn` for every leaf with its path. */
export function forEachLeaf(c: Criteria, fn: (leaf: Leaf, path: string) => void, path = "criteria"): void {
  if ("and" in c) c.and.forEach((x, i) => forEachLeaf(x, fn, `${path}.and[${i}]`));
  else if ("or" in c) c.or.forEach((x, i) => forEachLeaf(x, fn, `${path}.or[${i}]`));
  else if ("exclude" in c) forEachLeaf(c.exclude, fn, `${path}.exclude`);
  else fn(c, path);
}

/** Whether boolean logic builds the audience (`is_calculated`, audiences.md §4.1): and / or / exclude at the root. */
export function usesLogic(c: Criteria): boolean {
  return "and" in c || "or" in c || "exclude" in c;
}
