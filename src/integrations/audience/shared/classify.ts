/**
 * Answer classification shared by audience partners (audience-outputs.md "Common mParticle behaviour"): 401
 * and 403 fault the connection (reasons "auth:…" / "permission:…", the uploader keeps the changes pending
 * until it is resumed), 429 and 5xx retry with the partner's delay, other 4xx are permanent.
 */
import { classifyHttp } from "../../runtime/classify";
import type { Outcome, PartnerResponse } from "../../runtime/types";

/** Bytes of a partner's error text kept in an outcome's reason. */
const REASON_TEXT = 300;

/** A short reason: the partner name, the status and the start of the answer. */
export function reasonOf(partner: string, res: PartnerResponse, detail?: string): string {
  const text = (detail ?? res.body ?? "").replace(/\s+/g, " ").trim().slice(0, REASON_TEXT);
  return `${partner} HTTP ${res.status ?? "-"}${text ? `: ${text}` : ""}`;
}

/** `permanent` with the reason prefix that faults the connection. */
export const authFault = (reason: string): Outcome => ({ kind: "permanent", reason: `auth: ${reason}` });
export const permissionFault = (reason: string): Outcome => ({ kind: "permanent", reason: `permission: ${reason}` });

/**
 * Default audience classification: network errors, 408/423/429/5xx retry (Retry-After honoured, or
 * `opts.retryAfter(res)` when the partner has its own header), 401 faults as auth, 403 as permission.
 */
export function classifyAudienceHttp(
  partner: string,
  res: PartnerResponse,
  opts: { retryAfter?: (res: PartnerResponse) => number | undefined; detail?: string } = {},
): Outcome {
  const base = classifyHttp(res);
  if (base.kind === "ok") return base;
  const reason = reasonOf(partner, res, opts.detail);
  if (res.status === 401) return authFault(reason);
  if (res.status === 403) return permissionFault(reason);
  if (base.kind === "retryable") {
    const after = base.retryAfterSeconds ?? opts.retryAfter?.(res);
    return { kind: "retryable", reason: res.status === undefined ? base.reason : reason, ...(after !== undefined ? { retryAfterSeconds: after } : {}) };
  }
  return { kind: "permanent", reason };
}

/** Seconds until an epoch-seconds reset header (`X-RateLimit-Reset`, X's `x-rate-limit-reset`), if it is one. */
export function secondsUntilReset(value: string | undefined, now = Date.now()): number | undefined {
  const reset = Number(value);
  return Number.isFinite(reset) && reset > 0 ? Math.max(0, Math.ceil(reset - now / 1000)) : undefined;
}

/** Parses a JSON answer body, or undefined. */
export function jsonBody<T>(res: PartnerResponse): T | undefined {
  try {
    return JSON.parse(res.body) as T;
  } catch {
    return undefined;
  }
}
