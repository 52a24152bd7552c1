/** Every output integration by slug. Adding an integration is a folder plus one line here. */
import type { IntegrationDefinition } from "./runtime/types";
import { webhook } from "./webhook";

export const integrations: Record<string, IntegrationDefinition> = {
  [webhook.slug]: webhook as unknown as IntegrationDefinition,
};

/** The integration for a slug, or undefined. */
export function getIntegration(slug: string): IntegrationDefinition | undefined {
  return integrations[slug];
}
