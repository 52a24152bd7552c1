import { describe, expect, it } from "vitest";
import { decimal } from "./decimal";

describe("decimal (line numbers as text, outside V8's number-to-string cache)", () => {
  it("writes every integer as String does", () => {
    for (const n of [0, 1, 9, 10, 99, 100, 999, 1000, 1001, 1010, 10_000, 100_100, 999_999, 1_000_000, 2_000_001, 5_000_000, 123_456_789, 2 ** 31, Number.MAX_SAFE_INTEGER]) expect(decimal(n)).toBe(String(n));
    for (let n = 0; n < 30_000; n += 7) expect(decimal(n)).toBe(String(n));
  });

  it("falls back to String for what is not a non-negative safe integer", () => {
    for (const n of [-1, 1.5, Number.NaN, 2 ** 60]) expect(decimal(n)).toBe(String(n));
  });
});
