import { describe, expect, it } from "vitest";
import { type AudienceDefinition, compileSet, conditionMet, conditionSchema, countAt, evaluateSet, eventFacts, eventMatches, leafFlipAt, parseCriteria, type ProfileSnapshot, validateCriteria } from ".";
import type { Buckets } from "./evaluate";

const cond = (c: Record<string, unknown>) => conditionSchema.parse(c);
let version = 1;
const set = (audiences: (Omit<AudienceDefinition, "workspaceIds" | "criteria"> & { criteria: unknown })[]) =>
  compileSet({ workspaceId: 1, version: version++, audiences: audiences.map((a) => ({ ...a, workspaceIds: [1], criteria: JSON.stringify(parseCriteria(a.criteria).criteria!) })) });

function snapshot(over: Partial<ProfileSnapshot> & { counts?: Record<string, Buckets> } = {}): ProfileSnapshot {
  return {
    attributes: () => ({}),
    calculated: () => ({}),
    identities: [],
    consent: () => ({}),
    buckets: (k) => over.counts?.[k] ?? [],
    ...over,
  };
}

describe("conditions", () => {
  it("matches strings case-insensitively, with patterns and lists", () => {
    expect(conditionMet(cond({ type: "string", operator: "equals", attribute_name: "a", value: "Gold" }), "gold")).toBe(true);
    expect(conditionMet(cond({ type: "string", operator: "pattern", attribute_name: "a", value: "g?l*" }), "GOLDEN")).toBe(true);
    expect(conditionMet(cond({ type: "string", operator: "in_list", attribute_name: "a", values: ["x", "Y"] }), ["z", "y"])).toBe(true);
    expect(conditionMet(cond({ type: "string", operator: "not_contains", attribute_name: "a", value: "ol" }), ["gold"])).toBe(false);
  });
  it("treats a missing attribute as not met except for not_exists", () => {
    expect(conditionMet(cond({ type: "string", operator: "not_equals", attribute_name: "a", value: "x" }), undefined)).toBe(false);
    expect(conditionMet(cond({ type: "string", operator: "not_exists", attribute_name: "a" }), undefined)).toBe(true);
  });
  it("compares numbers (numeric strings coerced), booleans and dates (before exclusive, after inclusive, whole UTC day)", () => {
    expect(conditionMet(cond({ type: "number", operator: "between", attribute_name: "a", min_value: 1, max_value: "3" }), "3")).toBe(true);
    expect(conditionMet(cond({ type: "number", operator: "greater_than", attribute_name: "a", value: "2" }), "abc")).toBe(false);
    expect(conditionMet(cond({ type: "boolean", operator: "equals", attribute_name: "a", value: "true" }), "TRUE")).toBe(true);
    const day = cond({ type: "date", operator: "equals", attribute_name: "a", value: "2026-01-02" });
    expect(conditionMet(day, "2026-01-02T23:59:59Z")).toBe(true);
    expect(conditionMet(day, Date.parse("2026-01-03T00:00:00Z"))).toBe(false);
    expect(conditionMet(cond({ type: "date", operator: "after", attribute_name: "a", value: "2026-01-02" }), "2026-01-02T00:00:00Z")).toBe(true);
    expect(conditionMet(cond({ type: "date", operator: "before", attribute_name: "a", value: "2026-01-02" }), "2026-01-02T00:00:00Z")).toBe(false);
  });
  it("refuses an operator the type does not support and misplaced value slots, with the docs' messages", () => {
    const r = conditionSchema.safeParse({ type: "boolean", operator: "contains", attribute_name: "a", value: "x" });
    expect(r.success ? [] : r.error.issues.map((i) => i.message)).toEqual(["Invalid boolean condition operator"]);
    const s = conditionSchema.safeParse({ type: "number", operator: "between", attribute_name: "a", value: "1", min_value: "x", max_value: "2" });
    expect(s.success ? [] : s.error.issues.map((i) => i.message)).toEqual(["Condition value must be empty", "Invalid numeric condition minimum value"]);
  });
});

describe("criteria parsing", () => {
  it("names the field of a bad leaf", () => {
    const r = parseCriteria({ and: [{ user_attribute: { type: "string", operator: "equals", attribute_name: "x", value: "y" } }, { event: { event_name: "x" } }] });
    expect(r.issues).toEqual([{ path: "criteria.and[1].event.event_type", message: expect.any(String) }]);
  });
  it("refuses nesting deeper than 8 levels without recursing further", () => {
    let c: unknown = { identity: { identity_type: "email", operator: "exists" } };
    for (let i = 0; i < 5000; i++) c = { exclude: c };
    const r = parseCriteria(c);
    expect(r.criteria).toBeNull();
    expect(r.issues).toHaveLength(1);
    expect(r.issues[0]!.message).toMatch(/at most 8 levels/);
    expect(r.issues[0]!.path).toBe("criteria" + ".exclude".repeat(9));
  });
  it("refuses more than 100 leaves", () => {
    const leaf = { identity: { identity_type: "email", operator: "exists" } };
    expect(parseCriteria({ or: Array(100).fill(leaf) }).issues).toEqual([]);
    const r = parseCriteria({ or: Array(101).fill(leaf) });
    expect(r.issues).toEqual([{ path: "criteria.or[100]", message: "criteria may have at most 100 leaves" }]);
  });
  it("refuses a window past 90 days and unknown node kinds", () => {
    expect(parseCriteria({ event: { event_type: "custom_event" }, within: { within: 13, within_unit: "weeks" } }).issues[0]!.path).toBe("criteria.within.within");
    expect(parseCriteria({ nand: [] }).issues[0]!.path).toBe("criteria");
  });
});

describe("reference validation", () => {
  const ctx = { calculatedAttributes: new Set(["ltv"]), audiences: new Map([[1, [2]], [2, []], [3, []]]) };
  it("names unknown calculated attributes and audiences", () => {
    const r = validateCriteria({ and: [{ calculated_attribute: { type: "number", operator: "greater_than", attribute_name: "ltw", value: "1" } }, { audience: { audience_id: 9, member: true } }] }, ctx);
    expect(r.issues.map((i) => i.path)).toEqual(["criteria.and[0].calculated_attribute.attribute_name", "criteria.and[1].audience.audience_id"]);
  });
  it("refuses a reference that closes a cycle", () => {
    expect(validateCriteria({ audience: { audience_id: 1, member: true } }, { ...ctx, selfId: 2 }).issues[0]!.message).toMatch(/cycle/);
    expect(validateCriteria({ audience: { audience_id: 3, member: true } }, { ...ctx, selfId: 2 }).issues).toEqual([]);
    expect(validateCriteria({ audience: { audience_id: 2, member: false } }, { ...ctx, selfId: 2 }).issues[0]!.message).toMatch(/itself/);
  });
});

describe("evaluation", () => {
  const now = 10_000_000_000;
  it("combines and / or / exclude over profile leaves", () => {
    const s = set([
      {
        id: 1,
        name: "gold not opted out",
        criteria: {
          and: [
            { or: [{ user_attribute: { type: "string", operator: "equals", attribute_name: "tier", value: "gold" } }, { identity: { identity_type: "customer_id", operator: "exists" } }] },
            { exclude: { consent: { regulation: "ccpa", consented: true } } },
          ],
        },
      },
    ]);
    const base = { attributes: () => ({ tier: "GOLD" }) };
    expect(evaluateSet(s, snapshot(base), () => false, now).members.has(1)).toBe(true);
    expect(evaluateSet(s, snapshot({ consent: () => ({ ccpa: { data_sale_opt_out: { consented: true, document: null, timestamp_unixtime_ms: 1, location: null, hardware_id: null } } }), ...base }), () => false, now).members.has(1)).toBe(false);
    expect(evaluateSet(s, snapshot({ identities: [{ type: "customerid", value: "c1" }] }), () => false, now).members.has(1)).toBe(true);
    expect(evaluateSet(s, snapshot(), () => false, now).members.has(1)).toBe(false);
  });

  it("evaluates an audience of audiences after the audience it references, in the same pass", () => {
    const s = set([
      { id: 5, name: "not in 3", criteria: { audience: { audience_id: 3, member: false } } },
      { id: 3, name: "gdpr marketing", criteria: { consent: { regulation: "gdpr", purpose: "Marketing", consented: true } } },
    ]);
    expect(s.audiences.map((a) => a.id)).toEqual([3, 5]);
    const consent = () => ({ gdpr: { marketing: { consented: true, document: null, timestamp_unixtime_ms: 1, location: null, hardware_id: null } } });
    expect([...evaluateSet(s, snapshot({ consent }), () => true, now).members]).toEqual([3]);
    expect([...evaluateSet(s, snapshot(), () => true, now).members]).toEqual([5]);
  });

  it("counts events in the window and says when a membership ends without new events", () => {
    const s = set([{ id: 1, name: "bought in the last hour", criteria: { event: { event_type: "commerce_event", custom_event_type: "purchase" }, within: { within: 1, within_unit: "hours" } } }]);
    const counter = s.counters[0]!;
    expect(counter.bucketMs).toBe(60_000);
    const bucket = Math.floor((now - 30 * 60_000) / 60_000) * 60_000;
    const counts = { [counter.key]: [[bucket, 1]] as Buckets };
    const e = evaluateSet(s, snapshot({ counts }), () => false, now);
    expect(e.members.has(1)).toBe(true);
    expect(e.nextChangeAt).toBe(bucket + 60_000 + 3_600_000);
    expect(evaluateSet(s, snapshot({ counts }), () => false, e.nextChangeAt).members.has(1)).toBe(false);
    expect(evaluateSet(s, snapshot({ counts }), () => false, e.nextChangeAt - 1).members.has(1)).toBe(true);
  });

  it("finds when a 'fewer than' leaf becomes true as old events leave the window", () => {
    const s = set([{ id: 1, name: "fewer than 2 sessions in 10 minutes", criteria: { event: { event_type: "session_start" }, count: { operator: "less_than", value: 2 }, within: { within: 10, within_unit: "minutes" } } }]);
    const leaf = [...s.audiences[0]!.events.values()][0]!;
    const b: Buckets = [[now - 300_000, 1], [now - 200_000, 2]];
    expect(countAt(b, leaf, now)).toBe(3);
    expect(leafFlipAt(b, leaf, now)).toBe(now - 200_000 + leaf.bucketMs + 600_000);
  });

  it("matches events on type, custom type, name and attribute conditions, in the audience's workspaces only", () => {
    const s = set([{ id: 1, name: "x", criteria: { event: { event_type: "custom_event", custom_event_type: "navigation", event_name: "Video Watched", conditions: [{ type: "number", operator: "greater_than", attribute_name: "duration_s", value: "30" }] } } }]);
    const c = s.counters[0]!;
    const e = (ws: number, d: Record<string, unknown>) => eventFacts(ws, { event_type: "custom_event", data: { custom_event_type: "navigation", event_name: "video watched", ...d } }, now);
    expect(eventMatches(c, e(1, { custom_attributes: { duration_s: 42 } }))).toBe(true);
    expect(eventMatches(c, e(1, { custom_attributes: { duration_s: 12 } }))).toBe(false);
    expect(eventMatches(c, e(2, { custom_attributes: { duration_s: 42 } }))).toBe(false);
    // Names compared without case however many distinct names went by before (lower-cased names are remembered, bounded).
    for (let i = 0; i < 1500; i++) expect(eventMatches(c, e(1, { event_name: `Video Watched ${i}`, custom_attributes: { duration_s: 42 } }))).toBe(false);
    expect(eventMatches(c, e(1, { event_name: "VIDEO WATCHED", custom_attributes: { duration_s: 42 } }))).toBe(true);
    expect(eventFacts(1, { event_type: "commerce_event", data: { product_action: { action: "purchase" } } }, now).customType).toBe("purchase");
  });

  it("shares one counter between leaves that ask the same", () => {
    const leaf = { event: { event_type: "screen_view", event_name: "Home" } };
    const s = set([
      { id: 1, name: "a", criteria: leaf },
      { id: 2, name: "b", criteria: { ...leaf, count: { operator: "greater_than", value: 3 } } },
    ]);
    expect(s.counters).toHaveLength(1);
  });
});
