/**
 * Amplitude DSR forwarding: erasure through the User Privacy (deletion) API v1 (partners.md §2):
 * POST {amplitude.com | analytics.eu.amplitude.com}/api/2/deletions/users, Basic api_key:secret_key,
 * `user_ids` = the identity the event output sends as user_id, ≤ 100 ids per request. Amplitude has no
 * access / portability API: those requests are skipped.
 */
import { z } from "zod";
import { chunk } from "../runtime/batching";
import { type DsrCapability, type PartnerRequest, subjectIdsOf } from "../runtime/types";
import { configSchema } from "./settings";

/** Privacy / dashboard REST hosts by organization location (partners.md §2). */
export const DELETION_ENDPOINTS = { us: "https://amplitude.com/api/2/deletions/users", eu: "https://analytics.eu.amplitude.com/api/2/deletions/users" } as const;
/** ≤ 100 ids per deletion request (partners.md §2). */
export const MAX_DELETE_IDS = 100;
/** The `requester` recorded by Amplitude for our deletion jobs. */
export const REQUESTER = "edge-cdp";

/** The event output's settings plus the secret key the deletion API needs. */
export const amplitudeConfigSchema = configSchema.extend({
  secretKey: z
    .string()
    .min(1)
    .optional()
    .describe("Amplitude project secret key (Project Settings). Needed only to forward erasure requests to the User Privacy API."),
});
export type AmplitudeDsrConfig = z.output<typeof amplitudeConfigSchema>;

export const amplitudeDsr: DsrCapability<AmplitudeDsrConfig> = {
  requestTypes: ["erasure"],
  domain: () => "amplitude.com",
  requests({ subject, config }) {
    const type = config.userIdentification;
    const unique = subjectIdsOf(subject, type);
    if (!unique.length) return { skip: `no ${type} identity: Amplitude deletes by user_id only` };
    if (!config.secretKey) return { fail: "no secret key configured: the User Privacy API needs api_key:secret_key" };
    const headers = { "Content-Type": "application/json", Authorization: `Basic ${btoa(`${config.apiKey}:${config.secretKey}`)}` };
    return chunk(unique, { maxItems: MAX_DELETE_IDS }).map((user_ids): PartnerRequest => {
      const body = { user_ids, requester: REQUESTER, ignore_invalid_id: true, delete_from_org: false };
      return { method: "POST", url: DELETION_ENDPOINTS[config.organization], headers, body: JSON.stringify(body), jobs: [] };
    });
  },
};
