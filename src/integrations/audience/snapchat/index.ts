/**
 * Snapchat audience match output (seed 002, partners.md §8): one segment per identity type, SHA-256 of the
 * normalised email, mobile advertising id (lowercase, hyphens kept) and phone (digits with country code);
 * `POST` / `DELETE /v1/segments/{id}/users`, at most 100,000 ids per request.
 */
import type { AudiencePartner, AudienceRequest, AudienceUploadInput, SkippedMember } from "../../runtime/audience-types";
import { hashEmail, hashPhone, sha256Hex } from "../../runtime/hash";
import { device, identity, phones, uploadPerList } from "../shared/members";
import type { AudienceMember } from "../../runtime/audience-types";
import { classifySnap } from "./classify";
import { connectSnap, disconnectSnap } from "./segments";
import { configSchema, connectionSchema, headers, MAX_IDS_PER_REQUEST, SEGMENTS, segmentKeys, segmentsOf, SNAP_API, type SegmentKey, type SnapConfig, type SnapConnection } from "./settings";

async function maidHash(v: string | undefined): Promise<string | undefined> {
  const m = v?.trim().toLowerCase();
  return m ? sha256Hex(m) : undefined;
}

async function hashesOf(key: SegmentKey, m: AudienceMember): Promise<string[]> {
  const hs =
    key === "email"
      ? [await hashEmail(identity(m, "email"))]
      : key === "maid"
        ? [await maidHash(device(m, "idfa")), await maidHash(device(m, "gaid"))]
        : await Promise.all(phones(m).map((p) => hashPhone(p)));
  return [...new Set(hs.filter((h): h is string => h !== undefined))];
}

/** Pure: one request per segment and action (split at 100,000 ids); `mpids` follow the body's rows. */
export async function uploadSnap(input: AudienceUploadInput<SnapConfig, SnapConnection>): Promise<{ requests: AudienceRequest[]; skipped: SkippedMember[] }> {
  const ids = segmentsOf(input.state);
  const keys = segmentKeys(input.connection).filter((k) => ids[k]);
  const { requests, unsent } = await uploadPerList(input.changes, keys, hashesOf, MAX_IDS_PER_REQUEST, (key, action, hashes) => ({
    method: action === "add" ? "POST" : "DELETE",
    url: `${SNAP_API}/segments/${ids[key]}/users`,
    headers: headers(input.config),
    body: JSON.stringify({ users: [{ schema: [SEGMENTS[key].schema], data: hashes.map((h) => [h]) }] }),
  }));
  const skipped = unsent.map((c) => ({ mpid: c.member.mpid, reason: keys.length ? "no email, device id or phone Snapchat can match (per the Forward settings)" : "the Snapchat segments do not exist yet (connect has not run)" }));
  return { requests, skipped };
}

export const snapchatAudience: AudiencePartner<typeof configSchema, typeof connectionSchema> = {
  slug: "snapchat",
  title: "Snapchat Audience Match",
  configSchema,
  connectionSchema,
  secretSettings: ["accessToken"],
  // "3 hours have passed since the last update, or at least 500000 messages are in the queue" (seed 002).
  cadence: { maxWaitSeconds: 3 * 3600, maxPending: 500_000 },
  maxRowsPerUpload: MAX_IDS_PER_REQUEST,
  connect: connectSnap,
  upload: uploadSnap,
  classify: (res) => classifySnap(res),
  disconnect: (ctx) => disconnectSnap(ctx),
};
