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

const scratch = new Uint8Array(256 * 1024);
const encoder = new TextEncoder();

/** UTF-8 bytes of `text`, encoded into a reused buffer (no allocation per row). */
function bytesOf(text: string): number {
  if (text.length * 3 <= scratch.length) return encoder.encodeInto(text, scratch).written;
  return utf8Bytes(text);
}

/** One message being filled: the items' texts and their UTF-8 bytes. */
type Open = { texts: string[]; bytes: number };
type Body = { body: string; bytes: number };

/** Bytes of ready messages worth one `sendBatch` (its 256 KB cap, margin kept): sent without waiting for the flush. */
export const SEND_READY_BYTES = 200_000;

/**
 * Accepted rows of a step as ingest messages, filled as rows are added (each item serialized once; messages joined
 * from the texts, their sizes summed, never encoded again) and grouped by historical or live semantics. Full
 * messages can be sent before the flush (`takeReady`): what waits in memory is at most a message or two of text per
 * group, not a flush's batch objects. The runner checkpoints only after `takeAll`'s messages were queued.
 */
export class PendingRows {
  private open: [Open, Open] = [{ texts: [], bytes: 0 }, { texts: [], bytes: 0 }]; // live, historical
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
    const n = bytesOf(text);
    this.count++;
    if (n > ITEM_MAX_BYTES) return void this.big[h].push(item); // split by packMessages when taken
    if (this.open[h].texts.length && this.open[h].bytes + n + 1 > ITEM_MAX_BYTES) this.close(h, now);
    const o = this.open[h]; // after close: a new message
    o.texts.push(text);
    o.bytes += n + 1;
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
      if (this.open[h].texts.length) this.close(h, now);
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

  private envelope(historical: boolean, now: number) {
    const e = { v: 1 as const, type: "ingest" as const, ...inputEnvelope(this.input), receivedAt: now, channel: "server_to_server" as const, historical, importId: this.importId, limitCorrections: this.corrections };
    this.corrections = 0; // counted once, on the next message
    return e;
  }

  private close(h: 0 | 1, now: number): void {
    const o = this.open[h];
    const head = JSON.stringify({ ...this.envelope(h === 1, now), items: [] }).slice(0, -2);
    const bytes = bytesOf(head) + o.bytes - 1 + 2;
    this.ready.push({ body: `${head}${o.texts.join(",")}]}`, bytes });
    this.readyBytes += bytes;
    this.open[h] = { texts: [], bytes: 0 };
  }
}

/** Item bytes per message (envelope and margin apart); an item over this alone goes through packMessages' split. */
const ITEM_MAX_BYTES = QUEUE_MESSAGE_MAX_BYTES - 2_000;
