/** Rows of a step waiting to be queued, as ingest messages grouped by historical or live semantics. */
import type { InputContext } from "../db/queries/inputs";
import { QUEUE_MESSAGE_MAX_BYTES, utf8Bytes } from "../lib/queue";
import { HISTORICAL_MIN_AGE_MS } from "../pipeline/historical";
import { inputEnvelope } from "../pipeline/input-envelope";
import type { IngestItem } from "../pipeline/messages";
import { packMessages } from "../pipeline/split";
import type { Batch } from "../schema/batch";
import { applyServiceLimits } from "../schema/limits";

/**
 * Whether a row is imported as historical data (mparticle-api.md §1.5): it has events and every event is at
 * least 72 hours old. Historical rows update profiles and are not forwarded to event outputs.
 */
export function isHistorical(batch: Batch, now: number): boolean {
  const events = batch.events ?? [];
  if (events.length === 0) return false;
  for (const e of events) {
    const ts = (e.data as { timestamp_unixtime_ms?: unknown } | undefined)?.timestamp_unixtime_ms;
    if (typeof ts !== "number" || now - ts < HISTORICAL_MIN_AGE_MS) return false;
  }
  return true;
}

const encoder = new TextEncoder();
const COMMA = 44;
const TAIL = encoder.encode("]}");

/** One message being filled: its items' JSON, comma-separated, as UTF-8. */
type Open = { buf: Uint8Array; used: number; items: number };
type Body = { readonly body: string | Uint8Array; readonly bytes: number };

/** Bytes of ready messages worth one `sendBatch` (its 256 KB cap, margin kept): sent without waiting for the flush. */
export const SEND_READY_BYTES = 200_000;

/**
 * Accepted rows of a step as ingest messages, filled as rows are added and grouped by historical or live semantics.
 * Each item is serialized once and its UTF-8 written straight into its message's buffer, so no row's text outlives the
 * row, and messages are sent as UTF-8 bytes (`contentType: "bytes"`, parsed back by `decodeBody`): a message of 120 KB
 * never becomes a string in the isolate's heap (as text it was decoded, then flattened by the send: two 120 KB strings
 * a message, about a quarter of what the step allocated, each young-generation collection sooner). Full messages can be
 * sent before the flush (`takeReady`). The runner checkpoints only after `takeAll`'s messages were queued.
 */
export class PendingRows {
  private open: [Open, Open] = [fresh(), fresh()]; // live, historical
  private ready: Body[] = [];
  private big: [IngestItem[], IngestItem[]] = [[], []];
  private corrections = 0;
  /** Rows added since the last `takeAll`. */
  count = 0;
  /** UTF-8 bytes of the full messages not yet taken. */
  readyBytes = 0;

  constructor(private readonly input: InputContext, private readonly importId: string) {}

  add(batchId: string, batch: Batch, now: number): void {
    for (const v of Object.values(applyServiceLimits(batch))) this.corrections += v;
    const h = isHistorical(batch, now) ? 1 : 0;
    const item: IngestItem = { batchId, eventOffset: 0, batch: batch as IngestItem["batch"] };
    const text = JSON.stringify(item);
    this.count++;
    if (this.append(this.open[h], text)) return;
    if (this.open[h].items) {
      this.close(h, now);
      if (this.append(this.open[h], text)) return;
    }
    this.big[h].push(item); // over ITEM_MAX_BYTES alone: split by packMessages when taken
  }

  /** The full messages so far (to send before the flush). */
  takeReady(): Body[] {
    const out = this.ready;
    this.ready = [];
    this.readyBytes = 0;
    return out;
  }

  /** Every pending row as messages; the caller queues them all before it checkpoints. */
  takeAll(now: number): Body[] {
    for (const h of [0, 1] as const) {
      if (this.open[h].items) this.close(h, now);
      if (this.big[h].length) {
        for (const m of packMessages(this.envelope(h === 1, now), this.big[h])) {
          const body = JSON.stringify(m);
          this.ready.push({ body, bytes: utf8Bytes(body) });
        }
        this.big[h] = [];
      }
    }
    this.count = 0;
    return this.takeReady();
  }

  /** Writes `text` (after a comma) into the message if it fits under ITEM_MAX_BYTES; false when it does not. */
  private append(o: Open, text: string): boolean {
    const at = o.items ? o.used + 1 : 0;
    if (at + text.length > ITEM_MAX_BYTES) return false; // each UTF-16 unit is at least one byte
    const r = encoder.encodeInto(text, o.buf.subarray(at));
    if (r.read < text.length) return false;
    if (o.items) o.buf[o.used] = COMMA;
    o.used = at + r.written;
    o.items++;
    return true;
  }

  private envelope(historical: boolean, now: number) {
    const e = { v: 1 as const, type: "ingest" as const, ...inputEnvelope(this.input), receivedAt: now, channel: "server_to_server" as const, historical, importId: this.importId, limitCorrections: this.corrections };
    this.corrections = 0; // counted once, on the next message
    return e;
  }

  /** The open message as one UTF-8 JSON body: envelope, items, end. */
  private close(h: 0 | 1, now: number): void {
    const o = this.open[h];
    const head = encoder.encode(JSON.stringify({ ...this.envelope(h === 1, now), items: [] }).slice(0, -2));
    const body = new Uint8Array(head.length + o.used + TAIL.length);
    body.set(head);
    body.set(o.buf.subarray(0, o.used), head.length);
    body.set(TAIL, head.length + o.used);
    this.ready.push({ body, bytes: body.length });
    this.readyBytes += body.length;
    o.used = 0;
    o.items = 0;
  }
}

/** A message being filled (its buffer is reused: a full message is copied out, `close`). */
const fresh = (): Open => ({ buf: new Uint8Array(ITEM_MAX_BYTES), used: 0, items: 0 });

/** Item bytes per message (envelope and margin apart); an item over this alone goes through packMessages' split. */
const ITEM_MAX_BYTES = QUEUE_MESSAGE_MAX_BYTES - 2_000;
