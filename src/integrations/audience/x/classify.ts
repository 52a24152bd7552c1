/**
 * X Ads answers (partners.md §9): a batch is atomic; a 2xx whose `success_count` / `total_count` differ from
 * the users sent is an error to retry; `operation_errors` fail the request; 401 faults as auth except code
 * 135 (timestamp out of bounds: the request is rebuilt and signed again), 403 as permission; 429 waits until
 * `x-rate-limit-reset`.
 */
import type { AudienceRequest } from "../../runtime/audience-types";
import type { Outcome, PartnerResponse } from "../../runtime/types";
import { classifyAudienceHttp, jsonBody, reasonOf, secondsUntilReset } from "../shared/classify";

type Body = {
  data?: { success_count?: number; total_count?: number };
  errors?: { code?: number | string; message?: string }[];
  operation_errors?: unknown[];
};

export function classifyX(res: PartnerResponse, req?: AudienceRequest, now = Date.now()): Outcome {
  const body = jsonBody<Body>(res);
  const detail = body?.errors?.map((e) => `${e.code ?? ""} ${e.message ?? ""}`.trim()).join("; ");
  if (res.status === 401 && body?.errors?.some((e) => Number(e.code) === 135)) return { kind: "retryable", reason: reasonOf("X", res, detail) };
  const base = classifyAudienceHttp("X", res, { detail, retryAfter: (r) => secondsUntilReset(r.headers["x-rate-limit-reset"], now) });
  if (base.kind !== "ok" || !req) return base;
  const opErrors = (body?.operation_errors ?? []).filter((e) => (Array.isArray(e) ? e.length > 0 : e !== null));
  if (opErrors.length) return { kind: "permanent", reason: reasonOf("X", res, `operation_errors ${JSON.stringify(opErrors)}`) };
  const d = body?.data;
  if (d && typeof d.success_count === "number" && typeof d.total_count === "number" && (d.success_count !== req.mpids.length || d.total_count !== req.mpids.length)) {
    return { kind: "retryable", reason: `X processed ${d.success_count} of ${d.total_count} users, ${req.mpids.length} sent` };
  }
  return base;
}
