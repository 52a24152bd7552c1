/**
 * Rokt audience output (seed 001, audience-outputs.md §3): one batch per member with an
 * `audiencemembershipupdate` event (`add` / `drop`) through Rokt's Event & Audience API (`/bulkevents`, ≤ 100
 * batches per request). Members without an email are skipped. Seed 001 states no cadence and no
 * disconnect behaviour: near real time, and nothing is removed downstream.
 */
import type { AudiencePartner, AudienceRequest, AudienceUploadInput, SkippedMember } from "../../runtime/audience-types";
import { classifyAudienceHttp } from "../shared/classify";
import { byAction } from "../shared/members";
import { chunk } from "../../runtime/batching";
import { roktBatch } from "./batch";
import { authorization, BULK_URL, configSchema, connectionSchema, MAX_BATCHES_PER_REQUEST, type RoktConfig, type RoktConnection } from "./settings";

export async function uploadRokt(input: AudienceUploadInput<RoktConfig, RoktConnection>): Promise<{ requests: AudienceRequest[]; skipped: SkippedMember[] }> {
  const requests: AudienceRequest[] = [];
  const skipped: SkippedMember[] = [];
  for (const { action, members } of byAction(input.changes)) {
    const batches: { mpid: string; batch: object }[] = [];
    for (const m of members) {
      const batch = await roktBatch(m, action, input.audience, input.config, input.connection, input.now);
      if (batch) batches.push({ mpid: m.mpid, batch });
      else skipped.push({ mpid: m.mpid, reason: "no email: Rokt matches audience members by email" });
    }
    for (const part of chunk(batches, { maxItems: MAX_BATCHES_PER_REQUEST })) {
      requests.push({
        method: "POST",
        url: BULK_URL,
        headers: { Authorization: authorization(input.config), "Content-Type": "application/json" },
        body: JSON.stringify(part.map((b) => b.batch)),
        action,
        mpids: part.map((b) => b.mpid),
      });
    }
  }
  return { requests, skipped };
}

export const roktAudience: AudiencePartner<typeof configSchema, typeof connectionSchema> = {
  slug: "rokt",
  title: "Rokt (audience)",
  configSchema,
  connectionSchema,
  secretSettings: ["apiKey", "secretKey"],
  // Near real time (no bulk thresholds in seed 001).
  cadence: { maxWaitSeconds: 60, maxPending: MAX_BATCHES_PER_REQUEST },
  maxRowsPerUpload: 10 * MAX_BATCHES_PER_REQUEST,
  upload: uploadRokt,
  // mParticle S2S answers (partners.md §7): 202 accepted; 401 auth, 403 permission; 429 (Retry-After) and 503 retry; 400 permanent.
  classify: (res) => classifyAudienceHttp("Rokt", res),
};
