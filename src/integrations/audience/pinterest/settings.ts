/** Pinterest customer list settings (seed 002 "Pinterest", audience-outputs.md §4, partners.md §10). */
import { z } from "zod";

export const PINTEREST_API = "https://api.pinterest.com/v5";
/** Per-call record cap ~50,000 (partners.md §10, UNCONFIRMED: the lower guess is kept). */
export const MAX_RECORDS_PER_REQUEST = 50_000;
/** "There is a limit of 300 million users in an audience … mParticle will no longer send user updates" (seed 002). */
export const MAX_RECORDS_PER_LIST = 300_000_000;

export const configSchema = z.object({
  adAccountId: z.string().regex(/^\d{1,18}$/, "the numeric ad account id").describe("Pinterest Ad Account ID the customer lists are created in."),
  accessToken: z.string().min(1).describe("OAuth access token with the ads:write scope for the ad account (Pinterest business account)."),
});

export const connectionSchema = z.object({
  forwardEmails: z.boolean().default(true).describe("Forward Email: a \"<Audience Name>-EMAIL\" customer list of SHA-1 emails."),
  forwardDeviceIds: z.boolean().default(true).describe("Forward Device ID: a \"<Audience Name>-MAID\" customer list of SHA-1 IDFAs and Google advertising ids."),
});

export type PinterestConfig = z.output<typeof configSchema>;
export type PinterestConnection = z.output<typeof connectionSchema>;

/** The two lists (seed 002: "<Audience Name>-EMAIL and <Audience Name>-MAID"). */
export const LISTS = {
  email: { suffix: "-EMAIL", listType: "EMAIL", setting: "forwardEmails" },
  maid: { suffix: "-MAID", listType: "MAID", setting: "forwardDeviceIds" },
} as const;
export type ListKey = keyof typeof LISTS;

export const listKeys = (c: PinterestConnection): ListKey[] => (Object.keys(LISTS) as ListKey[]).filter((k) => c[LISTS[k].setting]);
export const listsOf = (state: Record<string, unknown>): Partial<Record<ListKey, string>> => ((state as { customer_lists?: Partial<Record<ListKey, string>> }).customer_lists ?? {});
export const headers = (c: PinterestConfig) => ({ Authorization: `Bearer ${c.accessToken}`, "Content-Type": "application/json" });
