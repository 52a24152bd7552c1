import { describe, expect, it } from "vitest";
import { dueTimes, nextDue } from "./cadence";

const none = { count: 0, oldest: null, lastUpload: null };
const fb = { maxWaitSeconds: 3 * 3600, maxPending: 75_000 };

describe("audience upload cadence", () => {
  it("holds changes until the oldest has waited the partner's maximum", () => {
    expect(dueTimes({ cadence: fb, add: { count: 10, oldest: 1000, lastUpload: null }, delete: none, now: 2000 }).add).toBe(1000 + 3 * 3600 * 1000);
  });
  it("is due at once when the partner's pending maximum is reached", () => {
    expect(nextDue({ cadence: fb, add: { count: 75_000, oldest: 1000, lastUpload: null }, delete: none, now: 5000 })).toBe(5000);
  });
  it("flush_interval_s shortens the wait", () => {
    expect(nextDue({ cadence: fb, flushIntervalSeconds: 1, add: { count: 1, oldest: 1000, lastUpload: null }, delete: none, now: 1500 })).toBe(2000);
  });
  it("keeps the minimum interval between two uploads of one action, per action", () => {
    const x = { maxWaitSeconds: 60, maxPending: 1000, minIntervalSeconds: 6 * 3600 };
    const d = dueTimes({ cadence: x, add: { count: 1, oldest: 0, lastUpload: 10_000 }, delete: { count: 1, oldest: 0, lastUpload: null }, now: 100_000 });
    expect(d.add).toBe(10_000 + 6 * 3600 * 1000);
    expect(d.delete).toBe(60_000);
  });
  it("a backfill makes adds due now but not deletes", () => {
    const d = dueTimes({ cadence: fb, backfill: true, add: { count: 1, oldest: 0, lastUpload: null }, delete: { count: 1, oldest: 0, lastUpload: null }, now: 50 });
    expect(d.add).toBe(50);
    expect(d.delete).toBe(3 * 3600 * 1000);
  });
  it("nothing pending is never due", () => {
    expect(nextDue({ cadence: fb, add: none, delete: none, now: 0 })).toBe(Infinity);
  });
});
