import { describe, expect, it } from "vitest";
import { addToBuckets } from "./audience-counts";
import type { Buckets } from "../../audiences";

describe("cached audience counter buckets (addToBuckets)", () => {
  it("adds to an existing bucket, and inserts a new one in ascending order", () => {
    const b: Buckets = [[100, 1], [300, 2]];
    addToBuckets(b, 300, 3);
    addToBuckets(b, 200, 1);
    addToBuckets(b, 50, 4);
    addToBuckets(b, 400, 1);
    expect(b).toEqual([[50, 4], [100, 1], [200, 1], [300, 5], [400, 1]]);
  });

  it("starts an empty counter", () => {
    const b: Buckets = [];
    addToBuckets(b, 10, 2);
    expect(b).toEqual([[10, 2]]);
  });
});
