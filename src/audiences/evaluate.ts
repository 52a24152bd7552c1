/**
 * Audience evaluation, pure: criteria over a profile snapshot and event counts in time buckets, and the next
 * time membership can change without a new event (recency windows emptying or filling), for the profile's alarm.
 */
import { BATCH_TO_IDSYNC, DEVICE_INFO_TO_IDSYNC } from "../identity/identity-types";
import type { ConsentState } from "../privacy/consent";
import type { CompiledAudience, CompiledEventLeaf, CompiledSet } from "./compile";
import { conditionMet } from "./condition";
import type { Criteria, CountOperator, EventLeaf, IdentityLeaf } from "./criteria";

/** Counts of one counter: bucket start (ms) → events, ascending by start. */
export type Buckets = [start: number, count: number][];

/** What evaluation reads of a profile. `workspaceIds`: an audience's workspaces (their data merged). */
export type ProfileSnapshot = {
  attributes(workspaceIds: number[]): Record<string, unknown>;
  calculated(workspaceIds: number[]): Record<string, unknown>;
  identities: { type: string; value: string }[];
  consent(workspaceIds: number[]): ConsentState;
  buckets(counter: string): Buckets;
};

/** Events of a counter inside the window at `now`: a bucket counts until its end leaves the window (never early). */
export function countAt(buckets: Buckets, leaf: Pick<CompiledEventLeaf, "windowMs" | "bucketMs">, now: number): number {
  let n = 0;
  for (const [start, c] of buckets) if (start + leaf.bucketMs + leaf.windowMs > now && start <= now) n += c;
  return n;
}

export function countMet(op: CountOperator, n: number, v: number): boolean {
  switch (op) {
    case "equals": return n === v;
    case "not_equals": return n !== v;
    case "greater_than": return n > v;
    case "greater_or_equal": return n >= v;
    case "less_than": return n < v;
    case "less_than_or_equal": return n <= v;
  }
}

/**
 * The leaf's truth at `now`, and when it changes next with no new event: the buckets leave the window one by
 * one (counts only fall), so walk their expiries in order until the predicate flips (Infinity: never).
 */
export function leafState(buckets: Buckets, leaf: CompiledEventLeaf, now: number): { met: boolean; flipAt: number } {
  const span = leaf.bucketMs + leaf.windowMs;
  let n = countAt(buckets, leaf, now);
  const met = countMet(leaf.operator, n, leaf.value);
  // Buckets are ascending by start, so their expiries are too.
  for (const [s, c] of buckets) {
    if (s > now || s + span <= now) continue;
    n -= c;
    if (countMet(leaf.operator, n, leaf.value) !== met) return { met, flipAt: s + span };
  }
  return { met, flipAt: Infinity };
}

/** When the leaf's truth changes next with no new event (Infinity: never). */
export function leafFlipAt(buckets: Buckets, leaf: CompiledEventLeaf, now: number): number {
  return leafState(buckets, leaf, now).flipAt;
}

const IDENTITY_ALIASES: Record<string, string> = { ...BATCH_TO_IDSYNC, ...DEVICE_INFO_TO_IDSYNC };

function identityMet(leaf: IdentityLeaf["identity"], ids: { type: string; value: string }[]): boolean {
  const type = IDENTITY_ALIASES[leaf.identity_type] ?? leaf.identity_type;
  const values = ids.filter((i) => i.type === type).map((i) => i.value);
  if (leaf.operator === "exists") return values.length > 0;
  if (leaf.operator === "not_exists") return values.length === 0;
  const cond = { type: "string" as const, operator: leaf.operator, attribute_name: type, value: leaf.value ?? null, values: leaf.values ?? null, min_value: null, max_value: null };
  return conditionMet(cond, values.length ? values : undefined);
}

/** Evaluation state of one pass: memberships decided so far (audiences of the set, in dependency order). */
export type MembershipLookup = (audienceId: number) => boolean;

/** Truth of event leaves, computed once per pass. */
type EventTruth = (leaf: EventLeaf) => boolean;

/** Whether the profile meets `c` at `now` (`events`: the truth of its event leaves). */
export function criteriaMet(c: Criteria, a: CompiledAudience, p: ProfileSnapshot, member: MembershipLookup, events: EventTruth): boolean {
  if ("and" in c) return c.and.every((x) => criteriaMet(x, a, p, member, events));
  if ("or" in c) return c.or.some((x) => criteriaMet(x, a, p, member, events));
  if ("exclude" in c) return !criteriaMet(c.exclude, a, p, member, events);
  if ("event" in c) return events(c);
  if ("user_attribute" in c) return conditionMet(c.user_attribute, p.attributes(a.workspaceIds)[c.user_attribute.attribute_name]);
  if ("calculated_attribute" in c) return conditionMet(c.calculated_attribute, p.calculated(a.workspaceIds)[c.calculated_attribute.attribute_name]);
  if ("identity" in c) return identityMet(c.identity, p.identities);
  if ("consent" in c) {
    const state = p.consent(a.workspaceIds);
    const rec = c.consent.regulation === "gdpr" ? state.gdpr?.[c.consent.purpose] : state.ccpa?.data_sale_opt_out;
    return !!rec && rec.consented === c.consent.consented;
  }
  return member(c.audience.audience_id) === c.audience.member;
}

export type Evaluation = {
  /** Audience ids of the set the profile is a member of now. */
  members: Set<number>;
  /** The earliest time a recency window can change a membership of the set without a new event (Infinity: never). */
  nextChangeAt: number;
  /** Per audience of the set: the earliest time its own event leaves can change its membership (Infinity: never). */
  changesAt: Map<number, number>;
};

/**
 * Evaluates every audience of `set` (in dependency order, so an audience-of-audience sees this pass's
 * result); `stored(id)` answers for audiences outside the set (their stored membership).
 */
export function evaluateSet(set: CompiledSet, p: ProfileSnapshot, stored: MembershipLookup, now: number): Evaluation {
  const members = new Set<number>();
  const decided = new Set<number>();
  const member: MembershipLookup = (id) => (decided.has(id) ? members.has(id) : stored(id));
  const changesAt = new Map<number, number>();
  let nextChangeAt = Infinity;
  for (const a of set.audiences) {
    const truth = new Map<EventLeaf, boolean>();
    let at = Infinity;
    for (const [node, leaf] of a.events) {
      const s = leafState(p.buckets(leaf.counter), leaf, now);
      truth.set(node, s.met);
      if (s.flipAt < at) at = s.flipAt;
    }
    if (criteriaMet(a.criteria, a, p, member, (l) => truth.get(l) ?? false)) members.add(a.id);
    decided.add(a.id);
    changesAt.set(a.id, at);
    if (at < nextChangeAt) nextChangeAt = at;
  }
  return { members, nextChangeAt, changesAt };
}
