/** Mixpanel answers (partners.md §1): /import 400 with failed_records is a partial success; /track and /engage may answer 200 with an error. */
import { classifyHttp } from "../runtime/classify";
import type { ItemFailure, Outcome, PartnerRequest, PartnerResponse } from "../runtime/types";

type FailedRecord = { index?: number; insert_id?: string; $insert_id?: string; field?: string; message?: string };

function parse(body: string): Record<string, unknown> | undefined {
  try {
    const v = JSON.parse(body);
    return v && typeof v === "object" ? v : undefined;
  } catch {
    return undefined;
  }
}

/** Classifies one Mixpanel answer. */
export function classifyMixpanel(res: PartnerResponse, req: PartnerRequest): Outcome {
  const path = new URL(req.url).pathname;
  const body = res.status !== undefined ? parse(res.body) : undefined;
  if (path === "/import" && res.status === 400 && Array.isArray(body?.failed_records)) {
    const records = body.failed_records as FailedRecord[];
    // Match by index, else by insert id (the key is `insert_id` in the current spec, `$insert_id` in older ones).
    const byInsertId = new Map<string, number>();
    if (records.some((r) => typeof r.index !== "number")) {
      (req.body ? (JSON.parse(req.body) as { properties: { $insert_id: string } }[]) : []).forEach((e, i) => byInsertId.set(e.properties.$insert_id, i));
    }
    const failed: ItemFailure[] = [];
    for (const r of records) {
      const i = typeof r.index === "number" ? r.index : byInsertId.get(r.insert_id ?? r.$insert_id ?? "");
      const it = i === undefined ? undefined : req.items?.[i];
      if (it) failed.push({ item: it, reason: `Mixpanel rejected ${r.field ?? "event"}: ${r.message ?? "invalid"}` });
    }
    if (failed.length) return { kind: "partial", failed, rest: "ok", reason: String(body.error ?? "some data points failed validation") };
  }
  if (res.status === 200 && (path === "/track" || path === "/engage")) {
    // verbose=1 answers {"status":1} or {"status":0,"error":"…"}; without it "1" / "0".
    const ok = body ? body.status === 1 || body.status === "1" || body.status === "OK" : res.body.trim() !== "0";
    if (!ok) return { kind: "permanent", reason: `Mixpanel refused the request: ${String(body?.error ?? res.body.trim())}` };
  }
  return classifyHttp(res);
}
