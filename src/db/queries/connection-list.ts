/** Listing the connections of an account (Platform API `GET /v1/connections`), with optional filters. */
import { and, asc, eq, gt, or, type SQL } from "drizzle-orm";
import type { Db } from "..";
import { connections, inputs, outputs, workspaces } from "../schema";

export type ConnectionListFilter = {
  workspaceId?: number;
  inputId?: number;
  outputId?: number;
  /** `active`: active in at least one environment; `inactive`: inactive in both. */
  status?: "active" | "inactive";
  /** "event" (input → output) or "audience" (audience → output). */
  kind?: "event" | "audience";
  /** Only connections with a greater id (paging). */
  afterId?: number;
  limit: number;
};

/** Connections of the account's workspaces matching `f`, by id, at most `f.limit`. */
export function listConnectionsInAccount(db: Db, accountId: number, f: ConnectionListFilter) {
  const where: SQL[] = [eq(workspaces.accountId, accountId)];
  if (f.workspaceId !== undefined) where.push(eq(outputs.workspaceId, f.workspaceId));
  if (f.kind !== undefined) where.push(eq(connections.kind, f.kind));
  if (f.inputId !== undefined) where.push(eq(connections.inputId, f.inputId));
  if (f.outputId !== undefined) where.push(eq(connections.outputId, f.outputId));
  if (f.afterId !== undefined) where.push(gt(connections.id, f.afterId));
  if (f.status === "active") where.push(or(eq(connections.statusDevelopment, "active"), eq(connections.statusProduction, "active"))!);
  if (f.status === "inactive") where.push(eq(connections.statusDevelopment, "inactive"), eq(connections.statusProduction, "inactive"));
  return db
    .select({
      id: connections.id,
      workspaceId: outputs.workspaceId,
      kind: connections.kind,
      audienceId: connections.audienceId,
      fault: connections.fault,
      inputId: connections.inputId,
      inputName: inputs.name,
      outputId: connections.outputId,
      outputName: outputs.name,
      integration: outputs.integration,
      statusDevelopment: connections.statusDevelopment,
      statusProduction: connections.statusProduction,
      isVisible: connections.isVisible,
      settings: connections.settings,
      consentRules: connections.consentRules,
      createdAt: connections.createdAt,
      updatedAt: connections.updatedAt,
    })
    .from(connections)
    // Through the output: audience connections have no input (an event connection's input and output share a workspace).
    .leftJoin(inputs, eq(inputs.id, connections.inputId))
    .innerJoin(outputs, eq(outputs.id, connections.outputId))
    .innerJoin(workspaces, eq(workspaces.id, outputs.workspaceId))
    .where(and(...where))
    .orderBy(asc(connections.id))
    .limit(f.limit);
}
