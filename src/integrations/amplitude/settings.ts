/** Amplitude settings (seed 002 "Amplitude"), endpoints and limits (partners.md §2). */
import { z } from "zod";

/** HTTP V2 API by organization location (partners.md §2). */
export const ENDPOINTS = { us: "https://api2.amplitude.com/2/httpapi", eu: "https://api.eu.amplitude.com/2/httpapi" } as const;
/** ≤ 2000 events per request, request < 1 MB (partners.md §2); a margin is kept under 1 MB. */
export const MAX_EVENTS_PER_REQUEST = 2000;
export const MAX_REQUEST_BYTES = 1_000_000;
/** Amplitude asks to pause a throttled user/device about 30 s (partners.md §2). */
export const THROTTLE_PAUSE_SECONDS = 30;

export const configSchema = z.object({
  apiKey: z.string().min(1).describe("Amplitude project API key (Project Settings)."),
  organization: z.enum(["us", "eu"]).default("us").describe("Amplitude Organization location: US (api2.amplitude.com) or EU (api.eu.amplitude.com)."),
  userIdentification: z
    .enum(["customer_id", "email", "mpid", "other"])
    .default("customer_id")
    .describe("User identification: the identity sent as Amplitude's user_id (Customer ID, Email, mParticle ID or Other)."),
  sendApplicationStateTransitions: z
    .boolean()
    .default(false)
    .describe("Send Application State Transitions: forward application_state_transition events as 'Application State: <type>'."),
  extractDeviceFamily: z
    .boolean()
    .default(false)
    .describe("Extract Device Family from User Agent: fill device_brand / device_model of web events from the user agent."),
});

export const connectionSchema = z.object({
  forwardWebRequestsServerSide: z
    .boolean()
    .default(false)
    .describe("Forward web requests server side. Off: web batches are left to the client-side kit and not forwarded. On: forwarded, and they must carry the selected user id."),
});

export type AmplitudeConfig = z.output<typeof configSchema>;
export type AmplitudeConnection = z.output<typeof connectionSchema>;
