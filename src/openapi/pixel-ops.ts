/** Pixel Service operation (mparticle-api.md §5): `GET /v1/{apiKey}/Pixel`, described parameter by parameter. */
import { z } from "zod";
import type { Operation } from "./operation";

const LIST =
  "A list, in any of three encodings: repeated (`k=a&k=b`), comma-joined as AMP sends it (`k=a,b`; a comma inside an entry is sent as %2C), " +
  "or a JSON array (`k=[\"a\",\"b\"]`; JSON types kept). An empty value is an empty list. Parallel lists must have equal lengths (else 400).";

const list = (what: string) => z.string().optional().describe(`${what}. ${LIST}`);

/** The query parameters of a hit; empty values count as absent (AMP sends every variable). Others are ignored. */
export const pixelQuerySchema = z.object({
  dt: z.enum(["AppEvent", "ScreenView"]).describe("Message type (case-insensitive): AppEvent → custom_event, ScreenView → screen_view. Required."),
  n: z.string().describe("Event name (AppEvent) or page name (ScreenView). Required."),
  et: z
    .string()
    .optional()
    .describe("AppEvent type: a Web SDK EventType name (Unknown, Navigation, Location, Search, Transaction, UserContent, UserPreference, Social, Other, Media; any case, underscores allowed) or its number 0–9. Default other. Ignored for ScreenView."),
  ct: z.string().optional().describe("Client time of the hit, Unix milliseconds (digits only; values below 10^11 are refused as seconds). Default: receipt time."),
  dbg: z.string().optional().describe("true/1 → environment development; false/0/absent → production."),
  attrs_k: list("Event attribute names"),
  attrs_v: list("Event attribute values"),
  ua_k: list("User attribute names"),
  ua_v: list("User attribute values (JSON form: an entry may be an array, a list attribute)"),
  ui_t: list("User identity types: email, customerid, other, other2…other10, facebook, twitter, google, microsoft, yahoo, mobile_number, phone_number_2/3, facebookcustomaudienceid (batch and IDSync spellings, any case), or Web SDK IdentityType numbers 0–21"),
  ui_v: list("User identity values"),
  flags_k: list("Custom flag names"),
  flags_v: list("Custom flag values"),
  lc: z.string().optional().describe("Location `latitude,longitude` (also `[lat,long]`) → the event's location."),
  av: z.string().optional().describe("App version → application_info.application_version."),
  amp_id: z.string().optional().describe("AMP client id → device_info.amp_id (a device identity: hits of one AMP client resolve to one user)."),
  hn: z.string().optional().describe("Page URL → event attribute `hostname`."),
  ttl: z.string().optional().describe("Page title → event attribute `title`."),
  path: z.string().optional().describe("Page path → event attribute `path`."),
  consent_state: z.string().optional().describe("JSON object, the batch consent_state (gdpr purposes, ccpa data_sale_opt_out)."),
  mpid: z.string().optional().describe("The user's MPID, if known (decimal, signed 64-bit)."),
  das: z.string().optional().describe("Device application stamp → batch mp_deviceid."),
});

const DESCRIPTION =
  "Auth: the web input's key in the path (server keys 403, unknown keys 401, disabled inputs 403). One hit becomes one batch with one event, " +
  "queued like a Web SDK batch (client IP, user agent, geolocation and Sec-GPC added at the edge; source_info.channel pixel). " +
  "Every request that does not ask for JSON (an Accept naming application/json, or Sec-Fetch-Dest: empty as fetch/XHR/sendBeacon send) is an " +
  "image request, as <img> tags and email image proxies (Accept: */* or none, no Sec-Fetch-*) make: it always gets 200 image/gif, a 1×1 transparent GIF (43 bytes); " +
  "a hit that cannot be used (bad parameter, refused key, rate limit, queue unavailable) is dropped and counted in drop_counters (reasons " +
  "pixel_bad_parameter, pixel_input_refused, pixel_rate_limited, pixel_handoff_failed; unknown keys are only logged). Requests asking for JSON get JSON: " +
  "202 {} once the hit is queued, else 400/401/403/429/503 with {errors:[{code,message}]}. Every answer has Cache-Control: no-store. HEAD records nothing.";

export const pixelOperations: Operation[] = [
  { method: "get", path: "/v1/{apiKey}/Pixel", tag: "Pixel Service", summary: "Record one event or page view from a tracking pixel or fetch", auth: "none", raw: true, status: 202, query: pixelQuerySchema, description: DESCRIPTION },
];
