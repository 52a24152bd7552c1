/**
 * "Configure a service for an app platform" (Platform API): creates or updates our output (one per workspace,
 * integration and `account` name), its settings validated by the integration, and the connection from the
 * platform input to it. Listing and removing services: src/db/queries/services.ts.
 */
import { and, eq } from "drizzle-orm";
import type { Db } from "../db";
import { invalidateConfig } from "../db/cache";
import { connections, outputs } from "../db/schema";
import { decryptJson } from "../lib/crypto";
import { ValidationError } from "../lib/errors";
import { createOutput, updateOutputSettings } from "./outputs";
import { getIntegration } from "./registry";

export type ServiceConfig = {
  workspaceId: number;
  inputId: number;
  integration: string;
  account: string;
  isVisible: boolean;
  settings: Record<string, unknown>;
  connectionSettings: Record<string, unknown>;
  status: { development: "active" | "inactive"; production: "active" | "inactive" };
};

/** Creates or updates the output and the connection; omitted secret settings keep their stored value. */
export async function configureService(db: Db, encryptionKey: string, s: ServiceConfig): Promise<{ connectionId: number; outputId: number }> {
  const def = getIntegration(s.integration);
  if (!def) throw new ValidationError([{ code: "BAD_REQUEST", message: `name: unknown service "${s.integration}"` }]);
  const conn = def.connectionSchema.safeParse(s.connectionSettings);
  if (!conn.success) throw new ValidationError(conn.error.issues.slice(0, 10).map((i) => ({ code: "BAD_REQUEST", message: `connectionSettings.${i.path.join(".")}: ${i.message}` })));
  const [existing] = await db
    .select()
    .from(outputs)
    .where(and(eq(outputs.workspaceId, s.workspaceId), eq(outputs.integration, s.integration), eq(outputs.name, s.account)))
    .limit(1);
  let outputId: number;
  if (existing) {
    const kept = existing.secretSettings ? await decryptJson<Record<string, unknown>>(encryptionKey, existing.secretSettings) : {};
    const merged = { ...s.settings };
    for (const k of def.secretSettings) if (merged[k] === undefined && kept[k] !== undefined) merged[k] = kept[k];
    await updateOutputSettings(db, encryptionKey, existing.id, s.integration, merged);
    outputId = existing.id;
  } else {
    outputId = await createOutput(db, encryptionKey, { workspaceId: s.workspaceId, integration: s.integration, name: s.account, settings: s.settings });
  }
  const values = {
    settings: conn.data as Record<string, unknown>,
    isVisible: s.isVisible,
    statusDevelopment: s.status.development,
    statusProduction: s.status.production,
  };
  const [row] = await db
    .insert(connections)
    .values({ inputId: s.inputId, outputId, ...values })
    .onConflictDoUpdate({ target: [connections.inputId, connections.outputId], set: { ...values, updatedAt: Date.now() } })
    .returning({ id: connections.id });
  invalidateConfig();
  return { connectionId: row!.id, outputId };
}
