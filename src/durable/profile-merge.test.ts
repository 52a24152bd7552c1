import { describe, expect, it } from "vitest";
import { attributeWrites, liveAttributes, SOURCE_RANK, type StoredAttribute } from "./profile-merge";

const stored = (o: Record<string, [unknown, number, boolean?]>) =>
  new Map(Object.entries(o).map(([k, [value, ts, deleted]]) => [k, { value, ts, deleted: !!deleted } as StoredAttribute]));

describe("user attribute merge", () => {
  it("sets new attributes and overwrites older ones", () => {
    const cur = stored({ plan: ["free", 100] });
    const w = attributeWrites(cur, { plan: "premium", age: 42 }, undefined, 200);
    expect(liveAttributes(cur, w)).toEqual({ plan: "premium", age: 42 });
  });
  it("never lets an older batch overwrite a newer value", () => {
    const cur = stored({ plan: ["premium", 300] });
    expect(attributeWrites(cur, { plan: "free" }, undefined, 200)).toEqual([]);
  });
  it("deletes with a tombstone that blocks an older re-set", () => {
    const cur = stored({ plan: ["premium", 100] });
    const w = attributeWrites(cur, undefined, ["plan"], 200);
    expect(w).toEqual([{ name: "plan", value: null, ts: 200, deleted: true, rank: 1, source: 0 }]);
    expect(liveAttributes(cur, w)).toEqual({});
    const tomb = stored({ plan: [null, 200, true] });
    expect(attributeWrites(tomb, { plan: "old" }, undefined, 150)).toEqual([]);
    expect(attributeWrites(tomb, { plan: "new" }, undefined, 250)).toHaveLength(1);
  });
  it("never lets a lower-priority source type overwrite a key set by a higher one, whatever the time", () => {
    const cur = new Map([["tier", { value: "gold", ts: 100, deleted: false, rank: SOURCE_RANK.platform, source: 1 } as StoredAttribute]]);
    expect(attributeWrites(cur, { tier: "silver" }, undefined, 500, { rank: SOURCE_RANK.partner_feed, input: 9 })).toEqual([]);
    const fromFeed = new Map([["tier", { value: "silver", ts: 500, deleted: false, rank: SOURCE_RANK.partner_feed, source: 9 } as StoredAttribute]]);
    expect(attributeWrites(fromFeed, { tier: "gold" }, undefined, 100, { rank: SOURCE_RANK.platform, input: 1 })).toEqual([]);
    expect(attributeWrites(fromFeed, { tier: "gold" }, undefined, 600, { rank: SOURCE_RANK.platform, input: 1 })).toHaveLength(1);
  });
  it("keeps lists as given", () => {
    const w = attributeWrites(new Map(), { colors: ["red", "green"] }, undefined, 1);
    expect(liveAttributes(new Map(), w)).toEqual({ colors: ["red", "green"] });
  });
});
