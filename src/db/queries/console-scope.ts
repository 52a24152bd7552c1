/** What a console user's organization holds: its workspaces, and a workspace's inputs and connections. */
import { and, asc, eq } from "drizzle-orm";
import type { Db } from "..";
import { accounts, connections, inputs, outputs, workspaces } from "../schema";

export type ConsoleWorkspace = { id: number; name: string; accountId: number };

/** The organization's workspaces, by id. */
export function workspacesOfOrganization(db: Db, organizationId: number): Promise<ConsoleWorkspace[]> {
  return db
    .select({ id: workspaces.id, name: workspaces.name, accountId: workspaces.accountId })
    .from(workspaces)
    .innerJoin(accounts, eq(accounts.id, workspaces.accountId))
    .where(eq(accounts.organizationId, organizationId))
    .orderBy(asc(workspaces.id));
}

/** The workspace's inputs (no secrets). */
export function inputsOfWorkspace(db: Db, workspaceId: number) {
  return db.select({ id: inputs.id, name: inputs.name, platform: inputs.platform, kind: inputs.kind, apiKey: inputs.apiKey, status: inputs.status }).from(inputs).where(eq(inputs.workspaceId, workspaceId)).orderBy(asc(inputs.id));
}

/** The workspace's connections with their input and output names. */
export function connectionsOfWorkspace(db: Db, workspaceId: number) {
  return db
    .select({
      id: connections.id, inputId: connections.inputId, inputName: inputs.name, outputId: connections.outputId, outputName: outputs.name, integration: outputs.integration,
      statusDevelopment: connections.statusDevelopment, statusProduction: connections.statusProduction, settings: connections.settings,
      kind: connections.kind, audienceId: connections.audienceId, fault: connections.fault,
    })
    .from(connections)
    // Through the output: audience connections have no input.
    .leftJoin(inputs, eq(inputs.id, connections.inputId))
    .innerJoin(outputs, eq(outputs.id, connections.outputId))
    .where(eq(outputs.workspaceId, workspaceId))
    .orderBy(asc(connections.id));
}

/** One connection of the workspace, with its output's settings (sealed secrets stay sealed), or null. */
export async function connectionOfWorkspace(db: Db, workspaceId: number, id: number) {
  const rows = await db
    .select({
      id: connections.id, inputId: connections.inputId, inputName: inputs.name, outputId: connections.outputId, outputName: outputs.name, integration: outputs.integration,
      statusDevelopment: connections.statusDevelopment, statusProduction: connections.statusProduction, settings: connections.settings, outputSettings: outputs.settings, sealedSecrets: outputs.secretSettings,
      kind: connections.kind, audienceId: connections.audienceId, fault: connections.fault,
    })
    .from(connections)
    .leftJoin(inputs, eq(inputs.id, connections.inputId))
    .innerJoin(outputs, eq(outputs.id, connections.outputId))
    .where(and(eq(outputs.workspaceId, workspaceId), eq(connections.id, id)))
    .limit(1);
  return rows[0] ?? null;
}
