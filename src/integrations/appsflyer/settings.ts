/** AppsFlyer output (configuration) settings: event delivery keys (partners.md §5) and OpenDSR forwarding. */
import { z } from "zod";

/** App ids an erasure may be sent for (our bound). */
export const MAX_DSR_APP_IDS = 20;

/** An AppsFlyer app id: `id` + Apple App ID (iOS) or an Android package name (partners.md §5). */
export const APP_ID = /^(id\d+|[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)+)$/;

export const configSchema = z.object({
  devKey: z.string().min(1).describe("AppsFlyer Dev Key (Settings page of the AppsFlyer dashboard); authenticates requests to api2.appsflyer.com."),
  s2sKey: z
    .string()
    .min(1)
    .optional()
    .describe("AppsFlyer S2S API token. When set, events go to api3.appsflyer.com authenticated with this token instead of the Dev Key."),
  apiToken: z
    .string()
    .min(1)
    .optional()
    .describe("AppsFlyer API V2 token (Bearer; an admin issues it in the dashboard). Needed only to forward erasure requests to AppsFlyer's OpenDSR API."),
  dsrAppIds: z
    .array(z.string().regex(APP_ID, "an app id is id<Apple App ID> (iOS) or a package name (Android)"))
    .max(MAX_DSR_APP_IDS)
    .default([])
    .describe("AppsFlyer app ids (OpenDSR property_id) erasure requests are sent for: id<Apple App ID> for iOS apps, the package name for Android apps."),
});

export type AppsFlyerConfig = z.output<typeof configSchema>;
