/**
 * X (Twitter) custom audience output (seed 002, partners.md §9): one custom audience per connection, users
 * with SHA-256 email, handle and device ids, `POST …/custom_audiences/{id}/users` with operation `Update`
 * (add) or `Delete` (remove), OAuth 1.0a signed. X processes changes in 6–8 h batches and asks for at most
 * one add and one remove update per audience in that window, hence the 6 h minimum interval.
 */
import type { AudienceCallContext, AudienceMember, AudiencePartner, AudienceRequest, AudienceStepResult, AudienceUploadInput, SkippedMember } from "../../runtime/audience-types";
import { chunk } from "../../runtime/batching";
import { hashEmail, sha256Hex } from "../../runtime/hash";
import { byAction, device, identity } from "../shared/members";
import { jsonBody } from "../shared/classify";
import { classifyX } from "./classify";
import { audienceIdOf, configSchema, connectionSchema, MAX_BODY_BYTES, MAX_USERS_PER_REQUEST, signedHeaders, X_API, type XConfig, type XConnection } from "./settings";

type Ctx = AudienceCallContext<XConfig, XConnection>;
type XUser = { email?: string[]; handle?: string[]; device_id?: string[] };

const hashLower = async (v: string | undefined) => {
  const s = v?.trim().toLowerCase();
  return s ? sha256Hex(s) : undefined;
};

/** The member as an X user object, or undefined when it has nothing X matches on (per the Forward settings). */
async function xUser(m: AudienceMember, c: XConnection): Promise<XUser | undefined> {
  const u: XUser = {};
  const email = c.forwardEmails ? await hashEmail(identity(m, "email")) : undefined;
  const handle = c.forwardHandles ? await hashLower(identity(m, "twitter")?.replace(/^\s*@/, "")) : undefined;
  const devices = c.forwardDeviceIds ? (await Promise.all([hashLower(device(m, "idfa")), hashLower(device(m, "gaid"))])).filter((h): h is string => !!h) : [];
  if (email) u.email = [email];
  if (handle) u.handle = [handle];
  if (devices.length) u.device_id = [...new Set(devices)];
  return Object.keys(u).length ? u : undefined;
}

/** Pure: per action, requests of at most 2,500 users and 4 MB, one operation each. */
export async function uploadX(input: AudienceUploadInput<XConfig, XConnection>): Promise<{ requests: AudienceRequest[]; skipped: SkippedMember[] }> {
  const id = audienceIdOf(input.state);
  const skipped: SkippedMember[] = [];
  const requests: AudienceRequest[] = [];
  if (!id) return { requests, skipped: input.changes.map((c) => ({ mpid: c.member.mpid, reason: "the X custom audience does not exist yet (connect has not run)" })) };
  const url = `${X_API}/accounts/${input.config.accountId}/custom_audiences/${id}/users`;
  for (const { action, members } of byAction(input.changes)) {
    const users: { mpid: string; user: XUser }[] = [];
    for (const m of members) {
      const user = await xUser(m, input.connection);
      if (user) users.push({ mpid: m.mpid, user });
      else skipped.push({ mpid: m.mpid, reason: "no email, Twitter handle or device id X can match (per the Forward settings)" });
    }
    for (const part of chunk(users, { maxItems: MAX_USERS_PER_REQUEST, maxBytes: MAX_BODY_BYTES, overheadBytes: 80, size: (u) => JSON.stringify(u.user).length + 1 })) {
      const body = JSON.stringify([{ operation_type: action === "add" ? "Update" : "Delete", params: { users: part.map((u) => u.user) } }]);
      requests.push({ method: "POST", url, headers: await signedHeaders(input.config, "POST", url, body, input.now), body, action, mpids: part.map((u) => u.mpid) });
    }
  }
  return { requests, skipped };
}

/** Creates the custom audience (named after the audience's external name) unless the state has one. */
async function connectX(ctx: Ctx): Promise<AudienceStepResult> {
  if (audienceIdOf(ctx.state)) return { state: ctx.state };
  const url = `${X_API}/accounts/${ctx.config.accountId}/custom_audiences?name=${encodeURIComponent(ctx.audience.external_name)}&description=${encodeURIComponent(`mParticle audience ${ctx.audience.id}`)}`;
  const res = await ctx.send({ method: "POST", url, headers: await signedHeaders(ctx.config, "POST", url, undefined, ctx.now) });
  const outcome = classifyX(res, undefined, ctx.now);
  if (outcome.kind !== "ok") return { outcome };
  const id = jsonBody<{ data?: { id?: unknown } }>(res)?.data?.id;
  if (typeof id !== "string" || !id) return { outcome: { kind: "retryable", reason: "X answered the audience creation without an id" } };
  return { state: { ...ctx.state, custom_audience_id: id } };
}

/** Audience deleted: delete the custom audience ("mParticle deletes the downstream audience"). Disconnected: leave it. */
async function disconnectX(ctx: Ctx, reason: "audience_deleted" | "disconnected"): Promise<AudienceStepResult> {
  const id = audienceIdOf(ctx.state);
  if (reason === "disconnected" || !id) return { state: ctx.state };
  const url = `${X_API}/accounts/${ctx.config.accountId}/custom_audiences/${id}`;
  const res = await ctx.send({ method: "DELETE", url, headers: await signedHeaders(ctx.config, "DELETE", url, undefined, ctx.now) });
  const outcome = classifyX(res, undefined, ctx.now);
  if (outcome.kind !== "ok" && res.status !== 404) return { outcome };
  const { custom_audience_id: _gone, ...rest } = ctx.state;
  return { state: rest };
}

export const xAudience: AudiencePartner<typeof configSchema, typeof connectionSchema> = {
  slug: "twitter",
  title: "X (Twitter) Custom Audiences",
  configSchema,
  connectionSchema,
  secretSettings: ["consumerSecret", "accessToken", "accessTokenSecret"],
  // X: changes are processed in 6–8 h batches; "not more than one update for additions and one for removals
  // per audience" in that window (audience-outputs.md §4) → at most one upload per action every 6 h.
  cadence: { maxWaitSeconds: 6 * 3600, maxPending: 25_000, minIntervalSeconds: 6 * 3600 },
  maxRowsPerUpload: 25_000,
  connect: connectX,
  upload: uploadX,
  classify: (res, req) => classifyX(res, req),
  disconnect: disconnectX,
};
