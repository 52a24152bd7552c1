/** Retry timing for forward jobs: exponential backoff with jitter, never sooner than the partner's Retry-After. */

/** Longest backoff between two attempts, before Retry-After is applied. */
export const MAX_BACKOFF_SECONDS = 3600;
/** Cloudflare Queues accept a retry delay of at most 12 hours. */
export const QUEUE_MAX_DELAY_SECONDS = 43_200;

/**
 * Delay before the next attempt after `attempts` failed attempts (1-based): base·2^(attempts−1), capped,
 * with "equal jitter" (half fixed, half random), raised to `retryAfterSeconds` when the partner asked for more.
 */
export function backoffSeconds(attempts: number, baseSeconds: number, retryAfterSeconds?: number, rand: () => number = Math.random): number {
  const exp = Math.min(MAX_BACKOFF_SECONDS, baseSeconds * 2 ** Math.max(0, attempts - 1));
  const jittered = Math.ceil(exp / 2 + (rand() * exp) / 2);
  return Math.min(QUEUE_MAX_DELAY_SECONDS, Math.max(jittered, retryAfterSeconds ?? 0));
}
