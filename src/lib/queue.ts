/** Queue hand-off helpers that respect the platform's message and batch limits. */

/** Cloudflare Queues: 128 KB per message; we keep a margin for the envelope. */
export const QUEUE_MESSAGE_MAX_BYTES = 120_000;
/** Cloudflare Queues `sendBatch`: at most 100 messages and 256 KB per call (margin kept). */
export const SEND_BATCH_MAX_MESSAGES = 100;
export const SEND_BATCH_MAX_BYTES = 240_000;

const enc = new TextEncoder();

/** UTF-8 byte length of a value's JSON. */
export function jsonBytes(value: unknown): number {
  return enc.encode(JSON.stringify(value)).byteLength;
}

/**
 * Sends every body, in as few `sendBatch` calls as the limits allow. Throws if any call fails
 * (callers answer 503 or retry the source message; nothing is acknowledged before this resolves).
 * `sizeOf` gives a body's size when the caller already knows it, so it is not serialized just to be measured.
 */
export async function sendAll<T>(queue: Queue<T>, bodies: T[], opts: { delaySeconds?: number; sizeOf?: (body: T) => number | undefined } = {}): Promise<void> {
  if (bodies.length === 1) {
    await queue.send(bodies[0]!, { contentType: "json", delaySeconds: opts.delaySeconds });
    return;
  }
  let chunk: MessageSendRequest<T>[] = [];
  let bytes = 0;
  const flush = async () => {
    if (chunk.length === 1) await queue.send(chunk[0]!.body, { contentType: "json", delaySeconds: opts.delaySeconds });
    else if (chunk.length > 1) await queue.sendBatch(chunk, { delaySeconds: opts.delaySeconds });
    chunk = [];
    bytes = 0;
  };
  for (const body of bodies) {
    const size = opts.sizeOf?.(body) ?? jsonBytes(body);
    if (chunk.length && (chunk.length >= SEND_BATCH_MAX_MESSAGES || bytes + size > SEND_BATCH_MAX_BYTES)) await flush();
    chunk.push({ body, contentType: "json" });
    bytes += size;
  }
  await flush();
}
