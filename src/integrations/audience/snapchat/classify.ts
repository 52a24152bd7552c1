/**
 * Snapchat answers (partners.md §8): no per-item status, a failed request fails the whole batch; 401 faults
 * as auth, 403 and `E3002` (permissions) as permission; 429 and 5xx retry.
 */
import type { Outcome, PartnerResponse } from "../../runtime/types";
import { classifyAudienceHttp, jsonBody, permissionFault, reasonOf } from "../shared/classify";

type Body = { request_status?: string; error_code?: string; debug_message?: string; display_message?: string };

export function classifySnap(res: PartnerResponse): Outcome {
  const body = jsonBody<Body>(res);
  const detail = body?.debug_message ?? body?.display_message;
  if (body?.error_code === "E3002") return permissionFault(reasonOf("Snapchat", res, `E3002 ${detail ?? ""}`));
  const base = classifyAudienceHttp("Snapchat", res, { detail });
  if (base.kind === "ok" && body?.request_status?.toUpperCase() === "ERROR") return { kind: "permanent", reason: reasonOf("Snapchat", res, detail) };
  return base;
}
