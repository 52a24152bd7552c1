/** Facebook custom audiences (customer file) output (seed 002, audience-outputs.md §1). */
import type { AudiencePartner } from "../../runtime/audience-types";
import { classifyFacebookAudience } from "./classify";
import { connectFacebook, disconnectFacebook } from "./connect";
import { configSchema, connectionSchema, MAX_ROWS_PER_REQUEST } from "./settings";
import { uploadFacebook } from "./upload";

export const facebookAudience: AudiencePartner<typeof configSchema, typeof connectionSchema> = {
  slug: "facebook",
  title: "Facebook Custom Audiences",
  configSchema,
  connectionSchema,
  secretSettings: ["accessToken", "appSecret"],
  // "3 hours have passed since the last update, or at least 75,000 messages are in the queue" (seed 002).
  cadence: { maxWaitSeconds: 3 * 3600, maxPending: 75_000 },
  maxRowsPerUpload: MAX_ROWS_PER_REQUEST,
  connect: connectFacebook,
  upload: uploadFacebook,
  classify: classifyFacebookAudience,
  disconnect: disconnectFacebook,
};
