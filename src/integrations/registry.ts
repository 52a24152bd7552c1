/** Every output integration by slug. Adding an integration is a folder plus one line here. */
import type { IntegrationDefinition } from "./runtime/types";
import { webhook } from "./webhook";
import { mixpanel } from "./mixpanel";
import { amplitude } from "./amplitude";
import { braze } from "./braze";
import { facebook } from "./facebook";
import { appsflyer } from "./appsflyer";
import { button } from "./button";
import { rokt } from "./rokt";
import { roktKit } from "./rokt-kit";

export const integrations: Record<string, IntegrationDefinition> = {
  [webhook.slug]: webhook as unknown as IntegrationDefinition,
  [mixpanel.slug]: mixpanel as unknown as IntegrationDefinition,
  [amplitude.slug]: amplitude as unknown as IntegrationDefinition,
  [braze.slug]: braze as unknown as IntegrationDefinition,
  [facebook.slug]: facebook as unknown as IntegrationDefinition,
  [appsflyer.slug]: appsflyer as unknown as IntegrationDefinition,
  [button.slug]: button as unknown as IntegrationDefinition,
  [rokt.slug]: rokt as unknown as IntegrationDefinition,
  [roktKit.slug]: roktKit as unknown as IntegrationDefinition,
};

/** The integration for a slug, or undefined. */
export function getIntegration(slug: string): IntegrationDefinition | undefined {
  return integrations[slug];
}
