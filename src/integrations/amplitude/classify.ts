/** Amplitude answers (partners.md §2): a 400 listing invalid events ingests nothing; resend the rest without them. */
import { classifyHttp } from "../runtime/classify";
import type { ItemFailure, Outcome, PartnerRequest, PartnerResponse } from "../runtime/types";
import { THROTTLE_PAUSE_SECONDS } from "./settings";

type Body = { error?: string; events_with_invalid_fields?: Record<string, number[]>; events_with_missing_fields?: Record<string, number[]>; silenced_events?: number[] };

/** Classifies one Amplitude answer. */
export function classifyAmplitude(res: PartnerResponse, req: PartnerRequest): Outcome {
  if (res.status === 400) {
    let body: Body = {};
    try {
      body = JSON.parse(res.body) as Body;
    } catch {
      // not JSON: whole request refused
    }
    const why = new Map<number, string[]>();
    const add = (i: number, reason: string) => why.set(i, [...(why.get(i) ?? []), reason]);
    for (const [field, idx] of Object.entries(body.events_with_invalid_fields ?? {})) for (const i of idx) add(i, `invalid ${field}`);
    for (const [field, idx] of Object.entries(body.events_with_missing_fields ?? {})) for (const i of idx) add(i, `missing ${field}`);
    for (const i of body.silenced_events ?? []) add(i, "events silenced for device_id");
    const failed: ItemFailure[] = [];
    for (const [i, reasons] of why) {
      const item = req.items?.[i];
      if (item) failed.push({ item, reason: `Amplitude: ${reasons.join(", ")}` });
    }
    if (failed.length) return { kind: "partial", failed, rest: "resend", reason: body.error ?? "Invalid field values on some events" };
  }
  const outcome = classifyHttp(res);
  if (res.status === 429 && outcome.kind === "retryable" && outcome.retryAfterSeconds === undefined) return { ...outcome, retryAfterSeconds: THROTTLE_PAUSE_SECONDS };
  return outcome;
}
