/**
 * Client-side kits: outputs whose integration the Web SDK runs in the page. Their configuration is served
 * in the `/config` answer's `kitConfigs[]` instead of being forwarded server-side.
 */
import type { ResolvedConnection } from "../../db/config-cache";
import { type KitConfiguration, roktKit, roktKitConfiguration } from "../../integrations/rokt-kit";
import { log } from "../../lib/log";

/** Integration slug → builder of its `kitConfigs[]` entry from the output's settings (null when invalid). */
const KIT_BUILDERS: Record<string, (settings: Record<string, unknown>) => KitConfiguration | null> = {
  [roktKit.slug]: (settings) => {
    const parsed = roktKit.configSchema.safeParse(settings);
    return parsed.success ? roktKitConfiguration(parsed.data) : null;
  },
};

/** `kitConfigs[]` for the connections active in `environment` whose output is a kit (invalid settings are skipped and logged). */
export function kitConfigs(connections: ResolvedConnection[], environment: "production" | "development"): KitConfiguration[] {
  const out: KitConfiguration[] = [];
  for (const c of connections) {
    const build = KIT_BUILDERS[c.integration];
    if (!build) continue;
    const status = environment === "development" ? c.statusDevelopment : c.statusProduction;
    if (status !== "active") continue;
    const kit = build(c.outputSettings);
    if (kit) out.push(kit);
    else log.warn("kit output settings invalid; kit not served", { connection_id: c.id, workspace_id: c.workspaceId, integration: c.integration });
  }
  return out;
}
