/** Amplitude event output (seed 002 "Amplitude", partners.md §2). */
import type { IntegrationDefinition } from "../runtime/types";
import { classifyAmplitude } from "./classify";
import { configSchema, connectionSchema } from "./settings";
import { transformAmplitude } from "./transform";

export const amplitude: IntegrationDefinition<typeof configSchema, typeof connectionSchema> = {
  slug: "amplitude",
  moduleId: 71,
  title: "Amplitude",
  kinds: ["event"],
  configSchema,
  connectionSchema,
  secretSettings: ["apiKey"],
  platforms: ["ios", "android", "web", "roku", "firetv", "tvos", "unknown"],
  eventTypes: ["custom_event", "screen_view", "commerce_event", "session_start", "session_end", "push_registration", "application_state_transition", "user_attributes"],
  maxBatchesPerCall: 100,
  transform: transformAmplitude,
  classify: classifyAmplitude,
};
