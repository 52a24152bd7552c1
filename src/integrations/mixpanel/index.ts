/** Mixpanel event output (seed 002 "Mixpanel", partners.md §1). */
import type { IntegrationDefinition } from "../runtime/types";
import { classifyMixpanel } from "./classify";
import { mixpanelDsr } from "./dsr";
import { configSchema, connectionSchema } from "./settings";
import { transformMixpanel } from "./transform";

export const mixpanel: IntegrationDefinition<typeof configSchema, typeof connectionSchema> = {
  slug: "mixpanel",
  moduleId: 10,
  title: "Mixpanel",
  kinds: ["event", "dsr"],
  configSchema,
  connectionSchema,
  secretSettings: ["apiSecret", "gdprToken"],
  platforms: ["ios", "android", "web", "roku", "tvos", "firetv", "xbox", "smarttv", "alexa", "unknown"],
  eventTypes: ["custom_event", "screen_view", "commerce_event", "user_attributes"],
  maxBatchesPerCall: 100,
  consentForwarding: "custom_events",
  customMappings: "batch",
  transform: transformMixpanel,
  classify: classifyMixpanel,
  dsr: mixpanelDsr,
};
