import { describe, expect, it } from "vitest";
import type { InputContext } from "../db/queries/inputs";
import { QUEUE_MESSAGE_MAX_BYTES } from "../lib/queue";
import type { Batch } from "../schema/batch";
import { PendingRows, SEND_READY_BYTES } from "./rows";

const input: InputContext = { id: 7, workspaceId: 3, accountId: 2, organizationId: 1, kind: "feed", platform: "unbound", apiKey: "k", secretHash: "h", status: "active", settings: { partner: "custom_csv" } };
const NOW = Date.UTC(2026, 11, 5);
const row = (i: number, ageMs: number): Batch =>
  ({ environment: "production", user_identities: { customer_id: `c-${i}` }, user_attributes: { city: "Zürich 😀" }, events: [{ event_type: "custom_event", data: { event_name: "Viewed", custom_event_type: "other", timestamp_unixtime_ms: NOW - ageMs, source_message_id: `imp:0:${i}` } }] }) as Batch;
const utf8 = (s: string) => new TextEncoder().encode(s).length;
/** A message body as the consumer reads it (PendingRows sends UTF-8 bytes; split messages are text). */
const text = (body: string | Uint8Array) => (typeof body === "string" ? body : new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(body));
type Msg = { historical: boolean; importId: string; limitCorrections: number; items: { batchId: string; batch: Batch }[] };

describe("PendingRows (ingest messages of an import)", () => {
  it("packs rows into messages under the queue's size limit, states their exact UTF-8 size, and keeps every row once", () => {
    const p = new PendingRows(input, "imp");
    for (let i = 0; i < 1_500; i++) p.add(`b-${i}`, row(i, i % 3 === 0 ? 100 * 3_600_000 : 0), NOW);
    expect(p.readyBytes).toBeGreaterThan(SEND_READY_BYTES); // full messages can go before the flush
    const bodies = [...p.takeReady(), ...p.takeAll(NOW)];
    expect(p.count).toBe(0);
    expect(bodies.length).toBeGreaterThan(2);
    const ids: string[] = [];
    for (const b of bodies) {
      const body = text(b.body);
      const bytes = b.bytes;
      expect(bytes).toBe(utf8(body));
      expect(bytes).toBeLessThanOrEqual(QUEUE_MESSAGE_MAX_BYTES);
      const m = JSON.parse(body) as Msg;
      expect(m).toMatchObject({ v: 1, type: "ingest", inputId: 7, workspaceId: 3, importId: "imp", channel: "server_to_server" });
      for (const it of m.items) {
        // Rows whose events are all at least 72 hours old travel as historical data, the others as live.
        expect(m.historical).toBe(Number(it.batchId.slice(2)) % 3 === 0);
        ids.push(it.batchId);
      }
    }
    expect(ids.sort()).toEqual(Array.from({ length: 1_500 }, (_, i) => `b-${i}`).sort());
  });

  it("counts service-limit corrections once, on one message", () => {
    const p = new PendingRows(input, "imp");
    const long = row(1, 0);
    (long.user_attributes as Record<string, unknown>).note = "x".repeat(5_000); // over the attribute value limit: truncated
    p.add("b-1", long, NOW);
    for (let i = 2; i < 900; i++) p.add(`b-${i}`, row(i, 0), NOW);
    const messages = [...p.takeReady(), ...p.takeAll(NOW)].map((b) => JSON.parse(text(b.body)) as Msg);
    expect(messages.length).toBeGreaterThan(1);
    expect(messages.map((m) => m.limitCorrections).reduce((a, b) => a + b, 0)).toBe(1);
  });
});
