/** Request size and rate limits of the Events API (mparticle-api.md §1.2, §9). */
import { bodyLimit as honoBodyLimit } from "hono/body-limit";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../env";
import { PayloadTooLargeError, RateLimitError } from "../lib/errors";

/** Events API total request size: 256 KB for `/events` and `/bulkevents` (mparticle-api.md §1.2). */
export const EVENTS_API_MAX_BODY_BYTES = 256 * 1024;

/** 413 with a JSON error body when the body is over `maxBytes` (checked on the stream, not only Content-Length). */
export const bodyLimit = (opts: { maxBytes?: number } = {}) => {
  const maxBytes = opts.maxBytes ?? EVENTS_API_MAX_BODY_BYTES;
  if (!(maxBytes > 0)) throw new Error("bodyLimit: maxBytes must be positive");
  return honoBodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new PayloadTooLargeError(maxBytes);
    },
  });
};

/** Seconds a client waits after a 429: the rate limiter's period (wrangler.toml `[[ratelimits]]`). */
export const RATE_LIMIT_PERIOD_SECONDS = 10;

/**
 * Per-input rate limit through the Workers rate-limiting binding. 429 carries `Retry-After` and
 * `X-mp-rate-limit-exceeded` ("app" for platform inputs, "feed" for feeds), as mParticle answers.
 */
export const inputRateLimit = () =>
  createMiddleware<AppEnv>(async function inputRateLimit(c, next) {
    const input = c.get("input");
    const { success } = await c.env.INPUT_RATE_LIMITER.limit({ key: `input:${input.id}` });
    if (!success) throw new RateLimitError(RATE_LIMIT_PERIOD_SECONDS, input.kind === "feed" ? "feed" : "app");
    await next();
  });
