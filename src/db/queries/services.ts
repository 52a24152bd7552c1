/**
 * "Configure a service for an app platform" (Platform API): our output (one per workspace, integration and
 * `account` name) plus the connection from the platform input to it.
 */
import { and, eq } from "drizzle-orm";
import type { Db } from "..";
import { getIntegration } from "../../integrations/registry";
import { type SealKeys, tryUnseal } from "../../lib/sealed";
import { ValidationError } from "../../lib/errors";
import { invalidateConfig } from "../config-cache";
import { connections, outputs } from "../schema";
import { createOutput, undecryptableSecretsMessage, updateOutputSettings } from "./outputs";

export const DEFAULT_ACCOUNT_NAME = "Default Account";

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

const serviceCols = {
  connectionId: connections.id,
  outputId: outputs.id,
  integration: outputs.integration,
  account: outputs.name,
  isVisible: connections.isVisible,
  settings: outputs.settings,
  secretSettings: outputs.secretSettings,
  connectionSettings: connections.settings,
  statusDevelopment: connections.statusDevelopment,
  statusProduction: connections.statusProduction,
};

/** The services (connections with their outputs) of an input. */
export function listInputServices(db: Db, inputId: number) {
  return db.select(serviceCols).from(connections).innerJoin(outputs, eq(outputs.id, connections.outputId)).where(eq(connections.inputId, inputId)).orderBy(connections.id);
}

/** Outputs of a workspace for one integration (serviceconfigurations). */
export function listWorkspaceOutputs(db: Db, workspaceId: number, integration: string) {
  return db.select().from(outputs).where(and(eq(outputs.workspaceId, workspaceId), eq(outputs.integration, integration))).orderBy(outputs.id);
}

/** Creates or updates the output and the connection; omitted secret settings keep their stored value. */
export async function configureService(db: Db, keys: SealKeys, s: ServiceConfig): Promise<{ connectionId: number; outputId: number }> {
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

/** Deletes an output of a workspace that no connection uses; false when connections remain. */
export async function deleteUnusedOutput(db: Db, outputId: number): Promise<boolean> {
  if (await db.$count(connections, eq(connections.outputId, outputId))) return false;
  await db.delete(outputs).where(eq(outputs.id, outputId));
  invalidateConfig();
  return true;
}

/** Removes the connection of an input to an output (the output stays, listed in serviceconfigurations). */
export async function removeService(db: Db, inputId: number, outputId: number): Promise<void> {
  await db.delete(connections).where(and(eq(connections.inputId, inputId), eq(connections.outputId, outputId)));
  invalidateConfig();
}
