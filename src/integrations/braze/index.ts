/** Braze event output (seed 002 "Braze", partners.md §3). */
import type { IntegrationDefinition } from "../runtime/types";
import { classifyBraze } from "./classify";
import { brazeDsr } from "./dsr";
import { configSchema, connectionSchema } from "./settings";
import { transformBraze } from "./transform";

export const braze: IntegrationDefinition<typeof configSchema, typeof connectionSchema> = {
  slug: "braze",
  moduleId: 28,
  title: "Braze",
  kinds: ["event", "dsr"],
  configSchema,
  connectionSchema,
  secretSettings: ["apiKey"],
  platforms: ["ios", "android", "web", "roku", "unknown"],
  eventTypes: ["custom_event", "screen_view", "commerce_event", "session_start", "session_end", "user_attributes"],
  maxBatchesPerCall: 100,
  transform: transformBraze,
  classify: (res, req) => classifyBraze(res, req),
  dsr: brazeDsr,
};
