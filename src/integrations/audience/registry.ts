/**
 * Every audience output by service name (`/v1/services` marks them `supports_audiences`). Adding a partner:
 * its folder under src/integrations/audience/<partner>/ exporting an `AudiencePartner`
 * (src/integrations/runtime/audience-types.ts) and one line below.
 */
import type { AudiencePartner } from "../runtime/audience-types";
import { audiencePartnerModules } from "./partners";
import { webhookAudience } from "./webhook";

export const audiencePartners: Record<string, AudiencePartner> = {
  [webhookAudience.slug]: webhookAudience as unknown as AudiencePartner,
  ...Object.fromEntries(audiencePartnerModules.map((p) => [p.slug, p])),
};

/** The audience output for a service name, or undefined. */
export function getAudiencePartner(slug: string): AudiencePartner | undefined {
  return Object.hasOwn(audiencePartners, slug) ? audiencePartners[slug] : undefined;
}
