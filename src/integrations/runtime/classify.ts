/** Default answer classification shared by every integration (ARCHITECTURE.md "Errors"). */
import type { Outcome, PartnerResponse } from "./types";

/** Statuses worth retrying: timeouts, locks, throttling and server errors except 501 Not Implemented. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 423 || status === 429 || (status >= 500 && status !== 501);
}

/** Parses Retry-After (delta seconds or HTTP date) into whole seconds, or undefined. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v);
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}

/** ok for 2xx; retryable for network errors, timeouts and `isRetryableStatus`; permanent otherwise. */
export function classifyHttp(res: PartnerResponse): Outcome {
  if (res.error !== undefined || res.status === undefined) return { kind: "retryable", reason: res.error ?? "no response" };
  if (res.status >= 200 && res.status < 300) return { kind: "ok" };
  const reason = `HTTP ${res.status}`;
  if (isRetryableStatus(res.status)) {
    return { kind: "retryable", reason, retryAfterSeconds: parseRetryAfter(res.headers["retry-after"]) };
  }
  return { kind: "permanent", reason };
}
