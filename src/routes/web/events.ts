/**
 * Web SDK batches (real-clients.md §2.6, §3): `POST {v3SecureServiceUrl}{apiKey}/events`, one batch per
 * request, JSON sent as `text/plain` (also by `navigator.sendBeacon`), the web input key in the path and
 * no other credentials. The SDK retries a 400 forever and drops every batch of its upload round on other
 * 4xx, so usable data is accepted with 202 and what is not usable is dropped, counted and logged.
 */
import { type Context, Hono } from "hono";
import type { AppEnv } from "../../env";
import { type ErrorEntry, PayloadTooLargeError, ValidationError } from "../../lib/errors";
import { log } from "../../lib/log";
import { bodyLimit } from "../../middleware/body-limit";
import { inputRateLimit } from "../../middleware/limits";
import { webInput } from "./auth";
import { enrichBatch } from "../../pipeline/enrich";
import { readBody } from "../events";
import { browserContext, queueParsedBrowserBatches, recordEdgeDrops } from "./browser";
import { salvageBatch } from "./salvage";

/**
 * Largest Web SDK request body read. Above the Events API's 256 KB because the SDK cannot split a batch
 * (it is one MPID's session since the last upload); the queue hand-off splits big batches by events.
 */
export const WEB_EVENTS_MAX_BODY_BYTES = 1024 * 1024;

/** Reasons written to `drop_counters` by this route. */
export const WEB_DROP_REASONS = {
  malformedJson: "malformed_json",
  notABatch: "not_a_batch",
  invalidBatch: "invalid_batch",
  invalidEvent: "invalid_event",
  invalidField: "invalid_field",
  bodyTooLarge: "body_too_large",
  batchTooLarge: "batch_too_large",
} as const;

const dropped = (message: string): ErrorEntry => ({ code: "DROPPED", message });

/** 202 for a request whose data was dropped whole (counted): nothing for the SDK to retry. */
async function dropWhole(c: Context<AppEnv>, reason: string, message: string) {
  const input = c.get("input");
  await recordEdgeDrops(c.env, input, { [reason]: 1 }, { path: c.req.path, reason, detail: message });
  return c.json({ errors: [dropped(message)] }, 202);
}

export const webEventsRoutes = new Hono<AppEnv>();

webEventsRoutes.post(
  "/v3/JS/:apiKey/events",
  webInput(),
  inputRateLimit(),
  // After the key check (not at the mount): an oversized batch is dropped and counted against its input.
  bodyLimit({
    maxBytes: WEB_EVENTS_MAX_BODY_BYTES,
    onTooLarge: (c) => dropWhole(c as Context<AppEnv>, WEB_DROP_REASONS.bodyTooLarge, `Request body exceeds ${WEB_EVENTS_MAX_BODY_BYTES} bytes; batch dropped.`),
  }),
  async (c) => {
    const input = c.get("input");
    const { text, bytes: bodyBytes } = await readBody(c);
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (err) {
      return dropWhole(c, WEB_DROP_REASONS.malformedJson, `Malformed JSON: ${(err as Error).message}; batch dropped.`);
    }
    if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
      return dropWhole(c, WEB_DROP_REASONS.notABatch, "Body must be one batch (a JSON object); dropped.");
    }
    const body = raw as Record<string, unknown>;
    // The client IP of browser traffic is the connection's, never the body's.
    delete body.ip;
    const s = salvageBatch(body);
    if (!s.batch) {
      return dropWhole(c, WEB_DROP_REASONS.invalidBatch, `Batch unusable: ${s.messages.join("; ") || "invalid"}; dropped.`);
    }
    const ctx = browserContext(c);
    enrichBatch(s.batch, ctx);
    let batchIds: string[];
    try {
      const log = { source_request_id: s.batch.source_request_id, dropped_events: s.droppedEvents, dropped_fields: s.droppedFields };
      ({ batchIds } = await queueParsedBrowserBatches(c, input, [s.batch], { channel: "javascript", ctx, bodyBytes, log }));
    } catch (err) {
      // One event or the batch's own fields over a queue message: it can never be accepted.
      if (err instanceof PayloadTooLargeError) return dropWhole(c, WEB_DROP_REASONS.batchTooLarge, `${err.message} A single event or the batch fields are too large; batch dropped.`);
      // A batch that cannot be serialized (the depth cap makes this unreachable in practice): never a retry.
      if (err instanceof ValidationError) return dropWhole(c, WEB_DROP_REASONS.invalidBatch, `${err.message} Batch dropped.`);
      throw err; // 503: the SDK keeps the batch and retries
    }
    if (s.droppedEvents || s.droppedFields) {
      await recordEdgeDrops(
        c.env,
        input,
        { [WEB_DROP_REASONS.invalidEvent]: s.droppedEvents, [WEB_DROP_REASONS.invalidField]: s.droppedFields },
        { batch_id: batchIds[0], source_request_id: s.batch.source_request_id, detail: s.messages },
      );
      return c.json({ errors: s.messages.map(dropped) }, 202);
    }
    return c.json({}, 202);
  },
);
