/** Braze audience settings (seed 002 "Braze" audience page, audience-outputs.md §2, partners.md §3). */
import { z } from "zod";
import { INSTANCES } from "../../braze/settings";

type Instance = keyof typeof INSTANCES;
/** `/users/track`: 75 attribute objects per request (partners.md §3). */
export const MAX_ATTRIBUTES_PER_REQUEST = 75;
/** Custom attribute keys and string values: at most 255 characters (BZ-MP). */
export const MAX_ATTRIBUTE_CHARS = 255;

/** The seven "Send Segments As" options (seed 002), in the seed's order; the first is the default. */
export const SEND_SEGMENTS_AS = [
  "single_string",
  "single_array",
  "per_segment",
  "array_and_string",
  "array_and_per_segment",
  "string_and_per_segment",
  "array_string_and_per_segment",
] as const;
export type SendSegmentsAs = (typeof SEND_SEGMENTS_AS)[number];

/** Which attributes a mode writes. */
export const MODE: Record<SendSegmentsAs, { string: boolean; array: boolean; boolean: boolean }> = {
  single_string: { string: true, array: false, boolean: false },
  single_array: { string: false, array: true, boolean: false },
  per_segment: { string: false, array: false, boolean: true },
  array_and_string: { string: true, array: true, boolean: false },
  array_and_per_segment: { string: false, array: true, boolean: true },
  string_and_per_segment: { string: true, array: false, boolean: true },
  array_string_and_per_segment: { string: true, array: true, boolean: true },
};

const IDENTITY_TYPES = ["customer_id", "mpid", "email", "other", "other_id_2", "other_id_3", "other_id_4", "mobile_number"] as const;

export const configSchema = z.object({
  apiKey: z.string().min(1).describe("Workspace (App Group) REST API Key with the users.track permission."),
  instance: z.enum(Object.keys(INSTANCES) as [Instance, ...Instance[]]).default("US-01").describe("Braze Instance: the REST cluster of your dashboard URL (US-01 … JP-01)."),
  customRestEndpoint: z
    .string()
    .regex(/^[a-z0-9.-]+(:\d+)?$/i, "a host name without https://")
    .optional()
    .describe("Custom instance: the REST endpoint host (without https://), used instead of the Braze Instance."),
  externalIdentityType: z.enum(IDENTITY_TYPES).default("customer_id").describe("External Identity Type: the identity sent as Braze external_id. Only users with it receive membership updates."),
  emailIdentityType: z.enum(IDENTITY_TYPES).optional().describe("Email Identity Type: when set, that identity is sent as the Braze email with each membership update."),
  sendSegmentsAs: z
    .enum(SEND_SEGMENTS_AS)
    .default("single_string")
    .describe(
      "Send Segments As: single_string (SegmentMembership, \"'id1','id2'\"), single_array (SegmentMembershipArray), per_segment (\"In <External Name>\" booleans), or the combinations array_and_string, array_and_per_segment, string_and_per_segment, array_string_and_per_segment.",
    ),
});

export const connectionSchema = z.object({});

export type BrazeAudienceConfig = z.output<typeof configSchema>;
export type BrazeAudienceConnection = z.output<typeof connectionSchema>;

/** The `/users/track` URL of the configuration. */
export const trackUrl = (c: BrazeAudienceConfig) => `${c.customRestEndpoint ? `https://${c.customRestEndpoint}` : INSTANCES[c.instance]}/users/track`;
