/**
 * Queue hand-off helpers that respect the platform's message and batch limits.
 *
 * Bodies travel as JSON text (`contentType: "text"`): serialized once here, at the size the limits were
 * measured against, and parsed once by the consumer (`decodeBatch`). With `"json"` the runtime serializes
 * the value itself, and the local queue broker (Miniflare) parses and re-serializes every message on the
 * way; a text body passes through untouched. Consumers also read object bodies (messages queued with
 * `"json"` or `"v8"` before this format, or by tests), so a deploy never strands a queued message.
 */

/** Cloudflare Queues: 128 KB per message; we keep a margin for the envelope. */
export const QUEUE_MESSAGE_MAX_BYTES = 120_000;
/** Cloudflare Queues `sendBatch`: at most 100 messages and 256 KB per call (margin kept). */
export const SEND_BATCH_MAX_MESSAGES = 100;
export const SEND_BATCH_MAX_BYTES = 240_000;

const enc = new TextEncoder();

/** UTF-8 byte length of a string. */
export function utf8Bytes(text: string): number {
  return enc.encode(text).byteLength;
}

/** UTF-8 byte length of a value's JSON. */
export function jsonBytes(value: unknown): number {
  return utf8Bytes(JSON.stringify(value));
}

/**
 * Sends every body, in as few `sendBatch` calls as the limits allow. Throws if any call fails
 * (callers answer 503 or retry the source message; nothing is acknowledged before this resolves).
 * `split` breaks a body whose JSON is over the message limit into smaller ones (it returns the body alone
 * when it cannot, and the queue then refuses it: an error for the caller, never a silent drop).
 */
export async function sendAll<T>(queue: Queue<T>, bodies: T[], opts: { delaySeconds?: number; split?: (body: T) => T[] } = {}): Promise<void> {
  const q = queue as unknown as Queue<string>;
  const delaySeconds = opts.delaySeconds;
  if (bodies.length === 1 && !opts.split) {
    await q.send(JSON.stringify(bodies[0]), { contentType: "text", delaySeconds });
    return;
  }
  const texts: { body: string; bytes: number }[] = [];
  const add = (value: T) => {
    const body = JSON.stringify(value);
    const bytes = utf8Bytes(body);
    if (bytes > QUEUE_MESSAGE_MAX_BYTES && opts.split) {
      const parts = opts.split(value);
      if (parts.length > 1) return parts.forEach(add);
    }
    texts.push({ body, bytes });
  };
  bodies.forEach(add);
  await sendTexts(queue, texts, delaySeconds);
}

/** Sends bodies that are JSON text already (with their UTF-8 sizes), in as few `sendBatch` calls as the limits allow. */
export async function sendTexts(queue: Queue<unknown>, texts: { body: string; bytes: number }[], delaySeconds?: number): Promise<void> {
  await sendTextsBacklog(queue, texts, delaySeconds);
}

/** What a queue holds (messages not yet delivered and acknowledged), as its last `send`/`sendBatch` answered it. */
export type QueueBacklog = { messages: number; bytes: number };

/** The backlog a send's answer carries (Cloudflare Queues' `metadata.metrics`); null when the runtime gives none. */
export function backlogOf(res: unknown): QueueBacklog | null {
  const m = (res as { metadata?: { metrics?: { backlogCount?: unknown; backlogBytes?: unknown } } } | undefined)?.metadata?.metrics;
  return typeof m?.backlogBytes === "number" && typeof m.backlogCount === "number" ? { messages: m.backlogCount, bytes: m.backlogBytes } : null;
}

/**
 * `sendTexts`, answering the queue's backlog as its last call reported it (null: none reported, or nothing sent). A
 * Uint8Array body (UTF-8 JSON) is sent with `contentType: "bytes"` and read back by `decodeBody`.
 */
export async function sendTextsBacklog(queue: Queue<unknown>, texts: Iterable<{ readonly body: string | Uint8Array; readonly bytes: number }>, delaySeconds?: number): Promise<QueueBacklog | null> {
  const q = queue as unknown as Queue<string | Uint8Array>;
  let chunk: MessageSendRequest<string | Uint8Array>[] = [];
  let bytes = 0;
  let backlog: QueueBacklog | null = null;
  const flush = async () => {
    // The runtime copies the bodies when called: nothing here holds them while the send is awaited (texts can be
    // large, and text kept across an await outlives the isolate's young-generation collections).
    const sent = start(chunk);
    chunk = [];
    bytes = 0;
    if (sent) backlog = backlogOf(await sent);
  };
  const start = (c: MessageSendRequest<string | Uint8Array>[]): Promise<unknown> | null =>
    c.length === 1 ? q.send(c[0]!.body, { contentType: c[0]!.contentType, delaySeconds }) : c.length > 1 ? q.sendBatch(c, { delaySeconds }) : null;
  for (const t of texts) {
    if (chunk.length && (chunk.length >= SEND_BATCH_MAX_MESSAGES || bytes + t.bytes > SEND_BATCH_MAX_BYTES)) await flush();
    const body = t.body;
    chunk.push({ body, contentType: typeof body === "string" ? "text" : "bytes" });
    bytes += t.bytes;
  }
  await flush();
  return backlog;
}

const utf8 = new TextDecoder();

/**
 * A message body as the producer meant it: JSON text parsed, JSON sent as UTF-8 bytes (`contentType: "bytes"`, the CSV
 * import's ingest messages) parsed, anything else as delivered; unparsable text or bytes stay as they came.
 */
export function decodeBody(body: unknown): unknown {
  if (body instanceof ArrayBuffer || ArrayBuffer.isView(body)) {
    try {
      return JSON.parse(utf8.decode(body));
    } catch {
      return body;
    }
  }
  if (typeof body !== "string") return body;
  try {
    return JSON.parse(body);
  } catch {
    return body;
  }
}

/** The batch with every body decoded (parsed once per message); acks and retries go to the original messages. */
export function decodeBatch<T>(batch: MessageBatch<unknown>): MessageBatch<T> {
  const messages = batch.messages.map(
    (m): Message<T> => ({
      id: m.id,
      timestamp: m.timestamp,
      attempts: m.attempts,
      body: decodeBody(m.body) as T,
      ack: () => m.ack(),
      retry: (o) => m.retry(o),
    }),
  );
  return { queue: batch.queue, metadata: batch.metadata, messages, ackAll: () => batch.ackAll(), retryAll: (o) => batch.retryAll(o) };
}
