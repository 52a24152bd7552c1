/** Amplitude event output (seed 002 "Amplitude", partners.md §2). */
import type { IntegrationDefinition } from "../runtime/types";
import { classifyAmplitude } from "./classify";
import { amplitudeConfigSchema, amplitudeDsr } from "./dsr";
import { connectionSchema } from "./settings";
import { transformAmplitude } from "./transform";

export const amplitude: IntegrationDefinition<typeof amplitudeConfigSchema, typeof connectionSchema> = {
  slug: "amplitude",
  moduleId: 71,
  title: "Amplitude",
  kinds: ["event", "dsr"],
  configSchema: amplitudeConfigSchema,
  connectionSchema,
  secretSettings: ["apiKey", "secretKey"],
  platforms: ["ios", "android", "web", "roku", "firetv", "tvos", "unknown"],
  eventTypes: ["custom_event", "screen_view", "commerce_event", "session_start", "session_end", "push_registration", "application_state_transition", "user_attributes"],
  maxBatchesPerCall: 100,
  consentForwarding: "custom_events",
  transform: transformAmplitude,
  classify: classifyAmplitude,
  dsr: amplitudeDsr,
};
