/**
 * Pinterest customer list output (seed 002, partners.md §10): SHA-1 of emails (trimmed, lowercase) and of
 * IDFAs / Google advertising ids (lowercase) into "<name>-EMAIL" / "<name>-MAID" lists;
 * `PATCH /v5/ad_accounts/{id}/customer_lists/{list}` with `operation_type` ADD / REMOVE and `records` as a
 * comma-separated string. Lists are never deleted downstream ("mParticle doesn't delete the downstream
 * audience"); a list that has been sent 300 million records stops receiving updates.
 */
import type { AudienceCallContext, AudienceMember, AudiencePartner, AudienceRequest, AudienceStepResult, AudienceUploadInput, SkippedMember } from "../../runtime/audience-types";
import { sha1Generic, sha1Hex } from "../../runtime/hash";
import type { Outcome, PartnerResponse } from "../../runtime/types";
import { classifyAudienceHttp, jsonBody, permissionFault } from "../shared/classify";
import { device, identity, uploadPerList } from "../shared/members";
import { configSchema, connectionSchema, headers, LISTS, listKeys, listsOf, MAX_RECORDS_PER_LIST, MAX_RECORDS_PER_REQUEST, PINTEREST_API, type ListKey, type PinterestConfig, type PinterestConnection } from "./settings";

type Ctx = AudienceCallContext<PinterestConfig, PinterestConnection>;

/**
 * Pinterest creates a list only with records. The first record is a hashed identifier that belongs to no one:
 * an email on the reserved `.invalid` domain (RFC 2606), or the all-zero advertising id opted-out devices report.
 */
export const seedRecord = (key: ListKey, audienceId: number) => sha1Hex(key === "email" ? `audience-${audienceId}@edge-cdp.invalid` : "00000000-0000-0000-0000-000000000000");

async function hashesOf(key: ListKey, m: AudienceMember): Promise<string[]> {
  const hs = key === "email" ? [await sha1Generic(identity(m, "email"))] : await Promise.all([sha1Generic(device(m, "idfa")), sha1Generic(device(m, "gaid"))]);
  return [...new Set(hs.filter((h): h is string => h !== undefined))];
}

/** Pure: one PATCH per list and action (split at 50,000 records); `mpids` follow the records. */
export async function uploadPinterest(input: AudienceUploadInput<PinterestConfig, PinterestConnection>): Promise<{ requests: AudienceRequest[]; skipped: SkippedMember[] }> {
  const ids = listsOf(input.state);
  const keys = listKeys(input.connection).filter((k) => ids[k]);
  const { requests, unsent } = await uploadPerList(input.changes, keys, hashesOf, MAX_RECORDS_PER_REQUEST, (key, action, hashes) => ({
    method: "PATCH",
    url: `${PINTEREST_API}/ad_accounts/${input.config.adAccountId}/customer_lists/${ids[key]}`,
    headers: headers(input.config),
    body: JSON.stringify({ records: hashes.join(","), operation_type: action === "add" ? "ADD" : "REMOVE" }),
  }));
  const skipped = unsent.map((c) => ({ mpid: c.member.mpid, reason: keys.length ? "no email or device id Pinterest can match (per the Forward settings)" : "the Pinterest customer lists do not exist yet (connect has not run)" }));
  return { requests, skipped };
}

/**
 * Pinterest answers (partners.md §10): 401 faults as auth, 403 as permission, 429 / 5xx retry. A list
 * that reports 300 million uploaded records faults the connection: no further updates are sent (seed 002).
 */
export function classifyPinterest(res: PartnerResponse): Outcome {
  const body = jsonBody<{ code?: number; message?: string; num_uploaded_user_records?: number }>(res);
  const base = classifyAudienceHttp("Pinterest", res, { detail: body?.message });
  if (base.kind === "ok" && typeof body?.num_uploaded_user_records === "number" && body.num_uploaded_user_records >= MAX_RECORDS_PER_LIST) {
    return permissionFault(`Pinterest list reached ${body.num_uploaded_user_records} uploaded records: at the 300,000,000 cap no further updates are sent`);
  }
  return base;
}

/** Creates the "-EMAIL" / "-MAID" customer lists the settings call for and the state lacks. */
async function connectPinterest(ctx: Ctx): Promise<AudienceStepResult> {
  const ids = { ...listsOf(ctx.state) };
  for (const key of listKeys(ctx.connection)) {
    if (ids[key]) continue;
    const body = { name: `${ctx.audience.external_name}${LISTS[key].suffix}`, records: await seedRecord(key, ctx.audience.id), list_type: LISTS[key].listType };
    const res = await ctx.send({ method: "POST", url: `${PINTEREST_API}/ad_accounts/${ctx.config.adAccountId}/customer_lists`, headers: headers(ctx.config), body: JSON.stringify(body) });
    const outcome = classifyPinterest(res);
    if (outcome.kind !== "ok") return { outcome };
    const id = jsonBody<{ id?: unknown }>(res)?.id;
    if (typeof id !== "string" || !id) return { outcome: { kind: "retryable", reason: "Pinterest answered the list creation without an id" } };
    ids[key] = id;
  }
  return { state: { ...ctx.state, customer_lists: ids } };
}

export const pinterestAudience: AudiencePartner<typeof configSchema, typeof connectionSchema> = {
  slug: "pinterest",
  title: "Pinterest Audiences",
  configSchema,
  connectionSchema,
  secretSettings: ["accessToken"],
  // "3 hours have passed since the last update, or at least 100000 messages are in the queue" (seed 002).
  cadence: { maxWaitSeconds: 3 * 3600, maxPending: 100_000 },
  maxRowsPerUpload: 100_000,
  connect: connectPinterest,
  upload: uploadPinterest,
  classify: (res) => classifyPinterest(res),
  // No disconnect: "mParticle doesn't delete the downstream audience when you delete an audience" (seed 002).
};
