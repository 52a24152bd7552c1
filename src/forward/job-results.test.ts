import { describe, expect, it } from "vitest";
import { applyAnswer, applyDrops, emptyResults, failedEvents } from "./job-results";

const res = { status: 200, headers: {}, body: "" };
const req = (jobs: number[]) => ({ method: "POST" as const, url: "https://p.example/x", headers: {}, jobs });

describe("job results", () => {
  it("keeps the worst whole-request outcome per job (ok < retryable < permanent)", () => {
    const r = emptyResults(2);
    applyAnswer(r, 0, req([0, 1]), { kind: "retryable", reason: "503" }, { ...res, status: 503 });
    applyAnswer(r, 0, req([1]), { kind: "ok" }, res);
    applyAnswer(r, 0, req([0]), { kind: "permanent", reason: "400" }, { ...res, status: 400 });
    expect(r.map((x) => x.outcome.kind)).toEqual(["permanent", "retryable"]);
    expect(r[0]!.response!.status).toBe(400);
  });
  it("collects per-item failures per job, with an offset for later transform calls", () => {
    const r = emptyResults(3);
    applyAnswer(r, 1, req([0, 1]), { kind: "partial", rest: "resend", reason: "x", failed: [{ item: { job: 1, event: 2 }, reason: "bad" }, { item: { job: 1 }, reason: "attrs" }] }, res);
    expect(r[1]!.failures).toEqual([]);
    expect(r[1]!.resend && r[2]!.resend).toBe(true);
    expect(failedEvents(r[2]!)).toEqual({ events: new Set([2]), batchLevel: true });
    expect(r[2]!.outcome.kind).toBe("ok");
  });
  it("records drops against their jobs", () => {
    const r = emptyResults(2);
    applyDrops(r, 0, [{ job: 1, reason: "no id" }]);
    expect(r[1]!.dropped).toEqual([{ job: 1, reason: "no id" }]);
    expect(r[1]!.sent).toBe(false);
  });
});
