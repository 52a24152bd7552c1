/**
 * Braze audience output (seed 002, audience-outputs.md §2): Braze has no segment API, so membership is written
 * as custom attributes through `POST /users/track` (75 attribute objects per request), keyed by
 * `external_id`; users without the external identity are skipped. Nothing is removed on disconnect or audience
 * deletion (seed 002: "mParticle will not update the audience user attributes in Braze").
 */
import type { AudiencePartner, AudienceRequest, AudienceUploadInput, SkippedMember } from "../../runtime/audience-types";
import type { ItemFailure, Outcome, PartnerResponse } from "../../runtime/types";
import { classifyAudienceHttp, jsonBody, secondsUntilReset } from "../shared/classify";
import { byAction, identity } from "../shared/members";
import { chunk } from "../../runtime/batching";
import { membershipAttributes } from "./attributes";
import { configSchema, connectionSchema, MAX_ATTRIBUTES_PER_REQUEST, trackUrl, type BrazeAudienceConfig, type BrazeAudienceConnection } from "./settings";

/** Pure: the `/users/track` requests of one upload, one action per request. */
export function uploadBraze(input: AudienceUploadInput<BrazeAudienceConfig, BrazeAudienceConnection>): { requests: AudienceRequest[]; skipped: SkippedMember[] } {
  const { config: c, audience } = input;
  const requests: AudienceRequest[] = [];
  const skipped: SkippedMember[] = [];
  for (const { action, members } of byAction(input.changes)) {
    const objects: { mpid: string; attrs: Record<string, unknown> }[] = [];
    for (const m of members) {
      const externalId = identity(m, c.externalIdentityType);
      if (!externalId) {
        skipped.push({ mpid: m.mpid, reason: `no ${c.externalIdentityType} (the External Identity Type): Braze membership is only written for users with an external id` });
        continue;
      }
      const membership = membershipAttributes(c.sendSegmentsAs, audience, action, m);
      if ("reason" in membership) {
        skipped.push({ mpid: m.mpid, reason: membership.reason });
        continue;
      }
      const email = c.emailIdentityType ? identity(m, c.emailIdentityType) : undefined;
      objects.push({ mpid: m.mpid, attrs: { external_id: externalId, ...(email ? { email } : {}), ...membership.attrs } });
    }
    for (const part of chunk(objects, { maxItems: MAX_ATTRIBUTES_PER_REQUEST })) {
      requests.push({
        method: "POST",
        url: trackUrl(c),
        headers: { Authorization: `Bearer ${c.apiKey}`, "Content-Type": "application/json" },
        body: JSON.stringify({ attributes: part.map((o) => o.attrs) }),
        action,
        mpids: part.map((o) => o.mpid),
      });
    }
  }
  return { requests, skipped };
}

type Body = { message?: string; errors?: { type?: string; input_array?: string; index?: number }[] };

/**
 * Braze answers (partners.md §3): 2xx `{"message":"success","errors":[{type,input_array,index}]}` = those
 * attribute objects were refused, the rest written; another `message` fails the request; 401 faults as auth,
 * 403 as permission; 429 waits until `X-RateLimit-Reset`.
 */
export function classifyBrazeAudience(res: PartnerResponse, req: AudienceRequest, now = Date.now()): Outcome {
  const body = jsonBody<Body>(res);
  const base = classifyAudienceHttp("Braze", res, { detail: body?.message, retryAfter: (r) => secondsUntilReset(r.headers["x-ratelimit-reset"], now) });
  if (base.kind !== "ok" || !body) return base;
  if (body.message !== undefined && body.message !== "success" && body.message !== "queued") return { kind: "permanent", reason: `Braze: ${body.message}` };
  const failed: ItemFailure[] = [];
  for (const e of body.errors ?? []) {
    if ((e.input_array ?? "attributes") === "attributes" && typeof e.index === "number" && e.index >= 0 && e.index < req.mpids.length) {
      failed.push({ item: { job: e.index, group: "attributes" }, reason: `Braze attributes[${e.index}]: ${e.type ?? "error"}` });
    }
  }
  return failed.length ? { kind: "partial", failed, rest: "ok", reason: `Braze refused ${failed.length} of ${req.mpids.length} users` } : base;
}

export const brazeAudience: AudiencePartner<typeof configSchema, typeof connectionSchema> = {
  slug: "braze",
  title: "Braze (audience)",
  configSchema,
  connectionSchema,
  secretSettings: ["apiKey"],
  // Near real time: "segment membership attributes should become available … within a few minutes" (seed 002).
  cadence: { maxWaitSeconds: 60, maxPending: MAX_ATTRIBUTES_PER_REQUEST },
  maxRowsPerUpload: 10 * MAX_ATTRIBUTES_PER_REQUEST,
  upload: uploadBraze,
  classify: (res, req) => classifyBrazeAudience(res, req),
  // No connect (Braze has no segment API) and no disconnect: attributes and segments stay (seed 002).
};
