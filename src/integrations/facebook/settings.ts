/** Facebook Conversions API settings (seed 002 "Facebook"), endpoint and limits (partners.md §4). */
import { z } from "zod";

/** Graph API version of the Conversions API endpoint (each version lives ≥ 2 years; partners.md §4). */
export const GRAPH_VERSION = "v24.0";
export const GRAPH_HOST = "https://graph.facebook.com";
/** ≤ 1000 events in `data` (partners.md §4). */
export const MAX_EVENTS_PER_REQUEST = 1000;
/** An event older than 7 days makes Meta reject the whole request (partners.md §4). */
export const MAX_EVENT_AGE_MS = 7 * 24 * 3600 * 1000;
export const ACTION_SOURCES = ["website", "app", "physical_store", "system_generated", "email", "chat", "phone_call", "other"] as const;

export const configSchema = z.object({
  pixelId: z.string().regex(/^\d+$/, "a numeric pixel / dataset id").describe("Facebook Pixel ID (dataset id) the events are sent to."),
  accessToken: z.string().min(1).describe("Conversions API access token (Events Manager → Settings → Generate access token; a System User token that does not expire)."),
  testEventCode: z.string().min(1).optional().describe("Test event code: when set, events appear in Events Manager → Test events instead of being processed."),
});

export const connectionSchema = z.object({
  forwardWebRequestsServerSide: z
    .boolean()
    .default(false)
    .describe("Use Pixel Server-Side Forwarding / Forward Web Requests Server Side: web batches are forwarded only when on (otherwise the browser Pixel sends them)."),
  actionSource: z
    .enum(["auto", ...ACTION_SOURCES])
    .default("auto")
    .describe("action_source of every event. auto: website for web batches, app for iOS / Android / tvOS, system_generated otherwise."),
});

export type FacebookConfig = z.output<typeof configSchema>;
export type FacebookConnection = z.output<typeof connectionSchema>;
