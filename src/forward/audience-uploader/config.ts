/**
 * What one upload round needs of its connection, read from D1 at each alarm (a few reads per upload, never per
 * change): the row (status, fault), the output's settings with secrets opened, the partner module, and the
 * settings validated by the partner's schemas. `flush_interval_s` is ours: taken out before the partner sees it.
 */
import { createDb } from "../../db";
import { audienceConnectionFull } from "../../db/queries/audience-connections";
import { FLUSH_INTERVAL_MAX_SECONDS } from "../../integrations/audience/configure";
import { getAudiencePartner } from "../../integrations/audience/registry";
import type { AudiencePartner, AudienceRef } from "../../integrations/runtime/audience-types";
import { tryUnseal } from "../../lib/sealed";

export type UploaderConfig = {
  id: number;
  outputId: number;
  workspaceId: number;
  audience: AudienceRef;
  active: boolean;
  fault: string | null;
  flushIntervalSeconds?: number;
  partner: AudiencePartner;
  config: unknown;
  connection: unknown;
};


const issues = (e: { issues: { path: PropertyKey[]; message: string }[] }) => e.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");

/** The connection, or null when it no longer exists; `{ problem }` when it cannot be uploaded to as configured. */
export async function loadUploaderConfig(env: Env, id: number): Promise<UploaderConfig | { problem: string; id: number } | null> {
  const row = await audienceConnectionFull(createDb(env.DB), id);
  if (!row) return null;
  const partner = getAudiencePartner(row.integration);
  if (!partner) return { id, problem: `configuration: service "${row.integration}" takes no audiences` };
  let settings: Record<string, unknown> = { ...row.outputSettings };
  if (row.secretSettings) {
    const opened = await tryUnseal<Record<string, unknown>>(env, row.secretSettings);
    if (!opened.ok) return { id, problem: `configuration: the output's secret settings cannot be decrypted (${opened.reason})` };
    settings = { ...settings, ...opened.value };
  }
  const config = partner.configSchema.safeParse(settings);
  if (!config.success) return { id, problem: `configuration: settings: ${issues(config.error)}` };
  const { flush_interval_s, ...rest } = row.settings;
  const connection = partner.connectionSchema.safeParse(rest);
  if (!connection.success) return { id, problem: `configuration: connectionSettings: ${issues(connection.error)}` };
  const flush = Number(flush_interval_s);
  return {
    id,
    outputId: row.outputId,
    workspaceId: row.workspaceId,
    audience: { id: row.audienceId, name: row.audienceName, external_name: row.externalName, workspace_id: row.workspaceId },
    active: row.statusDevelopment === "active" || row.statusProduction === "active",
    fault: row.fault,
    ...(flush_interval_s !== undefined && Number.isFinite(flush) && flush >= 0 ? { flushIntervalSeconds: Math.min(flush, FLUSH_INTERVAL_MAX_SECONDS) } : {}),
    partner,
    config: config.data,
    connection: connection.data,
  };
}
