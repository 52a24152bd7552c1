/** Rows of a step waiting to be queued: grouped into ingest messages by historical or live semantics. */
import type { InputContext } from "../db/queries/inputs";
import { QUEUE_MESSAGE_MAX_BYTES, sendTexts, utf8Bytes } from "../lib/queue";
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

type Group = { texts: string[]; bytes: number[]; big: IngestItem[] };
const group = (): Group => ({ texts: [], bytes: [], big: [] });

/**
 * Accepted rows of one flush, serialized as they are added (an ingest item's JSON, once): what waits for the flush
 * is text, not batch objects, so a flush of many rows holds little memory. Grouped by historical or live semantics.
 */
export class PendingRows {
  private live = group();
  private historical = group();
  private corrections = 0;
  count = 0;

  add(batchId: string, batch: Batch, now: number): void {
    for (const v of Object.values(applyServiceLimits(batch))) this.corrections += v;
    const g = isHistorical(batch, now) ? this.historical : this.live;
    const item: IngestItem = { batchId, eventOffset: 0, batch: batch as IngestItem["batch"] };
    const text = JSON.stringify(item);
    const n = bytesOf(text);
    if (n > ITEM_MAX_BYTES) g.big.push(item); // split by packMessages when sent
    else {
      g.texts.push(text);
      g.bytes.push(n);
    }
    this.count++;
  }

  /** Queues every pending row on `queue` (throws when the hand-off fails: nothing is checkpointed then). */
  async send(queue: Queue<unknown>, input: InputContext, importId: string, now: number): Promise<void> {
    const out: { body: string; bytes: number }[] = [];
    for (const [historical, g] of [[false, this.live], [true, this.historical]] as const) {
      if (!g.texts.length && !g.big.length) continue;
      const envelope = { v: 1 as const, type: "ingest" as const, ...inputEnvelope(input), receivedAt: now, channel: "server_to_server" as const, historical, importId, limitCorrections: this.corrections };
      this.corrections = 0; // counted once, on the first message
      // Messages are joined from the items' texts (each serialized once); their sizes add up without encoding again.
      let head = "";
      let headBytes = 0;
      let cur: string[] = [];
      let bytes = 0;
      const close = () => {
        if (!cur.length) return;
        out.push({ body: `${head}${cur.join(",")}]}`, bytes: headBytes + bytes + 2 });
        cur = [];
        bytes = 0;
      };
      const open = () => {
        head = JSON.stringify({ ...envelope, items: [] }).slice(0, -2);
        headBytes = bytesOf(head);
        envelope.limitCorrections = 0;
      };
      for (let i = 0; i < g.texts.length; i++) {
        const n = g.bytes[i]!;
        if (cur.length && headBytes + bytes + n + 3 > QUEUE_MESSAGE_MAX_BYTES) close();
        if (!cur.length) open();
        bytes += n + (cur.length ? 1 : 0);
        cur.push(g.texts[i]!);
      }
      close();
      for (const m of g.big.length ? packMessages(envelope, g.big) : []) {
        const body = JSON.stringify(m);
        out.push({ body, bytes: utf8Bytes(body) });
      }
    }
    if (out.length) await sendTexts(queue, out);
    this.live = group();
    this.historical = group();
    this.count = 0;
  }
}

/** An item whose JSON is over this goes through packMessages' split (its events across messages). */
const ITEM_MAX_BYTES = QUEUE_MESSAGE_MAX_BYTES - 2_000;
