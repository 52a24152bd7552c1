/**
 * "Configure a service for an app platform" (Platform API): creates or updates our output (one per workspace,
 * integration and `account` name), its settings validated by the integration, and the connection from the
 * platform input to it. Listing and removing services: src/db/queries/services.ts.
 */
import { and, eq } from "drizzle-orm";
import type { Db } from "../db";
import { invalidateConfig } from "../db/cache";
import { connections, outputs } from "../db/schema";
import { undecryptableSecretsMessage } from "../db/queries/output-secrets";
import { type SealKeys, tryUnseal } from "../lib/sealed";
import { ValidationError } from "../lib/errors";
import { createOutput, updateOutputSettings } from "./outputs";
import { getIntegration } from "./registry";
import { namedTransformation } from "./runtime/custom-mappings";
import { findFieldTransformation } from "../db/queries/field-transformations";

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
export async function configureService(db: Db, keys: SealKeys, s: ServiceConfig): Promise<{ connectionId: number; outputId: number }> {
  const def = getIntegration(s.integration);
  if (!def) throw new ValidationError([{ code: "BAD_REQUEST", message: `name: unknown service "${s.integration}"` }]);
  const conn = def.connectionSchema.safeParse(s.connectionSettings);
  if (!conn.success) throw new ValidationError(conn.error.issues.slice(0, 10).map((i) => ({ code: "BAD_REQUEST", message: `connectionSettings.${i.path.join(".")}: ${i.message}` })));
  const ftId = namedTransformation(conn.data);
  if (ftId !== undefined && def.customMappings) {
    const ft = await findFieldTransformation(db, s.workspaceId, ftId);
    if (!ft || ft.deletedAt !== null) throw new ValidationError([{ code: "BAD_REQUEST", message: `connectionSettings.fieldTransformationId: no field transformation ${ftId} in workspace ${s.workspaceId}.` }]);
  }
  const [existing] = await db
    .select()
    .from(outputs)
    .where(and(eq(outputs.workspaceId, s.workspaceId), eq(outputs.integration, s.integration), eq(outputs.name, s.account)))
    .limit(1);
  let outputId: number;
  if (existing) {
    const merged = { ...s.settings };
    // Stored secrets are opened only to keep those the request omits: a request carrying them replaces them unread.
    const omitted = def.secretSettings.filter((k) => merged[k] === undefined);
    if (existing.secretSettings && omitted.length) {
      const kept = await tryUnseal<Record<string, unknown>>(keys, existing.secretSettings);
      if (!kept.ok) throw new ValidationError([{ code: "SECRET_UNDECRYPTABLE", message: `settings.${omitted.join(", settings.")}: ${undecryptableSecretsMessage(existing.id, kept.reason)}` }]);
      for (const k of omitted) if (kept.value[k] !== undefined) merged[k] = kept.value[k];
    }
    await updateOutputSettings(db, keys, existing.id, s.integration, merged);
    outputId = existing.id;
  } else {
    outputId = await createOutput(db, keys, { workspaceId: s.workspaceId, integration: s.integration, name: s.account, settings: s.settings });
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
