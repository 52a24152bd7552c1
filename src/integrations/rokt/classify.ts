/**
 * Rokt answers (partners.md §7): 200 may list `data.unprocessedRecords[{error:{code,message}, record}]` →
 * those events fail permanently, the rest were accepted; 409 = Idempotency-Key already used, i.e. this very
 * request was accepted before (a retry after a lost answer) → delivered; everything else by HTTP status.
 */
import { classifyHttp } from "../runtime/classify";
import type { ItemFailure, Outcome, PartnerRequest, PartnerResponse } from "../runtime/types";

type Unprocessed = { error?: { code?: string; message?: string }; record?: { clientEventId?: string } };

function unprocessed(body: string): Unprocessed[] {
  try {
    const j = JSON.parse(body) as { data?: { unprocessedRecords?: unknown } };
    return Array.isArray(j?.data?.unprocessedRecords) ? (j.data.unprocessedRecords as Unprocessed[]) : [];
  } catch {
    return [];
  }
}

export function classify(res: PartnerResponse, req: PartnerRequest): Outcome {
  if (res.status === 409) return { kind: "ok" };
  const base = classifyHttp(res);
  if (base.kind !== "ok") return base;
  const records = unprocessed(res.body);
  if (!records.length) return base;
  const sent = (JSON.parse(req.body ?? "{}") as { events?: { clientEventId?: string }[] }).events ?? [];
  const items = req.items ?? [];
  const failed: ItemFailure[] = [];
  for (const r of records) {
    const reason = `${r.error?.code ?? "Error"}: ${r.error?.message ?? "unprocessed"}`;
    const i = sent.findIndex((e) => e.clientEventId !== undefined && e.clientEventId === r.record?.clientEventId);
    if (i >= 0 && items[i]) failed.push({ item: items[i]!, reason });
  }
  // Records we cannot match to a sent event: nothing can tell which were refused, so all are.
  if (failed.length < records.length) return { kind: "permanent", reason: `Rokt left ${records.length} records unprocessed: ${records[0]?.error?.message ?? ""}` };
  return { kind: "partial", failed, rest: "ok", reason: `Rokt left ${failed.length} of ${sent.length} events unprocessed` };
}
