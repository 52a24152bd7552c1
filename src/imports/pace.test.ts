import { describe, expect, it } from "vitest";
import { backlogOf } from "../lib/queue";
import { ImportPacer } from "./pace";

/** A queue whose consumers take `drainPerRead` bytes of backlog each time its metrics are read. */
function fakeQueue(start: number, drainPerRead: number, metrics = true) {
  let bytes = start;
  let reads = 0;
  const q = {
    ...(metrics
      ? {
          metrics: async () => {
            reads++;
            bytes = Math.max(0, bytes - drainPerRead);
            return { backlogCount: Math.ceil(bytes / 100_000), backlogBytes: bytes };
          },
        }
      : {}),
  } as unknown as Queue<unknown>;
  return { q, reads: () => reads, bytes: () => bytes };
}

describe("ImportPacer (an import step's backpressure on import-ingest)", () => {
  it("does not wait while the queue's backlog is under the cap", async () => {
    const f = fakeQueue(0, 0);
    const p = new ImportPacer(f.q, Date.now() + 10_000, 1_000_000);
    await p.after({ messages: 5, bytes: 900_000 });
    await p.after(null); // a runtime that reports no backlog
    expect(f.reads()).toBe(0);
    expect(p.waitedMs).toBe(0);
  });

  it("waits over the cap until the consumers have taken the backlog down to half of it", async () => {
    const f = fakeQueue(3_000_000, 500_000);
    const p = new ImportPacer(f.q, Date.now() + 10_000, 1_000_000);
    await p.after({ messages: 30, bytes: 3_000_000 });
    expect(f.bytes()).toBeLessThanOrEqual(500_000);
    expect(f.reads()).toBe(5); // 2.5 MB, 2 MB, 1.5 MB, 1 MB, 0.5 MB
  });

  it("stops waiting at the step's deadline, and waits once where the runtime has no queue metrics", async () => {
    const stuck = fakeQueue(3_000_000, 0);
    const p = new ImportPacer(stuck.q, Date.now() + 60, 1_000_000);
    await p.after({ messages: 30, bytes: 3_000_000 });
    expect(stuck.reads()).toBeGreaterThan(0);
    expect(p.waitedMs).toBeGreaterThanOrEqual(50);
    const none = fakeQueue(3_000_000, 0, false);
    const q = new ImportPacer(none.q, Date.now() + 10_000, 1_000_000);
    await q.after({ messages: 30, bytes: 3_000_000 });
    expect(q.waitedMs).toBeLessThan(1_000);
  });

  it("reads the backlog from a send's answer (Cloudflare Queues' metadata.metrics)", () => {
    expect(backlogOf({ metadata: { metrics: { backlogCount: 3, backlogBytes: 1234 } } })).toEqual({ messages: 3, bytes: 1234 });
    expect(backlogOf(undefined)).toBeNull();
    expect(backlogOf({ metadata: {} })).toBeNull();
  });
});
