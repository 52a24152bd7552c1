/**
 * The webhook audience output (ours, docs/audience-outputs.md): membership changes POSTed as JSON
 * `{"audience_id","audience_name","action":"add"|"delete","users":[{"mpid","user_identities","device_identities","user_attributes"}]}`,
 * one request per action and upload, signed like the webhook event output (X-Edge-CDP-Signature: sha256=<hex
 * HMAC-SHA256 of the body>). The output's settings are the webhook's (`url`, `sharedSecret`).
 */
import { z } from "zod";
import { hmacSha256Hex } from "../../../lib/crypto";
import { classifyHttp } from "../../runtime/classify";
import type { AudiencePartner, AudienceRequest, MembershipChange } from "../../runtime/audience-types";
import { webhookConfigSchema } from "../../webhook";
import { SIGNATURE_HEADER } from "../../webhook/signature";

/** Users per request (our bound: a request of 1,000 users with a few attributes each is a few hundred KB). */
export const WEBHOOK_AUDIENCE_BATCH = 1000;

const connectionSchema = z.looseObject({});

/** The JSON body of one request. */
export function webhookAudienceBody(audience: { id: number; name: string }, action: "add" | "delete", changes: MembershipChange[]): string {
  return JSON.stringify({
    audience_id: audience.id,
    audience_name: audience.name,
    action,
    users: changes.map(({ member: m }) => ({ mpid: m.mpid, user_identities: m.user_identities, device_identities: m.device_identities, user_attributes: m.user_attributes })),
  });
}

export const webhookAudience: AudiencePartner<typeof webhookConfigSchema, typeof connectionSchema> = {
  slug: "webhook",
  title: "Webhook",
  configSchema: webhookConfigSchema,
  connectionSchema,
  secretSettings: ["sharedSecret"],
  // Near real time: a minute, or at once when a full request's worth is waiting.
  cadence: { maxWaitSeconds: 60, maxPending: WEBHOOK_AUDIENCE_BATCH },
  maxRowsPerUpload: WEBHOOK_AUDIENCE_BATCH,
  async upload({ audience, config, changes }) {
    const requests: AudienceRequest[] = [];
    for (const action of ["add", "delete"] as const) {
      const mine = changes.filter((c) => c.action === action);
      if (!mine.length) continue;
      const body = webhookAudienceBody(audience, action, mine);
      const headers: Record<string, string> = { "Content-Type": "application/json", "User-Agent": "edge-cdp-webhook/1" };
      if (config.sharedSecret) headers[SIGNATURE_HEADER] = `sha256=${await hmacSha256Hex(config.sharedSecret, body)}`;
      requests.push({ method: "POST", url: config.url, headers, body, action, mpids: mine.map((c) => c.member.mpid) });
    }
    return { requests, skipped: [] };
  },
  classify(res) {
    // The receiver refusing our credentials: the connection is faulted until resumed (nothing is dropped).
    if (res.status === 401) return { kind: "permanent", reason: "auth: HTTP 401" };
    if (res.status === 403) return { kind: "permanent", reason: "permission: HTTP 403" };
    return classifyHttp(res);
  },
};
