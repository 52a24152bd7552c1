/**
 * Helpers shared by the browser-facing routes (Web SDK, Pixel Service): web input lookup by the key in
 * the path, edge enrichment, the hand-off of browser batches to the ingest queue and edge drop counters.
 */
import type { Context } from "hono";
import { inputByKey } from "../../db/config-cache";
import { publicKeyIdentityChangesAllowed } from "../../identity/config";
import { commitCounters } from "../../db/counter-commit";
import { Counters } from "../../db/queries/counters";
import type { InputContext } from "../../db/queries/inputs";
import type { AppEnv } from "../../env";
import { ForbiddenError, UnauthorizedError, ValidationError } from "../../lib/errors";
import { log, type LogFields } from "../../lib/log";
import { type BrowserContext, browserContextOf, enrichBatch } from "../../pipeline/enrich";
import type { SourceChannel } from "../../pipeline/outbound";
import { type Batch, parseBatch } from "../../schema/batch";
import { queueBatches, waitUntilOf } from "../events";

/** Whether an input takes browser traffic (Web SDK, Pixel): a platform input whose platform is "web". */
export function isWebInput(input: Pick<InputContext, "kind" | "platform">): boolean {
  return input.kind === "platform" && input.platform === "web";
}

/**
 * The web input for a key from a path: 401 unknown, 403 disabled, 403 if not a web input (server keys
 * are refused on browser routes). Sets nothing.
 */
export async function webInputForKey(env: Env, key: string): Promise<InputContext> {
  const input = key ? await inputByKey(env, key) : null;
  if (!input) throw new UnauthorizedError("Unknown API key.");
  if (input.status !== "active") throw new ForbiddenError("This input is disabled.");
  if (!isWebInput(input)) throw new ForbiddenError("This key belongs to a server input; browser routes take web input keys only.");
  return input;
}

/** What the edge adds to browser traffic: `CF-Connecting-IP`, `User-Agent`, `Sec-GPC` and `cf` geolocation. */
export function browserContext(c: Context<AppEnv>): BrowserContext {
  return browserContextOf({ header: (n) => c.req.header(n), cf: (c.req.raw as { cf?: unknown }).cf });
}

/** Queues already-parsed (and enriched) browser batches; the events route's path. */
export async function queueParsedBrowserBatches(
  c: Context<AppEnv>,
  input: InputContext,
  batches: Batch[],
  opts: { channel: SourceChannel; ctx: BrowserContext; bodyBytes?: number; log?: LogFields },
): Promise<{ batchIds: string[]; messages: number }> {
  return queueBatches(c.env, input, batches, {
    channel: opts.channel,
    historical: false,
    ip: opts.ctx.ip,
    userAgent: opts.ctx.userAgent,
    gpc: opts.ctx.gpc,
    // Browser routes authenticate by the public key alone.
    ...(publicKeyIdentityChangesAllowed(input) ? {} : { identityWrites: "add_only" as const }),
    bodyBytes: opts.bodyBytes,
    log: { channel: opts.channel, ...opts.log },
  }, waitUntilOf(c));
}

/**
 * Queues batches from a web input like the Events API does (packMessages, sendAll, 503 on hand-off
 * failure), with channel, ip, userAgent and gpc on the message. Each batch is enriched (`enrichBatch`,
 * harmless when already done) and validated (400 ValidationError when one is not a valid batch).
 * Returns the number of queue messages.
 */
export async function queueBrowserBatches(
  c: Context<AppEnv>,
  input: InputContext,
  batches: Record<string, unknown>[],
  opts: { channel: SourceChannel; ctx: BrowserContext },
): Promise<number> {
  const parsed: Batch[] = [];
  for (const [i, b] of batches.entries()) {
    enrichBatch(b, opts.ctx);
    const r = parseBatch(b, batches.length > 1 ? `[${i}]` : "");
    if (!r.ok) throw new ValidationError(r.errors);
    parsed.push(r.batch);
  }
  const queued = await queueParsedBrowserBatches(c, input, parsed, opts);
  return queued.messages;
}

/**
 * Counts data dropped at the edge in `drop_counters` (group-committed with concurrent requests), and
 * logs it with the reasons. Never throws: a failed counter write is logged, the request's answer is unchanged.
 */
export async function recordEdgeDrops(
  env: Env,
  input: Pick<InputContext, "id" | "workspaceId">,
  drops: Record<string, number>,
  detail: Record<string, unknown> = {},
): Promise<void> {
  const counters = new Counters();
  for (const [reason, n] of Object.entries(drops)) if (n > 0) counters.drop(input.id, reason, n);
  if (!counters.statements(env.DB).length) return;
  log.warn("browser data dropped", { input_id: input.id, workspace_id: input.workspaceId, drops: Object.fromEntries(Object.entries(drops).filter(([, n]) => n > 0)), ...detail });
  try {
    // With the isolate's concurrent requests in one D1 write (src/db/counter-commit.ts).
    await commitCounters(env.DB, counters);
  } catch (err) {
    log.error("drop counter write failed", { input_id: input.id, workspace_id: input.workspaceId, error: String(err) });
  }
}
