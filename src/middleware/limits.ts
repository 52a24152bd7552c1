/** Request size and rate limits of the Events API (mparticle-api.md §1.2, §9). */
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../env";
import { RateLimitError } from "../lib/errors";

export { bodyLimit } from "./body-limit";

/** Events API total request size: 256 KB for `/events` and `/bulkevents` (mparticle-api.md §1.2). */
export const EVENTS_API_MAX_BODY_BYTES = 256 * 1024;

/** Seconds a client waits after a 429: the rate limiter's period (wrangler.toml `[[ratelimits]]`). */
export const RATE_LIMIT_PERIOD_SECONDS = 10;

/** Default of `RATE_LIMIT_SYNC_MS` (wrangler.toml [vars]). */
export const DEFAULT_RATE_LIMIT_SYNC_MS = 100;

type LimitSlot = { checkedAt: number; allowed: boolean; pending: number };
/** Per rate-limit binding, per key: the last answer and the requests admitted since (not yet counted). */
const slots = new WeakMap<RateLimit, Map<string, LimitSlot>>();
/** Keys remembered per binding before the map is cleared (only bounds memory; a cleared key just calls again). */
const MAX_SLOTS = 10_000;

/**
 * Rate-limit check that consults the binding at most once per `syncMs` per key and isolate. Every request
 * is counted: requests admitted on the last answer are added (`delta`) to the next call, so the binding's
 * count is exact, only up to `syncMs` late. A refused answer refuses this isolate's requests for the key
 * until the next call (at most `syncMs` later). `syncMs` 0 calls the binding for every request.
 *
 * Cloudflare documents the binding itself as permissive and eventually consistent (counts cached per
 * location), so this adds at most `syncMs` of lag to an already approximate limit, while a busy isolate
 * makes ~10 binding calls a second instead of one per request.
 */
export async function limitCoalesced(limiter: RateLimit, key: string, syncMs: number, now = Date.now()): Promise<boolean> {
  if (!(syncMs > 0)) return (await limiter.limit({ key })).success;
  let byKey = slots.get(limiter);
  if (!byKey) slots.set(limiter, (byKey = new Map()));
  let slot = byKey.get(key);
  if (slot && now - slot.checkedAt < syncMs) {
    if (!slot.allowed) return false;
    slot.pending++;
    return true;
  }
  if (!slot) {
    if (byKey.size >= MAX_SLOTS) byKey.clear();
    // Until the first answer arrives, concurrent requests are admitted (and counted with the next call).
    slot = { checkedAt: now, allowed: true, pending: 0 };
    byKey.set(key, slot);
  }
  const delta = slot.pending + 1;
  slot.pending = 0;
  slot.checkedAt = now;
  let success: boolean;
  try {
    ({ success } = await limiter.limit({ key, delta }));
  } catch (err) {
    slot.pending += delta - 1; // not counted: carried to the next call
    slot.checkedAt = 0;
    throw err;
  }
  slot.allowed = success;
  // A refused call counted nothing: the requests admitted before it are carried to the next call.
  if (!success) slot.pending += delta - 1;
  return success;
}

/** The sync interval of the input rate limiter (`RATE_LIMIT_SYNC_MS`, default 100 ms; 0 = check every request). */
export function rateLimitSyncMs(env: Env): number {
  const raw = env.RATE_LIMIT_SYNC_MS;
  const n = raw === undefined || raw === "" ? DEFAULT_RATE_LIMIT_SYNC_MS : Number(raw);
  return Number.isFinite(n) && n >= 0 ? Math.min(n, 10_000) : DEFAULT_RATE_LIMIT_SYNC_MS;
}

/** Whether an input may send one more request now (per-input key of INPUT_RATE_LIMITER). */
export const inputAllowed = (env: Env, inputId: number): Promise<boolean> => limitCoalesced(env.INPUT_RATE_LIMITER, `input:${inputId}`, rateLimitSyncMs(env));

/**
 * Per-input rate limit through the Workers rate-limiting binding. 429 carries `Retry-After` and
 * `X-mp-rate-limit-exceeded` ("app" for platform inputs, "feed" for feeds), as mParticle answers.
 */
export const inputRateLimit = () =>
  createMiddleware<AppEnv>(async function inputRateLimit(c, next) {
    const input = c.get("input");
    if (!(await inputAllowed(c.env, input.id))) throw new RateLimitError(RATE_LIMIT_PERIOD_SECONDS, input.kind === "feed" ? "feed" : "app");
    await next();
  });
