/** Snapchat audience match settings (seed 002 "Snapchat", audience-outputs.md §4, partners.md §8). */
import { z } from "zod";

export const SNAP_API = "https://adsapi.snapchat.com/v1";
/** "<= 100,000 identifiers per request" (partners.md §8: RT and SA both cap at 100,000). */
export const MAX_IDS_PER_REQUEST = 100_000;
/** Segment names are at most 375 characters (Snap customer lists API). */
export const MAX_NAME = 375;
/** `retention_in_days` 9999 = lifetime (Snap's default). */
export const RETENTION_DAYS = 9999;

export const configSchema = z.object({
  adAccountId: z.string().min(1).describe("Snapchat Ad Account ID the segments are created in."),
  accessToken: z
    .string()
    .min(1)
    .describe("OAuth access token of a Snapchat Business account with access to the ad account (Snap tokens are short lived: an expired token faults the connection until a fresh one is set and the connection resumed)."),
});

export const connectionSchema = z.object({
  forwardEmails: z.boolean().default(true).describe("Forward Emails: a \"<Audience Name> (Email)\" segment of SHA-256 emails."),
  forwardDeviceIds: z.boolean().default(true).describe("Forward Device IDs: a \"<Audience Name> (Device Id)\" segment of SHA-256 IDFAs and Google advertising ids."),
  forwardPhoneNumbers: z
    .boolean()
    .default(false)
    .describe("Forward Phone Numbers: a \"<Audience Name> (Phone)\" segment of SHA-256 phone numbers (Mobile Telephone Number, Phone Number 2 and 3, $mobile), which must carry their country code."),
});

export type SnapConfig = z.output<typeof configSchema>;
export type SnapConnection = z.output<typeof connectionSchema>;

/** One segment per identity type (mParticle docs 2023). */
export const SEGMENTS = {
  email: { schema: "EMAIL_SHA256", suffix: "Email", setting: "forwardEmails" },
  maid: { schema: "MOBILE_AD_ID_SHA256", suffix: "Device Id", setting: "forwardDeviceIds" },
  phone: { schema: "PHONE_SHA256", suffix: "Phone", setting: "forwardPhoneNumbers" },
} as const;
export type SegmentKey = keyof typeof SEGMENTS;

export const segmentKeys = (c: SnapConnection): SegmentKey[] => (Object.keys(SEGMENTS) as SegmentKey[]).filter((k) => c[SEGMENTS[k].setting]);
export const segmentsOf = (state: Record<string, unknown>): Partial<Record<SegmentKey, string>> => ((state as { segments?: Partial<Record<SegmentKey, string>> }).segments ?? {});
export const headers = (c: SnapConfig) => ({ Authorization: `Bearer ${c.accessToken}`, "Content-Type": "application/json" });
