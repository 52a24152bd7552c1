import { describe, expect, it } from "vitest";
import { backoffSeconds, MAX_BACKOFF_SECONDS, QUEUE_MAX_DELAY_SECONDS } from "./retry-policy";

describe("forward retry backoff", () => {
  it("doubles per attempt within the jitter band", () => {
    expect(backoffSeconds(1, 10, undefined, () => 0)).toBe(5);
    expect(backoffSeconds(1, 10, undefined, () => 1)).toBe(10);
    expect(backoffSeconds(3, 10, undefined, () => 0)).toBe(20);
    expect(backoffSeconds(3, 10, undefined, () => 1)).toBe(40);
  });
  it("caps the exponential part", () => {
    expect(backoffSeconds(30, 10, undefined, () => 1)).toBe(MAX_BACKOFF_SECONDS);
  });
  it("never retries sooner than Retry-After, and never beyond the queue's maximum delay", () => {
    expect(backoffSeconds(1, 10, 120, () => 1)).toBe(120);
    expect(backoffSeconds(1, 10, 999_999, () => 1)).toBe(QUEUE_MAX_DELAY_SECONDS);
  });
});
