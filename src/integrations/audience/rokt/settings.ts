/** Rokt audience settings (seed 001 "Rokt Audience", audience-outputs.md §3, partners.md §7). */
import { z } from "zod";

/** Rokt's Event & Audience API is mParticle's S2S Events API (partners.md §7); `/bulkevents` takes ≤ 100 batches. */
export const BULK_URL = "https://inbound.mparticle.com/s2s/v2/bulkevents";
export const MAX_BATCHES_PER_REQUEST = 100;
export const AUDIENCE_EVENT = "audiencemembershipupdate";

export const configSchema = z
  .object({
    accountId: z.string().min(1).max(64).describe("Rokt Account ID: the digits after my.rokt.com/accounts/ in the Rokt dashboard URL."),
    apiKey: z.string().min(1).optional().describe("Rokt API key (the secret key, not the public key); used when no public/secret key pair is set. Sent as a Bearer token."),
    publicKey: z.string().min(1).optional().describe("Rokt public key (rpub-…). With the secret key it authenticates by HTTP Basic and takes precedence over the API key."),
    secretKey: z.string().min(1).optional().describe("Rokt secret key (rsec-…), paired with the public key."),
    emailEncoding: z.enum(["raw", "sha256"]).default("raw").describe("Email encoding: raw sends email addresses unencoded (user_identities.email); sha256 sends the SHA-256 of the trimmed, lowercased address (user_identities.other)."),
    mobileEncoding: z
      .enum(["none", "raw", "sha256"])
      .default("none")
      .describe("Mobile number encoding: none sends no mobile numbers; raw sends them unencoded (user_attributes.mobile); sha256 sends the SHA-256 of the E.164 digits (mobilesha256)."),
  })
  .refine((c) => (c.publicKey && c.secretKey) || c.apiKey, { message: "set the public and secret key pair, or the API key" });

export const connectionSchema = z.object({
  userAttributes: z
    .array(z.string().min(1))
    .default([])
    .describe("User Attribute Forwarding: the user attributes sent with the audience ($firstname, $lastname and $zip as Rokt's firstname, lastname and billingzipcode; other $-names without the $)."),
  hashFirstName: z.boolean().default(false).describe("Hash First Name: $firstname is sent as firstnamesha256 (SHA-256, UTF-8) when it is forwarded."),
  hashLastName: z.boolean().default(false).describe("Hash Last Name: $lastname is sent as lastnamesha256 (SHA-256, UTF-8) when it is forwarded."),
  hashZip: z.boolean().default(false).describe("Hash Zip Code: $zip is sent as billingzipsha256 (SHA-256, UTF-8) when it is forwarded."),
});

export type RoktConfig = z.output<typeof configSchema>;
export type RoktConnection = z.output<typeof connectionSchema>;

export { authorization } from "../../rokt";
