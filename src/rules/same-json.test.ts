import { describe, expect, it } from "vitest";
import { sameJson } from "./same-json";

describe("sameJson: is a parsed answer the batch the rule was sent?", () => {
  const sent = { environment: "development", user_attributes: { plan: "premium", n: 3 }, events: [{ event_type: "custom_event", data: { event_name: "Open", custom_attributes: { a: "1" } } }] };

  it("is true for the same JSON, key order aside, and for what JSON.stringify would drop or write as null", () => {
    expect(sameJson(JSON.parse(JSON.stringify(sent)), sent)).toBe(true);
    expect(sameJson({ events: sent.events, user_attributes: { n: 3, plan: "premium" }, environment: "development" }, sent)).toBe(true);
    expect(sameJson({ a: 1 }, { a: 1, gone: undefined })).toBe(true);
    expect(sameJson([null, 1], [undefined, 1])).toBe(true);
  });

  it("is false for any change: a value, a key more or less, an array's length, types", () => {
    const changed = JSON.parse(JSON.stringify(sent));
    changed.events[0].data.custom_attributes.a = "2";
    expect(sameJson(changed, sent)).toBe(false);
    expect(sameJson({ ...sent, extra: 1 }, sent)).toBe(false);
    const { environment: _e, ...less } = sent;
    expect(sameJson(less, sent)).toBe(false);
    expect(sameJson({ ...sent, events: [] }, sent)).toBe(false);
    expect(sameJson({ a: "1" }, { a: 1 })).toBe(false);
    expect(sameJson({ a: [] }, { a: {} })).toBe(false);
    expect(sameJson(null, sent)).toBe(false);
    expect(sameJson({}, null)).toBe(false);
  });

  it("answers false where it cannot decide: non-finite numbers, objects of other types, nesting beyond its depth", () => {
    expect(sameJson(NaN, NaN)).toBe(false);
    expect(sameJson(Infinity, Infinity)).toBe(false);
    expect(sameJson({}, new Map())).toBe(false);
    let deep: unknown = 1;
    for (let i = 0; i < 100; i++) deep = [deep];
    expect(sameJson(JSON.parse(JSON.stringify(deep)), deep)).toBe(false);
  });
});
