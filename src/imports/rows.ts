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

/** Accepted rows of one flush. */
export class PendingRows {
  private live: IngestItem[] = [];
  private historical: IngestItem[] = [];
  private corrections = 0;
  count = 0;

  add(batchId: string, batch: Batch, now: number): void {
    for (const v of Object.values(applyServiceLimits(batch))) this.corrections += v;
    (isHistorical(batch, now) ? this.historical : this.live).push({ batchId, eventOffset: 0, batch: batch as IngestItem["batch"] });
    this.count++;
  }

  /** Queues every pending row on `queue` (throws when the hand-off fails: nothing is checkpointed then). */
  async send(queue: Queue<unknown>, input: InputContext, importId: string, now: number): Promise<void> {
    const texts: { body: string; bytes: number }[] = [];
    for (const [historical, items] of [[false, this.live], [true, this.historical]] as const) {
      if (!items.length) continue;
      const envelope = { v: 1 as const, type: "ingest" as const, ...inputEnvelope(input), receivedAt: now, channel: "server_to_server" as const, historical, importId, limitCorrections: this.corrections };
      this.corrections = 0;
      // Each item is serialized once and messages are joined from the pieces (packMessages would measure each item
      // and then serialize the message again); an item too big for a message alone goes through packMessages' split.
      const head = JSON.stringify({ ...envelope, items: [] }).slice(0, -2);
      const max = QUEUE_MESSAGE_MAX_BYTES - 2_000;
      let cur: string[] = [];
      let bytes = 0;
      const close = () => {
        if (!cur.length) return;
        const body = `${head}${cur.join(",")}]}`;
        texts.push({ body, bytes: utf8Bytes(body) });
        cur = [];
        bytes = 0;
      };
      for (const item of items) {
        const text = JSON.stringify(item);
        const n = utf8Bytes(text);
        if (n > max) {
          for (const m of packMessages(envelope, [item])) texts.push({ body: JSON.stringify(m), bytes: utf8Bytes(JSON.stringify(m)) });
          continue;
        }
        if (bytes + n + 1 > max) close();
        cur.push(text);
        bytes += n + 1;
      }
      close();
    }
    if (texts.length) await sendTexts(queue, texts);
    this.live = [];
    this.historical = [];
    this.count = 0;
  }
}
