/**
 * "Configure a service for an app platform" (Platform API): our output (one per workspace, integration and
 * `account` name) plus the connection from the platform input to it. Configuring one (settings validated by the
 * integration) is src/integrations/configure-service.ts.
 */
import { and, eq } from "drizzle-orm";
import type { Db } from "..";
import { invalidateConfig } from "../cache";
import { connections, outputs } from "../schema";

export const DEFAULT_ACCOUNT_NAME = "Default Account";

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
