/**
 * Splits accepted batches into queue-sized messages: whole batches are packed together; a batch over the
 * message limit is split by events, then by user attributes, into parts that keep every other field.
 */
import { jsonBytes, QUEUE_MESSAGE_MAX_BYTES } from "../lib/queue";
import type { IngestItem, IngestMessage } from "./messages";

/** Room kept for the message envelope (ids, counters) around the items. */
const ENVELOPE_BYTES = 2_000;

export class UnsplittableBatchError extends Error {}

/** Splits one item into parts of at most `max` bytes each. */
export function splitItem(item: IngestItem, max = QUEUE_MESSAGE_MAX_BYTES - ENVELOPE_BYTES): IngestItem[] {
  if (jsonBytes(item) <= max) return [item];
  const { events = [], user_attributes, ...base } = item.batch;
  const baseItem = { ...item, batch: { ...base, events: [] } };
  const baseBytes = jsonBytes(baseItem) + 64;
  if (baseBytes > max) throw new UnsplittableBatchError(`batch fields other than events and user_attributes exceed ${max} bytes`);
  type Part = { events: typeof events; attrs: Record<string, unknown>; bytes: number; offset: number };
  const parts: Part[] = [];
  let cur: Part = { events: [], attrs: {}, bytes: baseBytes, offset: 0 };
  const room = (n: number) => {
    if (cur.bytes + n > max && (cur.events.length || Object.keys(cur.attrs).length)) {
      parts.push(cur);
      cur = { events: [], attrs: {}, bytes: baseBytes, offset: cur.offset + cur.events.length };
    }
    if (cur.bytes + n > max) throw new UnsplittableBatchError(`a single event or attribute exceeds ${max} bytes`);
  };
  for (const ev of events) {
    const n = jsonBytes(ev) + 1;
    room(n);
    cur.events.push(ev);
    cur.bytes += n;
  }
  for (const [k, v] of Object.entries((user_attributes as Record<string, unknown> | undefined) ?? {})) {
    const n = jsonBytes({ [k]: v });
    room(n);
    cur.attrs[k] = v;
    cur.bytes += n;
  }
  parts.push(cur);
  return parts.map((p, index) => ({
    batchId: item.batchId,
    eventOffset: item.eventOffset + p.offset,
    part: { index, count: parts.length },
    batch: { ...base, events: p.events, ...(Object.keys(p.attrs).length ? { user_attributes: p.attrs } : {}) },
  }));
}

/**
 * Packs items (after splitting) into as few ingest messages as the limit allows. `bodyBytes` is the size
 * of the request body they were parsed from: when it leaves a wide margin, everything fits in one message
 * and nothing is serialized just to be measured.
 */
export function packMessages(envelope: Omit<IngestMessage, "items">, items: IngestItem[], bodyBytes?: number): IngestMessage[] {
  const max = QUEUE_MESSAGE_MAX_BYTES - ENVELOPE_BYTES;
  // Parsing adds at most a little per event (defaults) and ~100 bytes per item (batch id, offsets).
  if (bodyBytes !== undefined && bodyBytes * 1.25 + items.length * 200 < max) return [{ ...envelope, items }];
  const messages: IngestMessage[] = [];
  let cur: IngestItem[] = [];
  let bytes = 0;
  for (const whole of items) {
    const size = jsonBytes(whole);
    const parts = size <= max ? [{ item: whole, n: size }] : splitItem(whole, max).map((item) => ({ item, n: jsonBytes(item) }));
    for (const { item, n } of parts) {
      if (cur.length && bytes + n + 1 > max) {
        messages.push({ ...envelope, items: cur });
        cur = [];
        bytes = 0;
      }
      cur.push(item);
      bytes += n + 1;
    }
  }
  if (cur.length) messages.push({ ...envelope, items: cur });
  return messages.map((m, i) => (i === 0 ? m : { ...m, limitCorrections: 0 }));
}
