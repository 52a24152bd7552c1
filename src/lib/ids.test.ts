import { describe, expect, it } from "vitest";
import { stableId, stableIdRange } from "./ids";

describe("stable ids", () => {
  it("derives per-item ids from one digest: stable, distinct within the run, positive 63-bit decimals", () => {
    const a = stableIdRange("batch-1:events");
    const b = stableIdRange("batch-1:events");
    const ids = Array.from({ length: 1000 }, (_, k) => a(k));
    expect(new Set(ids).size).toBe(1000);
    expect(ids.map((_, k) => b(k))).toEqual(ids);
    for (const id of ids) {
      expect(id).toMatch(/^[1-9]\d*$/);
      expect(BigInt(id) < 2n ** 63n).toBe(true);
    }
    expect(BigInt(a(1)) - BigInt(a(0))).toBe(1n);
  });

  it("gives another run other ids, and stableId stays the SHA-256 form", () => {
    const a = stableIdRange("batch-1:events");
    const c = stableIdRange("batch-2:events");
    expect(c(0)).not.toBe(a(0));
    expect(stableId("session:s1")).toBe(stableId("session:s1"));
    expect(stableId("session:s1")).not.toBe(stableId("session:s2"));
  });
});
