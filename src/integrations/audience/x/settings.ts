/** X (Twitter) custom audience settings (seed 002 "Twitter", audience-outputs.md §4, partners.md §9). */
import { z } from "zod";
import { sha256Hex } from "../../runtime/hash";
import { oauth1Header } from "./oauth1";

export const X_API = "https://ads-api.x.com/12";
/** "<= 2,500 operations per request; body <= 5,000,000 bytes" (partners.md §9); RT keeps 4,000,000 bytes. */
export const MAX_USERS_PER_REQUEST = 2_500;
export const MAX_BODY_BYTES = 4_000_000;

export const configSchema = z.object({
  accountId: z.string().min(1).describe("Account ID: the X Ads account the custom audiences live in."),
  consumerKey: z.string().min(1).describe("API key (OAuth 1.0a consumer key) of the X app with Ads API access."),
  consumerSecret: z.string().min(1).describe("API key secret (OAuth 1.0a consumer secret)."),
  accessToken: z.string().min(1).describe("Access token of a user with Account Administrator permission on the ads account."),
  accessTokenSecret: z.string().min(1).describe("Access token secret."),
});

export const connectionSchema = z.object({
  forwardEmails: z.boolean().default(true).describe("Forward Emails (SHA-256 of the trimmed, lowercased email)."),
  forwardHandles: z.boolean().default(true).describe("Forward Twitter Handles (SHA-256 of the handle without @, lowercased)."),
  forwardDeviceIds: z.boolean().default(true).describe("Forward Device IDs (SHA-256 of the IDFA / Google advertising id, lowercased)."),
});

export type XConfig = z.output<typeof configSchema>;
export type XConnection = z.output<typeof connectionSchema>;

export const audienceIdOf = (state: Record<string, unknown>): string | undefined => {
  const id = (state as { custom_audience_id?: unknown }).custom_audience_id;
  return typeof id === "string" && id ? id : undefined;
};

/** Signed headers of one X Ads API call; the nonce is derived from the request so a rebuilt request is stable. */
export async function signedHeaders(c: XConfig, method: string, url: string, body: string | undefined, now: number): Promise<Record<string, string>> {
  const nonce = (await sha256Hex(`${method} ${url} ${body ?? ""} ${now}`)).slice(0, 32);
  const auth = await oauth1Header(method, url, { consumerKey: c.consumerKey, consumerSecret: c.consumerSecret, token: c.accessToken, tokenSecret: c.accessTokenSecret }, { nonce, timestamp: Math.floor(now / 1000) });
  return body === undefined ? { Authorization: auth } : { Authorization: auth, "Content-Type": "application/json" };
}
