import { describe, expect, it } from "vitest";
import { ALIAS_MAX_WINDOW_MS, type AliasCheck, validateAlias } from "./alias";

const now = 1_800_000_000_000;
const none = { source: [], destination: false };
const base: AliasCheck = { source: "1", destination: "2", sourceExists: true, destinationExists: true, sourceRoles: none, destinationRoles: none, now };

describe("alias validation", () => {
  it("defaults the window to the last 90 days", () => {
    expect(validateAlias(base)).toEqual({ start: now - ALIAS_MAX_WINDOW_MS, end: now });
  });
  const refused: [string, Partial<AliasCheck>, RegExp][] = [
    ["same source and destination", { destination: "1" }, /differ/],
    ["start after end", { start: now - 10, end: now - 20 }, /Invalid time range/],
    ["start beyond the max window", { start: now - ALIAS_MAX_WINDOW_MS - 1 }, /90-day/],
    ["end in the future", { end: now + 3600_000 }, /future/],
    ["unknown source", { sourceExists: false }, /source_mpid 1 was not found/],
    ["unknown destination", { destinationExists: false }, /destination_mpid 2 was not found/],
    ["source previously a destination", { sourceRoles: { source: [], destination: true } }, /previously the destination/],
    ["destination previously a source", { destinationRoles: { source: [{ start: 0, end: 1, destination: "9" }], destination: false } }, /previously the source/],
    ["source already aliased for an overlapping window", { start: now - 1000, end: now, sourceRoles: { source: [{ start: now - 500, end: now + 5, destination: "7" }], destination: false } }, /overlapping/],
  ];
  for (const [name, patch, why] of refused) {
    it(`refuses: ${name}`, () => {
      const r = validateAlias({ ...base, ...patch });
      expect("error" in r && r.error).toMatch(why);
    });
  }
  it("accepts a source aliased before for a window that does not overlap", () => {
    const r = validateAlias({ ...base, start: now - 100, end: now, sourceRoles: { source: [{ start: now - 1000, end: now - 200, destination: "7" }], destination: false } });
    expect(r).toEqual({ start: now - 100, end: now });
  });
});
