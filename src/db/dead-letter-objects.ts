/**
 * Dead-letter payloads in R2 (binding DEAD_LETTERS): one object per dead letter, the whole record (index
 * fields, the partner's answer, the payload). Keys: `pending/<workspace>/<connection>/<id>`, moved to
 * `replayed/…` when replayed ("_" for a missing workspace or connection), so a connection's pending dead
 * letters are one prefix listing, in id order. D1 keeps a bounded index of the newest (db/queries/dead-letters.ts).
 * Growth: one object per dead letter (payload size, ~2 KB per job), kept until replayed + lifecycle, or discarded.
 */

/** What a dead letter is, as stored. `payload` is the queued job or message (parsed JSON, or text if it never was). */
export type DeadLetterRecord = {
  id: string;
  connectionId: number | null;
  outputId: number | null;
  workspaceId: number | null;
  inputId: number | null;
  batchId: string | null;
  reason: string;
  attempts: number;
  statusCode: number | null;
  response: string | null;
  payload: unknown;
  createdAt: number;
  replayedAt: number | null;
};

/** Where a dead letter is: its scope and status. */
export type DeadLetterPlace = { id: string; workspaceId: number | null; connectionId: number | null; replayedAt: number | null };

/** Object custom metadata: `n` = short hashes of the MPIDs and identity values in the payload, or "*" (erasure pre-filter). */
export type DeadLetterMeta = { n: string };

const part = (v: number | null) => (v === null ? "_" : String(v));

/** The prefix of a scope's dead letters of one status (workspace only: every connection of it). */
export function deadLetterPrefix(status: "pending" | "replayed", workspaceId: number | null, connectionId?: number | null): string {
  return connectionId === undefined ? `${status}/${part(workspaceId)}/` : `${status}/${part(workspaceId)}/${part(connectionId)}/`;
}

/** The object key of a dead letter. */
export function deadLetterKey(d: DeadLetterPlace): string {
  return `${deadLetterPrefix(d.replayedAt === null ? "pending" : "replayed", d.workspaceId, d.connectionId)}${d.id}`;
}

/** At most this many R2 operations in flight from one call (a Worker's simultaneous-connection budget). */
const R2_CONCURRENCY = 6;

/** Runs `fn` over `items`, at most R2_CONCURRENCY at a time. */
export async function eachLimited<T>(items: T[], fn: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(R2_CONCURRENCY, items.length) }, worker));
}

/** Writes dead letters (a redelivery writes the same object again: same key, same content). */
export async function putDeadLetterObjects(bucket: R2Bucket, records: { record: DeadLetterRecord; meta: DeadLetterMeta }[]): Promise<void> {
  await eachLimited(records, ({ record, meta }) => bucket.put(deadLetterKey(record), JSON.stringify(record), { customMetadata: meta, httpMetadata: { contentType: "application/json" } }));
}

/** A dead letter's record, or null when its object is gone. */
export async function getDeadLetterObject(bucket: R2Bucket, place: DeadLetterPlace): Promise<DeadLetterRecord | null> {
  const obj = await bucket.get(deadLetterKey(place));
  return obj ? ((await obj.json()) as DeadLetterRecord) : null;
}

/** Moves a dead letter to `replayed/` with its replay time (written before the pending object is deleted: never lost). */
export async function moveToReplayed(bucket: R2Bucket, record: DeadLetterRecord, meta: DeadLetterMeta, replayedAt: number): Promise<void> {
  const replayed = { ...record, replayedAt };
  await bucket.put(deadLetterKey(replayed), JSON.stringify(replayed), { customMetadata: meta, httpMetadata: { contentType: "application/json" } });
  await bucket.delete(deadLetterKey({ ...record, replayedAt: null }));
}

/** Deletes a dead letter's objects (both statuses). */
export async function deleteDeadLetterObject(bucket: R2Bucket, place: DeadLetterPlace): Promise<void> {
  await bucket.delete([deadLetterKey({ ...place, replayedAt: null }), deadLetterKey({ ...place, replayedAt: 0 })]);
}

/** One page of objects under a prefix, with their metadata. */
export async function listDeadLetterObjects(bucket: R2Bucket, prefix: string, opts: { cursor?: string; limit?: number } = {}) {
  const page = await bucket.list({ prefix, cursor: opts.cursor, limit: opts.limit ?? 1000, include: ["customMetadata"] });
  return { objects: page.objects.map((o) => ({ key: o.key, meta: (o.customMetadata ?? { n: "*" }) as DeadLetterMeta })), cursor: page.truncated ? page.cursor : undefined };
}
