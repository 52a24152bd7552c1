/** Facebook Conversions API event output (seed 002 "Facebook", partners.md §4). */
import type { IntegrationDefinition } from "../runtime/types";
import { classifyFacebook } from "./classify";
import { configSchema, connectionSchema } from "./settings";
import { transformFacebook } from "./transform";

export const facebook: IntegrationDefinition<typeof configSchema, typeof connectionSchema> = {
  slug: "facebook",
  moduleId: 45,
  title: "Facebook (Conversions API)",
  kinds: ["event"],
  configSchema,
  connectionSchema,
  secretSettings: ["accessToken"],
  platforms: ["web", "ios", "android", "tvos", "roku", "xbox", "smarttv", "firetv", "alexa", "unknown"],
  eventTypes: ["custom_event", "screen_view", "commerce_event"],
  maxBatchesPerCall: 100,
  transform: transformFacebook,
  classify: classifyFacebook,
};
