/** Braze settings (seed 002 "Braze"), instances and limits (partners.md §3). */
import { z } from "zod";

/** REST endpoints by instance (partners.md §3). */
export const INSTANCES = {
  "US-01": "https://rest.iad-01.braze.com",
  "US-02": "https://rest.iad-02.braze.com",
  "US-03": "https://rest.iad-03.braze.com",
  "US-04": "https://rest.iad-04.braze.com",
  "US-05": "https://rest.iad-05.braze.com",
  "US-06": "https://rest.iad-06.braze.com",
  "US-07": "https://rest.iad-07.braze.com",
  "US-08": "https://rest.iad-08.braze.com",
  "US-09": "https://rest.us-09.braze.com",
  "US-10": "https://rest.us-10.braze.com",
  "EU-01": "https://rest.fra-01.braze.eu",
  "EU-02": "https://rest.fra-02.braze.eu",
  "AU-01": "https://rest.au-01.braze.com",
  "ID-01": "https://rest.id-01.braze.com",
  "JP-01": "https://rest.jp-01.braze.com",
} as const;
type Instance = keyof typeof INSTANCES;

/** /users/track: 75 attributes, 75 events and 75 purchases per request (partners.md §3, legacy "75 each"). */
export const MAX_PER_ARRAY = 75;

export const configSchema = z.object({
  apiKey: z.string().min(1).describe("App Group REST API Key (Braze: Settings → API Keys), with the users.track permission."),
  instance: z.enum(Object.keys(INSTANCES) as [Instance, ...Instance[]]).default("US-01").describe("Braze Instance: the REST cluster of your dashboard URL (US-01 … JP-01)."),
  appId: z.string().min(1).optional().describe("Braze App Identifier API key; sent as app_id on events and purchases when set."),
  externalIdentityType: z
    .enum(["customer_id", "mpid", "email", "other", "other_id_2", "other_id_3", "other_id_4", "mobile_number"])
    .default("customer_id")
    .describe("External Identity Type: the identity sent as Braze external_id. Batches without it are dropped unless the external id constraint is disabled."),
  enableTypeDetection: z
    .boolean()
    .default(false)
    .describe("Enable API Custom Attribute Type Detection: \"true\"/\"false\" strings become booleans and numeric strings numbers in user attributes."),
});

export const connectionSchema = z.object({
  disableExternalIdConstraint: z
    .boolean()
    .default(false)
    .describe("Disable External ID Constraint: forward batches without the external identity, identified by email when present, else by a user alias {alias_label: \"mparticle_id\", alias_name: <MPID>}."),
  bundleCommerceEventData: z
    .boolean()
    .default(false)
    .describe("Bundle Commerce Event Data: one outgoing event per commerce event with nested products[] / promotions[] / impressions[] instead of one per product, promotion or impression."),
  forwardSessionEvents: z.boolean().default(false).describe("Forward Session Events: session start / end as custom events \"Session Start\" / \"Session End\"."),
  subscriptionGroupMapping: z
    .array(z.object({ attribute: z.string().min(1), subscriptionGroupId: z.string().min(1) }))
    .default([])
    .describe("Subscription group mapping: a boolean user attribute → a Braze subscription group id (true subscribes, false unsubscribes, other values ignored)."),
  consentMapping: z
    .array(z.object({ purpose: z.string().min(1), brazeKey: z.enum(["google_ad_user_data", "google_ad_personalization"]) }))
    .default([])
    .describe("Consent mapping: an mParticle GDPR consent purpose → $google_ad_user_data or $google_ad_personalization (its consented boolean)."),
});

export type BrazeConfig = z.output<typeof configSchema>;
export type BrazeConnection = z.output<typeof connectionSchema>;
