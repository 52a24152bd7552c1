/** Meta Graph error envelope classification (partners.md §4): codes decide retry vs permanent, not only the status. */
import { classifyHttp } from "../runtime/classify";
import type { Outcome, PartnerResponse } from "../runtime/types";

/** Transient service errors (1 unknown, 2 service, 341, 368, 5000, 21009). */
const TRANSIENT = new Set([1, 2, 341, 368, 5000, 21009]);
/** Rate limits (4 app, 17 user, 32 page, 613, 80003 ads). */
const THROTTLED = new Set([4, 17, 32, 613, 80003]);
/** Invalid parameter, OAuth, permissions and policy errors. */
const PERMANENT = new Set([3, 100, 105, 190, 200, 294, 2650, 2655, 1487301, 1487366]);
/** Meta publishes no Retry-After for rate limits; wait at least this long. */
export const THROTTLE_RETRY_SECONDS = 60;

type GraphError = { error?: { message?: string; code?: number; error_subcode?: number; is_transient?: boolean; error_user_msg?: string } };

/** Classifies one Conversions API answer. */
export function classifyFacebook(res: PartnerResponse): Outcome {
  const base = classifyHttp(res);
  if (base.kind === "ok" || res.status === undefined) return base;
  let err: GraphError["error"];
  try {
    err = (JSON.parse(res.body) as GraphError).error;
  } catch {
    return base;
  }
  if (!err || typeof err.code !== "number") return base;
  const reason = `HTTP ${res.status}: Graph error ${err.code}${err.error_subcode ? `/${err.error_subcode}` : ""} ${err.error_user_msg ?? err.message ?? ""}`.trim();
  if (THROTTLED.has(err.code)) return { kind: "retryable", reason, retryAfterSeconds: base.kind === "retryable" && base.retryAfterSeconds !== undefined ? base.retryAfterSeconds : THROTTLE_RETRY_SECONDS };
  if (PERMANENT.has(err.code)) return { kind: "permanent", reason };
  if (TRANSIENT.has(err.code) || err.is_transient) return { kind: "retryable", reason, ...(base.kind === "retryable" && base.retryAfterSeconds !== undefined ? { retryAfterSeconds: base.retryAfterSeconds } : {}) };
  return { ...base, reason } as Outcome;
}
