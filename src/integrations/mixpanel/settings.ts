/** Mixpanel settings (seed 002 "Mixpanel"), endpoints and limits (partners.md §1). */
import { z } from "zod";
import { fieldTransformationSetting } from "../runtime/custom-mappings";

/** Ingestion hosts by data residency (partners.md §1). */
export const HOSTS = { us: "https://api.mixpanel.com", eu: "https://api-eu.mixpanel.com", in: "https://api-in.mixpanel.com" } as const;
/** /track and /import: 2000 events and 2 MB uncompressed per request (partners.md §1). */
export const MAX_EVENTS_PER_REQUEST = 2000;
export const MAX_REQUEST_BYTES = 2 * 1024 * 1024;
/** /engage: 2000 updates per request (partners.md §1). */
export const MAX_UPDATES_PER_REQUEST = 2000;
/** Events older than this go to /import (seed 002: "greater than 5 days old"). */
export const TRACK_MAX_AGE_MS = 5 * 24 * 3600 * 1000;

export const EXTERNAL_IDENTITY_TYPES = ["mpid", "customer_id", "email", "other", "other_id_2", "other_id_3", "other_id_4", "mobile_number"] as const;

export const configSchema = z.object({
  token: z.string().min(1).describe("Mixpanel project token (Project Settings → Project Token)."),
  apiSecret: z
    .string()
    .min(1)
    .optional()
    .describe("Mixpanel API secret. Needed for events more than 5 days old (sent to /import); without it those events are dropped."),
  gdprToken: z
    .string()
    .min(1)
    .optional()
    .describe(
      "Mixpanel GDPR OAuth token (Profile & Preferences → Data & Privacy; expires after one year). Needed only to forward erasure requests to Mixpanel's GDPR API.",
    ),
  server: z.enum(["us", "eu", "in"]).default("us").describe("Mixpanel Target Server: US (api.mixpanel.com), EU Residency Server (api-eu.mixpanel.com) or India (api-in.mixpanel.com)."),
  externalIdentityType: z
    .enum(EXTERNAL_IDENTITY_TYPES)
    .default("mpid")
    .describe("External Identity Type: the user identity sent as Mixpanel's distinct_id. mParticle ID is recommended; batches without it are dropped."),
  includeUserAttributes: z
    .boolean()
    .default(false)
    .describe("Include User Attributes: send the user's attributes and email identity to Mixpanel People with $set."),
  useMixpanelPeople: z
    .boolean()
    .default(true)
    .describe("Use Mixpanel People: record purchases (and refunds, negative) as $transactions revenue on the user's People profile."),
});

export const connectionSchema = z.object({ fieldTransformationId: fieldTransformationSetting });

export type MixpanelConfig = z.output<typeof configSchema>;
