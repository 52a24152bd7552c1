import { eq, sql } from "drizzle-orm";
import type { Db } from "..";
import type { ConnectionFilters } from "../../lib/filters";
import { type ConsentRule, connections, inputs, outputs } from "../schema";
import { loadConnectionFilters } from "./filters";

/** A connection joined with its output: what the fan-out and the forward consumer need. */
export type ConnectionRow = {
  id: number;
  inputId: number;
  workspaceId: number;
  statusDevelopment: "active" | "inactive";
  statusProduction: "active" | "inactive";
  settings: Record<string, unknown>;
  outputId: number;
  integration: string;
  outputSettings: Record<string, unknown>;
  secretSettings: string | null;
  /** Data point filters (Platform API); absent when the connection has none. Apply with `applyConnectionFilters`. */
  filters?: ConnectionFilters;
  /** Consent forwarding rules as stored (the config cache validates them: `src/privacy/rules.ts`). */
  consentRules: ConsentRule[];
  /** With `id` and `outputId`, the connection's generation (queued jobs name it; src/forward/generation.ts). */
  createdAt: number;
};

const columns = {
  id: connections.id,
  // Inner-joined with inputs: only event connections, whose input is never null.
  inputId: sql<number>`${connections.inputId}`,
  workspaceId: inputs.workspaceId,
  statusDevelopment: connections.statusDevelopment,
  statusProduction: connections.statusProduction,
  settings: connections.settings,
  outputId: outputs.id,
  integration: outputs.integration,
  outputSettings: outputs.settings,
  secretSettings: outputs.secretSettings,
  consentRules: connections.consentRules,
  createdAt: connections.createdAt,
};

/** Every connection of an input (active or not; the caller filters by environment), with its filters. */
export async function listConnectionsForInput(db: Db, inputId: number): Promise<ConnectionRow[]> {
  const rows = await db
    .select({ ...columns, appId: inputs.appId })
    .from(connections)
    .innerJoin(outputs, eq(outputs.id, connections.outputId))
    .innerJoin(inputs, eq(inputs.id, connections.inputId))
    .where(eq(connections.inputId, inputId));
  const filters = await loadConnectionFilters(db, rows);
  return rows.map(({ appId: _a, ...r }) => {
    const f = filters.get(r.id);
    return f ? { ...r, filters: f } : r;
  });
}

/** One connection with its output, or null. */
export async function getConnection(db: Db, id: number): Promise<ConnectionRow | null> {
  const rows = await db
    .select(columns)
    .from(connections)
    .innerJoin(outputs, eq(outputs.id, connections.outputId))
    .innerJoin(inputs, eq(inputs.id, connections.inputId))
    .where(eq(connections.id, id))
    .limit(1);
  return rows[0] ?? null;
}
