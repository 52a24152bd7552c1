/**
 * Graph API answers of the custom audience endpoints (audience-outputs.md §1.5): OAuth errors fault the
 * connection as auth, permission / terms errors as permission; throttling (80003/2446079 and the app/user
 * limits) waits as long as the `X-Business-Use-Case-Usage` header's `estimated_time_to_regain_access` says.
 */
import type { Outcome, PartnerResponse } from "../../runtime/types";
import { authFault, classifyAudienceHttp, jsonBody, permissionFault } from "../shared/classify";

/** OAuth: 190 invalid/expired token, 102 session, 463/467 expired/invalid token. */
const AUTH = new Set([102, 190, 463, 467]);
/** Permissions: 10, 200–299 (200 covers 1870050 and 1870090 "Custom Audience Terms Not Accepted"), 294 needs ads_management. */
const isPermission = (code: number) => code === 10 || (code >= 200 && code <= 299);
/** Throttling: 4 app, 17 user, 32 page, 613 calls, 80003 custom audience business use case. */
const THROTTLED = new Set([4, 17, 32, 613, 80003]);
const TRANSIENT = new Set([1, 2]);
/** Meta publishes no Retry-After; wait at least this long when the usage header says nothing. */
export const THROTTLE_RETRY_SECONDS = 60;

type GraphError = { message?: string; code?: number; error_subcode?: number; is_transient?: boolean; error_user_msg?: string };
type Usage = Record<string, { type?: string; estimated_time_to_regain_access?: number }[]>;

/** Seconds until access returns per `X-Business-Use-Case-Usage` (minutes in the header), if it says so. */
export function regainAccessSeconds(res: PartnerResponse): number | undefined {
  const raw = res.headers["x-business-use-case-usage"];
  if (!raw) return undefined;
  let usage: Usage;
  try {
    usage = JSON.parse(raw) as Usage;
  } catch {
    return undefined;
  }
  let minutes = 0;
  for (const entries of Object.values(usage ?? {})) {
    for (const e of Array.isArray(entries) ? entries : []) {
      const m = Number(e?.estimated_time_to_regain_access);
      if (Number.isFinite(m) && m > minutes) minutes = m;
    }
  }
  return minutes > 0 ? minutes * 60 : undefined;
}

/** Graph error of an answer, if it has one. */
export function graphError(res: PartnerResponse): GraphError | undefined {
  const e = jsonBody<{ error?: GraphError }>(res)?.error;
  return e && typeof e.code === "number" ? e : undefined;
}

/** Classifies one answer of a Facebook custom audience call. */
export function classifyFacebookAudience(res: PartnerResponse): Outcome {
  const base = classifyAudienceHttp("Facebook", res, { retryAfter: regainAccessSeconds });
  const err = res.status !== undefined && res.status >= 400 ? graphError(res) : undefined;
  if (!err) return base;
  const code = err.code!;
  const reason = `Facebook HTTP ${res.status}: Graph error ${code}${err.error_subcode ? `/${err.error_subcode}` : ""} ${err.error_user_msg ?? err.message ?? ""}`.trim();
  if (AUTH.has(code)) return authFault(reason);
  if (isPermission(code)) return permissionFault(reason);
  if (THROTTLED.has(code)) {
    const after = regainAccessSeconds(res) ?? (base.kind === "retryable" ? base.retryAfterSeconds : undefined) ?? THROTTLE_RETRY_SECONDS;
    return { kind: "retryable", reason, retryAfterSeconds: after };
  }
  if (TRANSIENT.has(code) || err.is_transient) return { kind: "retryable", reason, ...(base.kind === "retryable" && base.retryAfterSeconds !== undefined ? { retryAfterSeconds: base.retryAfterSeconds } : {}) };
  // 100 invalid parameter, 105, 368, 2650 (incl. 1713230 "Audience Upload Blocked"): sending again cannot help.
  return { kind: "permanent", reason };
}

/** A delete of something Meta no longer has (404, or code 100 subcode 33 "does not exist"): already done. */
export function isGone(res: PartnerResponse): boolean {
  if (res.status === 404) return true;
  const e = graphError(res);
  return e?.code === 100 && e.error_subcode === 33;
}
