/**
 * Group commit for queue hand-offs (the Events API and browser routes → `ingest`).
 *
 * Requests that arrive while one hand-off of the same isolate is in flight wait for it, then everything that
 * queued up meanwhile is sent at once: their message texts travel in one queue message of type `ingest_group`
 * (up to the message limit) instead of one message each. Nothing is delayed when the isolate is idle (the first
 * request sends at once, alone and unwrapped), and every request still answers only after the message holding
 * its data was accepted by the queue: a failed send rejects every request in it (503). Under load the sender
 * lingers 2 ms first (LINGER_MS), as producers of Kafka-style queues do.
 * The request whose send just ended sends what queued up meanwhile right away, in its `waitUntil` after its own
 * answer, for at most `groupSendLimits.carryMs` (1 s): the next send starts when the last one ends, not when a
 * waiting request next looks (measured in the shared harness: 0.59–0.63 → 0.61–0.69 of the no-op ceiling).
 *
 * Why: Cloudflare Queues bills and limits per message (each 64 KB is one operation; 5,000 messages/s per
 * queue), and the per-message cost dominates small batches. Under load a 3 KB batch per message becomes
 * tens of batches per message.
 *
 * Cross-request safety (workerd): no promise crosses requests. The requests share plain data only (the
 * pending entries and their results); a waiting request polls its own entry on its own timer (every
 * POLL_MS) and, when it finds its text still unsent and no send in flight, sends the next group itself, so a
 * cancelled request cannot stall the others. The sender keeps its request alive until its send settles
 * (`waitUntil`), and a send in flight for longer than `groupSendLimits.staleSendMs` no longer holds the others back.
 * Waiting requests still send the next group themselves when they find none in flight (a sender whose carrying on
 * ended, or was torn down). Texts over half a group (bulk requests) go out at once, each request its own: no two of
 * them would share a message.
 */
import { log, type LogFields } from "./log";
import { SEND_BATCH_MAX_BYTES, sendTexts, utf8Bytes } from "./queue";
import { sleep } from "./wait";

type Entry = {
  /** One message body (JSON text) as it would be sent alone. */
  text: string;
  bytes: number;
  /** When a sender took this entry (a send that never settles is given up after `groupSendLimits.staleSendMs`). */
  takenAt?: number;
  /** Set once the message holding this text was accepted (`true`) or refused (the error). */
  result?: true | { error: unknown };
  /** The `accepted` log fields of the request whose last text this is (logged once the send succeeded). */
  accepted?: LogFields;
  /** On that last entry: every entry of the request (its line is logged only if all of them got in). */
  siblings?: Entry[];
};

/**
 * Most bytes in one group message: 64 KB is one billed queue operation, and it bounds the batches one
 * consumer invocation takes on (about 20 typical batches per message).
 */
export const GROUP_MAX_BYTES = 64 * 1024;
/** Bytes the `ingest_group` wrapper adds around its parts. */
const GROUP_OVERHEAD = 40;
/** The wrapper's type tag; parts are the messages' own JSON, unchanged. */
export const GROUP_TYPE = "ingest_group";

export type GroupMessage<T> = { v: 1; type: typeof GROUP_TYPE; parts: T[] };

/** Whether a decoded body is a group of messages. */
export function isGroup<T>(body: unknown): body is GroupMessage<T> {
  return typeof body === "object" && body !== null && (body as { type?: unknown }).type === GROUP_TYPE && Array.isArray((body as { parts?: unknown }).parts);
}

/**
 * Packs message texts, in order, into bodies of at most `maxBytes` (with `overhead` for the wrapper) and
 * `maxCount` texts: a lone text goes unwrapped, several are joined into `wrap(joined)`, where `joined` is
 * their JSON texts separated by commas. `bytes` is the size the queue limits are checked against (an upper
 * bound for a wrapped body). Shared by the ingest groups here and the forward groups (src/forward/job-groups.ts).
 */
export function packTexts(
  texts: { text: string; bytes: number }[],
  o: { maxBytes: number; overhead: number; maxCount?: number; wrap: (joined: string) => string },
): { body: string; bytes: number; count: number }[] {
  const out: { body: string; bytes: number; count: number }[] = [];
  let cur: { text: string; bytes: number }[] = [];
  let bytes = o.overhead;
  const flush = () => {
    if (cur.length === 1) out.push({ body: cur[0]!.text, bytes: cur[0]!.bytes, count: 1 });
    else if (cur.length > 1) out.push({ body: o.wrap(cur.map((e) => e.text).join(",")), bytes, count: cur.length });
    cur = [];
    bytes = o.overhead;
  };
  for (const e of texts) {
    if (cur.length && (cur.length >= (o.maxCount ?? Infinity) || bytes + e.bytes + 1 > o.maxBytes)) flush();
    cur.push(e);
    bytes += e.bytes + 1;
  }
  flush();
  return out;
}

/** Packs ingest message texts into `ingest_group` bodies of at most `max` bytes: a lone text goes unwrapped. */
export function packGroups(entries: { text: string; bytes: number }[], max = GROUP_MAX_BYTES): { body: string; bytes: number; count: number }[] {
  return packTexts(entries, { maxBytes: max, overhead: GROUP_OVERHEAD, wrap: (joined) => `{"v":1,"type":"${GROUP_TYPE}","parts":[${joined}]}` });
}

/**
 * `staleSendMs`: a send in flight this long is taken as lost (its request was torn down): others go ahead, and the
 * requests whose texts it carried answer 503. `carryMs`: how long after its own send a request goes on sending what
 * others queued meanwhile (bounded: it holds the request's `waitUntil`). Mutable for tests only.
 */
export const groupSendLimits = { staleSendMs: 15_000, carryMs: 1_000 };
/** How often a waiting request looks at its entry. */
const POLL_MS = 1;

/**
 * Under load (the previous send of this sender ended less than BUSY_WITHIN_MS ago) a sender waits LINGER_MS
 * before it takes what is pending, so more requests share the message (measured: ~3 requests per message
 * without it, and 12% less CPU per request with it); an idle isolate sends at once.
 */
const LINGER_MS = 2;
const BUSY_WITHIN_MS = 20;

class GroupSender {
  private pending: Entry[] = [];
  private busySince = 0;
  private lastEnd = 0;

  /** Queues the texts and resolves once the queue accepted the messages holding them (throws if a send failed). */
  async submit(queue: Queue<string>, texts: string[], waitUntil?: (p: Promise<unknown>) => void, accepted?: LogFields): Promise<void> {
    const entries = texts.map((text): Entry => ({ text, bytes: utf8Bytes(text) }));
    // Texts over half a group (bulk requests): no two of them fit one message, so waiting for a send in flight gains
    // them little; their request sends them at once itself (measured: bulk +15% requests/s, 8% less CPU a request).
    if (entries.length && entries.every((e) => e.bytes > GROUP_MAX_BYTES / 2)) {
      await sendTexts(queue, entries.map((e) => ({ body: e.text, bytes: e.bytes })));
      if (accepted) for (const fields of mergeAccepted([accepted])) log.info("accepted", fields);
      return;
    }
    if (accepted && entries.length) Object.assign(entries[entries.length - 1]!, { accepted, siblings: entries });
    this.pending.push(...entries);
    for (const entry of entries) {
      while (!entry.result) {
        if (entry.takenAt !== undefined) {
          // Taken by a send whose request was torn down before it settled: give up (503), never wait forever.
          if (Date.now() - entry.takenAt > groupSendLimits.staleSendMs) entry.result = { error: new Error("queue send did not settle") };
          else await sleep(POLL_MS);
        } else if (!this.busySince || Date.now() - this.busySince > groupSendLimits.staleSendMs) {
          const run = this.sendPending(queue);
          // While others' texts keep arriving, this request sends them on (in its waitUntil, after its own answer).
          waitUntil?.(
            run.then(() => this.carryOn(queue, Date.now() + groupSendLimits.carryMs)).catch((err: unknown) => log.warn("group send: carrying on failed", { error: String(err) })),
          );
          // The sender awaits its own send without a bound: if its request is torn down, the others give it up.
          await run;
        } else {
          await sleep(POLL_MS);
        }
      }
    }
    for (const e of entries) if (e.result !== true) throw e.result!.error;
  }

  /** Sends what queued up during the last send, send after send, until nothing is pending or `until` (ms) passed. */
  private async carryOn(queue: Queue<string>, until: number): Promise<void> {
    while (this.pending.length && !this.busySince && Date.now() < until) await this.sendPending(queue);
  }

  /** Sends what is pending (at most one sendBatch's bytes) and records the outcome on those entries. */
  private async sendPending(queue: Queue<string>): Promise<void> {
    const since = Date.now();
    this.busySince = since;
    if (since - this.lastEnd < BUSY_WITHIN_MS) await sleep(LINGER_MS);
    const take: Entry[] = [];
    let bytes = 0;
    while (this.pending.length) {
      const e = this.pending[0]!;
      if (take.length && bytes + e.bytes > SEND_BATCH_MAX_BYTES) break;
      this.pending.shift();
      e.takenAt = since;
      take.push(e);
      bytes += e.bytes;
    }
    let result: Entry["result"] = true;
    try {
      const bodies = packGroups(take);
      if (bodies.length === 1) await queue.send(bodies[0]!.body, { contentType: "text" });
      else await queue.sendBatch(bodies.map((b) => ({ body: b.body, contentType: "text" as const })));
    } catch (err) {
      result = { error: err ?? new Error("queue send failed") };
    } finally {
      if (this.busySince === since) this.busySince = 0;
      this.lastEnd = Date.now();
    }
    for (const e of take) e.result ??= result;
    // A request's line goes with the send of its last text, if every text of it got in (else it answers 503).
    const accepted = take.filter((e) => e.accepted && e.siblings!.every((x) => x.result === true)).map((e) => e.accepted!);
    for (const fields of mergeAccepted(accepted)) log.info("accepted", fields);
  }
}

/** One sender per queue binding object (the same object serves every request of an isolate). */
const senders = new WeakMap<object, GroupSender>();

/**
 * Sends message texts to `queue` through the isolate's group sender of that queue; `accepted` (the
 * request's log fields) is logged with the send that carried the request's last text. Resolves
 * when every text is in the queue; rejects when any send failed (the caller answers 503: a text that did get
 * in is then processed once, the client's retry is deduplicated only by its ids).
 */
export async function groupSend(queue: Queue<string>, texts: string[], waitUntil?: (p: Promise<unknown>) => void, accepted?: LogFields): Promise<void> {
  let s = senders.get(queue);
  if (!s) senders.set(queue, (s = new GroupSender()));
  await s.submit(queue, texts, waitUntil, accepted);
}

/**
 * The `accepted` log lines of one send: one per input, for the requests whose data the send carried
 * (`requests`). Lists are joined (`batch_ids`), counts added (`messages`, `rejected`, drops), any other
 * field kept when the requests agree and listed (distinct values) when they do not.
 */
export function mergeAccepted(list: LogFields[]): LogFields[] {
  const byInput = new Map<unknown, LogFields[]>();
  for (const f of list) {
    const g = byInput.get(f.input_id);
    if (g) g.push(f);
    else byInput.set(f.input_id, [f]);
  }
  return [...byInput.values()].map((g) => {
    const out: LogFields = { requests: g.length };
    for (const f of g) {
      for (const [k, v] of Object.entries(f)) {
        if (v === undefined) continue;
        const cur = out[k];
        if (!(k in out)) out[k] = Array.isArray(v) ? [...v] : v;
        else if (Array.isArray(cur) && Array.isArray(v)) cur.push(...v);
        else if (typeof cur === "number" && typeof v === "number" && k !== "input_id" && k !== "workspace_id") out[k] = cur + v;
        else if (cur !== v) out[k] = Array.isArray(cur) ? (cur.includes(v) ? cur : [...cur, v]) : [cur, v];
      }
    }
    return out;
  });
}
