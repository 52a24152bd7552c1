import { describe, expect, it } from "vitest";
import { jsonBytes } from "../lib/queue";
import type { IngestItem } from "./messages";
import { packMessages, splitItem, UnsplittableBatchError } from "./split";

const envelope = { v: 1 as const, type: "ingest" as const, inputId: 1, workspaceId: 1, organizationId: 1, receivedAt: 0, channel: "server_to_server" as const, historical: false, limitCorrections: 3 };
const item = (events: number, pad: number, attrs = 0): IngestItem => ({
  batchId: "b1",
  eventOffset: 0,
  batch: {
    environment: "production",
    user_identities: { customer_id: "c" },
    user_attributes: Object.fromEntries(Array.from({ length: attrs }, (_, i) => [`a${i}`, "v".repeat(pad)])),
    events: Array.from({ length: events }, (_, i) => ({ event_type: "custom_event", data: { event_name: `e${i}`, pad: "p".repeat(pad) } })),
  },
});

describe("queue message splitting", () => {
  it("keeps a small batch whole", () => {
    expect(splitItem(item(3, 10))).toHaveLength(1);
  });

  it("splits by events, every part under the limit, offsets continuous, all other fields kept", () => {
    const parts = splitItem(item(100, 3000), 100_000);
    expect(parts.length).toBeGreaterThan(2);
    let offset = 0;
    for (const [i, p] of parts.entries()) {
      expect(jsonBytes(p)).toBeLessThanOrEqual(100_000);
      expect(p.part).toEqual({ index: i, count: parts.length });
      expect(p.eventOffset).toBe(offset);
      expect(p.batch.user_identities).toEqual({ customer_id: "c" });
      offset += p.batch.events!.length;
    }
    expect(offset).toBe(100);
  });

  it("splits large user attributes across parts too", () => {
    const parts = splitItem(item(0, 4000, 60), 100_000);
    expect(parts.length).toBeGreaterThan(1);
    const keys = parts.flatMap((p) => Object.keys((p.batch.user_attributes as object) ?? {}));
    expect(keys).toHaveLength(60);
  });

  it("puts everything in one message without measuring when the request body leaves a wide margin", () => {
    const items = Array.from({ length: 5 }, () => item(10, 50));
    const msgs = packMessages(envelope, items, 20_000);
    expect(msgs).toHaveLength(1);
    expect(msgs[0]!.items).toBe(items);
    // A body near the limit takes the measuring path and splits.
    expect(packMessages(envelope, [item(100, 3000)], 250_000).length).toBeGreaterThan(1);
  });

  it("refuses a batch whose other fields alone exceed the limit", () => {
    const it_ = item(1, 10);
    it_.batch.device_info = { junk: "x".repeat(200_000) };
    expect(() => splitItem(it_, 100_000)).toThrow(UnsplittableBatchError);
  });

  it("packs many small batches into few messages and counts limit corrections once", () => {
    const msgs = packMessages(envelope, Array.from({ length: 100 }, () => item(10, 200)));
    expect(msgs.length).toBeGreaterThan(1);
    expect(msgs.reduce((n, m) => n + m.items.length, 0)).toBe(100);
    expect(msgs.map((m) => m.limitCorrections)).toEqual([3, ...Array(msgs.length - 1).fill(0)]);
    for (const m of msgs) expect(jsonBytes(m)).toBeLessThanOrEqual(128 * 1024);
  });
});
