/** Braze answers (partners.md §3): 2xx with `errors` = non-fatal per-item errors; 429 honours X-RateLimit-Reset. */
import { classifyHttp } from "../runtime/classify";
import type { ItemFailure, Outcome, PartnerRequest, PartnerResponse } from "../runtime/types";

type Body = { message?: string; errors?: { type?: string; input_array?: string; index?: number }[] };

/** Classifies one Braze /users/track answer. */
export function classifyBraze(res: PartnerResponse, req: PartnerRequest, now = Date.now()): Outcome {
  const outcome = classifyHttp(res);
  if (outcome.kind === "retryable" && res.status === 429 && outcome.retryAfterSeconds === undefined) {
    const reset = Number(res.headers["x-ratelimit-reset"]);
    if (Number.isFinite(reset) && reset > 0) return { ...outcome, retryAfterSeconds: Math.max(0, Math.ceil(reset - now / 1000)) };
  }
  if (outcome.kind !== "ok") return outcome;
  let body: Body;
  try {
    body = JSON.parse(res.body) as Body;
  } catch {
    return outcome;
  }
  if (body.message !== undefined && body.message !== "success" && body.message !== "queued") {
    return { kind: "permanent", reason: `Braze: ${body.message}` };
  }
  const failed: ItemFailure[] = [];
  for (const e of body.errors ?? []) {
    const inGroup = (req.items ?? []).filter((it) => it.group === e.input_array);
    const item = typeof e.index === "number" ? inGroup[e.index] : undefined;
    if (item) failed.push({ item, reason: `Braze ${e.input_array}[${e.index}]: ${e.type ?? "error"}` });
  }
  return failed.length ? { kind: "partial", failed, rest: "ok", reason: "Braze reported non-fatal errors" } : outcome;
}
