/** Facebook custom audience settings (seed 002 "Facebook" audience page, audience-outputs.md §1). */
import { z } from "zod";

/** Graph API version of Meta's custom audience examples (audience-outputs.md §1.1). */
export const GRAPH_VERSION = "v25.0";
export const GRAPH = `https://graph.facebook.com/${GRAPH_VERSION}`;
/** "≤10,000 records per request" (META-CFCA, audience-outputs.md §1.2). */
export const MAX_ROWS_PER_REQUEST = 10_000;

/** Identities a connection may forward (seed: Email, Phone, Facebook ID, Apple IDFA, Google GAID). */
export const IDENTITIES = ["email", "phone", "facebook_id", "idfa", "gaid"] as const;
/** mParticle identities selectable as the email or the multi-key external id. */
export const IDENTITY_TYPES = ["email", "customer_id", "other", "other_id_2", "other_id_3", "other_id_4", "mobile_number", "mpid"] as const;
export const CUSTOMER_FILE_SOURCES = ["USER_PROVIDED_ONLY", "BOTH_USER_AND_PARTNER_PROVIDED", "PARTNER_PROVIDED_ONLY"] as const;

export const configSchema = z.object({
  adAccountId: z
    .string()
    .regex(/^(act_)?\d+$/, "the numeric ad account id (act_ prefix optional)")
    .transform((v) => v.replace(/^act_/, ""))
    .describe("Facebook Account ID: the ad account (Business Settings → Ad accounts) the custom audiences are created in; digits, with or without act_."),
  accessToken: z
    .string()
    .min(1)
    .describe("Access token with ads_management on the ad account (a System User token that does not expire); the ad account must have accepted the Custom Audience terms."),
  appSecret: z
    .string()
    .min(1)
    .optional()
    .describe("App secret of the token's app: when set, every call carries appsecret_proof (HMAC-SHA256 of the token), as apps requiring it demand."),
});

export const connectionSchema = z
  .object({
    identities: z
      .array(z.enum(IDENTITIES))
      .min(1)
      .default(["email"])
      .describe("User identities to forward, one custom audience each: email (SHA-256), phone (SHA-256), facebook_id (needs the App ID), idfa and gaid (one shared mobile advertiser id audience, sent unhashed and lowercase as Meta requires)."),
    facebookAppId: z.string().regex(/^\d+$/).optional().describe("Facebook Application ID: required to forward Facebook IDs (sent as app_ids)."),
    enableMultiKey: z.boolean().default(false).describe("Enable Multi-Key Audience: one more audience with all selected identities per row (the per-identity audiences remain)."),
    matchOnUserAttributes: z
      .boolean()
      .default(false)
      .describe("Match on User Attributes: the multi-key audience also gets hashed gender, first name, last name, first initial, city, state, zip and country ($gender, $firstname, $lastname, $city, $state, $zip, $country)."),
    isValueBased: z.boolean().default(false).describe("Is Value Based Audience: the audiences are created value-based and every row carries LOOKALIKE_VALUE. Locked once the audiences exist."),
    valueAttribute: z.string().min(1).optional().describe("User Attribute Representing Value: the numeric user attribute sent as LOOKALIKE_VALUE (required when value based)."),
    allowZeroValues: z.boolean().default(false).describe("Allow Zero Values: also send users whose value is 0 or missing (as 0). Negative values are never sent."),
    customerFileSource: z
      .enum(CUSTOMER_FILE_SOURCES)
      .describe("Customer File Source (required by Meta): USER_PROVIDED_ONLY (directly from customers), BOTH_USER_AND_PARTNER_PROVIDED (customers and partners), PARTNER_PROVIDED_ONLY (directly from partners)."),
    externalEmailIdentityType: z.enum(IDENTITY_TYPES).default("email").describe("External Email Identity Type: the mParticle identity sent as the email."),
    multiKeyExternalIdType: z
      .enum(IDENTITY_TYPES)
      .optional()
      .describe("Multi-Key External ID Type: the identity sent, trimmed, lowercased and SHA-256 hashed, as EXTERN_ID in the multi-key audience."),
  })
  .refine((c) => !c.identities.includes("facebook_id") || c.facebookAppId !== undefined, { message: "facebookAppId is required to forward Facebook IDs", path: ["facebookAppId"] })
  .refine((c) => !c.isValueBased || c.valueAttribute !== undefined, { message: "valueAttribute is required for a value based audience", path: ["valueAttribute"] });

export type FacebookAudienceConfig = z.output<typeof configSchema>;
export type FacebookAudienceConnection = z.output<typeof connectionSchema>;

/** The Facebook custom audiences of one connection: one per identity group, plus the multi-key one. */
export type AudienceKey = "email" | "phone" | "fbid" | "madid" | "multikey";

/** Name suffixes (mParticle docs 2023: "<Audience Name> (email)", "(fb id)", "(IDFA/GAID)", "(phone)"). */
export const NAME_SUFFIX: Record<AudienceKey, string> = { email: "email", phone: "phone", fbid: "fb id", madid: "IDFA/GAID", multikey: "multi-key" };

/** The audiences a connection's settings call for, in creation order. */
export function audienceKeys(c: FacebookAudienceConnection): AudienceKey[] {
  const keys: AudienceKey[] = [];
  if (c.identities.includes("email")) keys.push("email");
  if (c.identities.includes("phone")) keys.push("phone");
  if (c.identities.includes("facebook_id")) keys.push("fbid");
  if (c.identities.includes("idfa") || c.identities.includes("gaid")) keys.push("madid");
  if (c.enableMultiKey) keys.push("multikey");
  return keys;
}

/** Partner-side ids kept in the connection state. */
export type FacebookState = { custom_audiences?: Partial<Record<AudienceKey, string>> };
export const audiencesOf = (state: Record<string, unknown>): Partial<Record<AudienceKey, string>> => ((state as FacebookState).custom_audiences ?? {});
