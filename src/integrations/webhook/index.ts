/** Webhook: POSTs each outbound batch as JSON to a configured URL, optionally signed with a shared secret. */
import { z } from "zod";
import { hmacSha256Hex } from "../../lib/crypto";
import { fieldTransformationSetting } from "../runtime/custom-mappings";
import type { IntegrationDefinition } from "../runtime/types";
import { webhookDsr } from "./dsr";
import { SIGNATURE_HEADER } from "./signature";

/** Header carrying `sha256=<hex HMAC-SHA256 of the raw body keyed by the shared secret>`. */
export { SIGNATURE_HEADER };

/** Output settings, shared by the event output and the audience output (src/integrations/audience/webhook/). */
export const webhookConfigSchema = z.object({
  url: z.url({ protocol: /^https?$/ }).describe("POST URL: every outbound batch is sent here as a JSON body."),
  sharedSecret: z
    .string()
    .min(1)
    .optional()
    .describe(`Shared secret. When set, each request carries ${SIGNATURE_HEADER}: sha256=<hex HMAC-SHA256 of the body>.`),
});

const connectionSchema = z.looseObject({
  systemNotifications: z
    .boolean()
    .optional()
    .describe("Forward consent changes as the batch's system_notifications (default true; false leaves them out)."),
  fieldTransformationId: fieldTransformationSetting,
});

export const webhook: IntegrationDefinition<typeof webhookConfigSchema, typeof connectionSchema> = {
  slug: "webhook",
  moduleId: 68,
  title: "Webhook",
  kinds: ["event", "dsr"],
  configSchema: webhookConfigSchema,
  connectionSchema,
  secretSettings: ["sharedSecret"],
  platforms: "*",
  eventTypes: "*",
  maxBatchesPerCall: 100,
  consentForwarding: "system_notifications",
  validationResults: true,
  customMappings: "object",
  async transform({ batches, config }) {
    return Promise.all(
      batches.map(async (batch, i) => {
        const body = JSON.stringify(batch);
        const headers: Record<string, string> = { "Content-Type": "application/json", "User-Agent": "edge-cdp-webhook/1" };
        if (config.sharedSecret) headers[SIGNATURE_HEADER] = `sha256=${await hmacSha256Hex(config.sharedSecret, body)}`;
        return { method: "POST" as const, url: config.url, headers, body, jobs: [i] };
      }),
    );
  },
  dsr: webhookDsr,
};
