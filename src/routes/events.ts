/**
 * Events API (mparticle-api.md §1): POST /v2/events, /v2/bulkevents, /v2/bulkevents/historical.
 * 202 only after the payload is in the ingest queue; 503 + Retry-After when that hand-off fails.
 */
import { type Context, Hono } from "hono";
import type { InputContext } from "../db/queries/inputs";
import type { AppEnv } from "../env";
import { type ErrorEntry, PayloadTooLargeError, UnavailableError, ValidationError } from "../lib/errors";
import { uuid } from "../lib/ids";
import { log, type LogFields } from "../lib/log";
import { groupSend } from "../lib/group-send";
import { shardQueue } from "../lib/queue-shards";
import { inputRateLimit } from "../middleware/limits";
import { inputAuth } from "../middleware/input-auth";
import { historicalViolation } from "../pipeline/historical";
import { inputEnvelope } from "../pipeline/input-envelope";
import type { IngestItem, IngestMessage } from "../pipeline/messages";
import type { SourceChannel } from "../pipeline/outbound";
import { packMessages, UnsplittableBatchError } from "../pipeline/split";
import { type Batch, parseBatch, parseBatchArray } from "../schema/batch";
import { applyServiceLimits } from "../schema/limits";

/** Most batches in one `/v2/bulkevents` request (mparticle-api.md §1.2). */
export const BULK_MAX_BATCHES = 100;

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new ValidationError([{ code: "BAD_REQUEST", message: `Malformed JSON: ${(err as Error).message}` }]);
  }
}

function countCorrections(batches: Batch[]): number {
  let n = 0;
  for (const b of batches) for (const v of Object.values(applyServiceLimits(b))) n += v;
  return n;
}

type Accept = { batches: Batch[]; rejected: ErrorEntry[]; historical: boolean; bodyBytes: number };

/** The body as text and its size in bytes (Content-Length, which the runtime enforces, else a UTF-8 bound). */
export async function readBody(c: Context<AppEnv>): Promise<{ text: string; bytes: number }> {
  const text = await c.req.text();
  const declared = Number(c.req.header("content-length"));
  return { text, bytes: Number.isFinite(declared) && declared >= text.length ? declared : text.length * 3 };
}

export const eventsRoutes = new Hono<AppEnv>();

// Body limit: EVENTS_API_MAX_BODY_BYTES, declared where the router is mounted (src/app.ts).
eventsRoutes.use("*", inputAuth(), inputRateLimit());

/** How accepted batches are handed to the ingest queue (shared by the Events API and the browser routes). */
export type HandOff = {
  channel: SourceChannel;
  historical: boolean;
  ip?: string;
  userAgent?: string;
  /** Browser traffic sent `Sec-GPC: 1`. */
  gpc?: boolean;
  /** Received with the public key alone: batch identities only add (IngestMessage.identityWrites). */
  identityWrites?: "add_only";
  /** Size of the request body the batches came from (lets small requests skip measuring). */
  bodyBytes?: number;
  /** Fields added to the request's `accepted` log line (logged with the queue send that carried it). */
  log?: LogFields;
};

/** Whether an error is a RangeError (also one re-created by the runtime across the queue binding). */
function isRangeError(err: unknown): boolean {
  return err instanceof RangeError || (err instanceof Error && err.name === "RangeError");
}

/** 400 for a payload that cannot be serialized (stack overflow, invalid string length): no retry helps. */
function unserializable(input: InputContext, err: unknown): ValidationError {
  log.warn("batch cannot be serialized; refused", { input_id: input.id, workspace_id: input.workspaceId, error: String(err) });
  return new ValidationError([{ code: "BAD_REQUEST", message: "The batch cannot be serialized (nested too deeply or too large); it was not accepted." }]);
}

/**
 * Applies the service limits, packs the batches into ingest messages and queues them. 413 when a batch
 * cannot be split to fit a message, 400 when it cannot be serialized at all (a RangeError: never a 503,
 * which clients retry forever), 503 (Retry-After) when the hand-off fails: nothing is accepted then.
 */
export async function queueBatches(env: Env, input: InputContext, batches: Batch[], h: HandOff, waitUntil?: (p: Promise<unknown>) => void): Promise<{ batchIds: string[]; messages: number }> {
  const limitCorrections = countCorrections(batches);
  const items: IngestItem[] = batches.map((batch) => ({ batchId: uuid(), eventOffset: 0, batch: batch as IngestItem["batch"] }));
  let messages: IngestMessage[];
  try {
    messages = packMessages(
      {
        v: 1,
        type: "ingest",
        ...inputEnvelope(input),
        receivedAt: Date.now(),
        channel: h.channel,
        historical: h.historical,
        ip: h.ip,
        userAgent: h.userAgent,
        ...(h.gpc ? { gpc: true } : {}),
        ...(h.identityWrites ? { identityWrites: h.identityWrites } : {}),
        limitCorrections,
      },
      items,
      h.bodyBytes,
    );
  } catch (err) {
    if (err instanceof UnsplittableBatchError) throw new PayloadTooLargeError(128 * 1024);
    if (isRangeError(err)) throw unserializable(input, err);
    throw err;
  }
  let texts: string[];
  try {
    texts = messages.map((m) => JSON.stringify(m));
  } catch (err) {
    if (isRangeError(err)) throw unserializable(input, err);
    throw err;
  }
  try {
    // Group commit: requests handed off while another send of this isolate is in flight share one message.
    const accepted: LogFields = { input_id: input.id, workspace_id: input.workspaceId, batch_ids: items.map((i) => i.batchId), messages: messages.length, ...h.log };
    // Queue shard: by input and isolate (INGEST_QUEUES), so the isolate's requests for the input still share messages.
    await groupSend(shardQueue(env, "INGEST", input.id) as Queue<string>, texts, waitUntil, accepted);
  } catch (err) {
    log.error("ingest hand-off failed", { input_id: input.id, workspace_id: input.workspaceId, error: String(err) });
    throw new UnavailableError("Could not accept the batch right now; retry later.");
  }
  return { batchIds: items.map((i) => i.batchId), messages: messages.length };
}

/** The request's waitUntil (absent outside a request, as in some unit tests). */
export function waitUntilOf(c: Context<AppEnv>): ((p: Promise<unknown>) => void) | undefined {
  let ctx: { waitUntil(p: Promise<unknown>): void } | undefined;
  try {
    ctx = c.executionCtx;
  } catch {
    return undefined; // Hono throws when the app runs without one
  }
  return ctx?.waitUntil ? (p) => ctx.waitUntil(p) : undefined;
}

async function accept(c: Context<AppEnv>, a: Accept) {
  const input = c.get("input");
  await queueBatches(c.env, input, a.batches, {
    channel: "server_to_server",
    historical: a.historical,
    ip: c.req.header("cf-connecting-ip") ?? undefined,
    userAgent: c.req.header("user-agent") ?? undefined,
    bodyBytes: a.bodyBytes,
    log: { rejected: a.rejected.length },
  }, waitUntilOf(c));
  return c.json(a.rejected.length ? { errors: a.rejected } : {}, 202);
}

eventsRoutes.post("/events", async (c) => {
  const body = await readBody(c);
  const parsed = parseBatch(parseJson(body.text));
  if (!parsed.ok) throw new ValidationError(parsed.errors);
  return accept(c, { batches: [parsed.batch], rejected: [], historical: false, bodyBytes: body.bytes });
});

eventsRoutes.post("/bulkevents", async (c) => {
  const body = await readBody(c);
  const parsed = parseBatchArray(parseJson(body.text), BULK_MAX_BATCHES);
  if (!parsed.ok) throw new ValidationError(parsed.errors);
  return accept(c, { batches: parsed.batches, rejected: [], historical: false, bodyBytes: body.bytes });
});

// Batches that break the historical rules are not processed; the others are (mParticle answers 202 when
// some batches of a bulk request fail). All rejected → 400.
eventsRoutes.post("/bulkevents/historical", async (c) => {
  const body = await readBody(c);
  const parsed = parseBatchArray(parseJson(body.text), BULK_MAX_BATCHES);
  if (!parsed.ok) throw new ValidationError(parsed.errors);
  const now = Date.now();
  const batches: Batch[] = [];
  const rejected: ErrorEntry[] = [];
  parsed.batches.forEach((b, i) => {
    const why = historicalViolation(b as { events?: { data?: { timestamp_unixtime_ms?: unknown } }[] }, now, `[${i}].`);
    if (why) rejected.push({ code: "BAD_REQUEST", message: why });
    else batches.push(b);
  });
  if (batches.length === 0) throw new ValidationError(rejected);
  return accept(c, { batches, rejected, historical: true, bodyBytes: body.bytes });
});
