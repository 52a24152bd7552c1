/**
 * Snapchat segments of a connection (partners.md §8): all missing segments created in one
 * `POST /v1/adaccounts/{id}/segments`; deleted (`DELETE /v1/segments/{id}`) when the connection or the
 * audience is deleted ("the downstream segment in Snap will be deleted", seed 002, 2025).
 */
import type { AudienceCallContext, AudienceStepResult } from "../../runtime/audience-types";
import { jsonBody } from "../shared/classify";
import { classifySnap } from "./classify";
import { headers, MAX_NAME, RETENTION_DAYS, SEGMENTS, segmentKeys, segmentsOf, SNAP_API, type SegmentKey, type SnapConfig, type SnapConnection } from "./settings";

type Ctx = AudienceCallContext<SnapConfig, SnapConnection>;
type Created = { segments?: { sub_request_status?: string; sub_request_error_reason?: string; segment?: { id?: string; name?: string } }[] };

/**
 * The created segments' ids when the answer cannot be parsed: the runtime keeps only the first 4 KB of an
 * answer, and Snap returns each segment in full, so a long answer is cut. Segment objects start with their id.
 */
export function segmentIdsOf(body: string): NonNullable<Created["segments"]> {
  return [...body.matchAll(/"segment"\s*:\s*\{\s*"id"\s*:\s*"([^"]+)"/g)].map((m) => ({ segment: { id: m[1]! } }));
}

/** Creates the segments the settings call for and the state lacks; a failure deletes those it created. */
export async function connectSnap(ctx: Ctx): Promise<AudienceStepResult> {
  const ids = { ...segmentsOf(ctx.state) };
  const missing = segmentKeys(ctx.connection).filter((k) => !ids[k]);
  if (!missing.length) return { state: { ...ctx.state, segments: ids } };
  const segments = missing.map((k) => ({
    name: `${ctx.audience.external_name} (${SEGMENTS[k].suffix})`.slice(0, MAX_NAME),
    description: `mParticle audience ${ctx.audience.id}`,
    source_type: "FIRST_PARTY",
    retention_in_days: RETENTION_DAYS,
    ad_account_id: ctx.config.adAccountId,
  }));
  const res = await ctx.send({ method: "POST", url: `${SNAP_API}/adaccounts/${ctx.config.adAccountId}/segments`, headers: headers(ctx.config), body: JSON.stringify({ segments }) });
  const outcome = classifySnap(res);
  if (outcome.kind !== "ok") return { outcome };
  const answered = jsonBody<Created>(res)?.segments ?? segmentIdsOf(res.body);
  const made: SegmentKey[] = [];
  let failure: string | undefined;
  missing.forEach((k, i) => {
    const a = answered[i];
    const id = a?.segment?.id;
    if (id && (a.sub_request_status ?? "success").toLowerCase() === "success") (ids[k] = id), made.push(k);
    else failure ??= a?.sub_request_error_reason ?? "no segment in the answer";
  });
  if (failure !== undefined) {
    for (const k of made) await ctx.send({ method: "DELETE", url: `${SNAP_API}/segments/${ids[k]}`, headers: headers(ctx.config) });
    return { outcome: { kind: "permanent", reason: `Snapchat refused a segment: ${failure}` } };
  }
  return { state: { ...ctx.state, segments: ids } };
}

/** Deletes every segment of the connection (on audience delete and on disconnect); one already gone counts as deleted. */
export async function disconnectSnap(ctx: Ctx): Promise<AudienceStepResult> {
  const ids = { ...segmentsOf(ctx.state) };
  for (const k of Object.keys(ids) as SegmentKey[]) {
    const res = await ctx.send({ method: "DELETE", url: `${SNAP_API}/segments/${ids[k]}`, headers: headers(ctx.config) });
    const outcome = classifySnap(res);
    if (outcome.kind !== "ok" && res.status !== 404) return { outcome };
    delete ids[k];
  }
  return { state: { ...ctx.state, segments: ids } };
}
