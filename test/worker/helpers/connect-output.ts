import { env } from "cloudflare:workers";
import { invalidateConfig } from "../../../src/db/config-cache";
import { createDb } from "../../../src/db";
import { createOutput } from "../../../src/integrations/outputs";
import { connections } from "../../../src/db/schema";
import { deadLetterPayload } from "./dead-letters";

/** Creates an output of `integration` and connects the demo server input (id 1) to it, active in both environments. */
export async function connectOutput(integration: string, settings: Record<string, unknown>, connectionSettings: Record<string, unknown> = {}) {
  const db = createDb(env.DB);
  const outputId = await createOutput(db, env.CONFIG_ENCRYPTION_KEY, { workspaceId: 1, integration, name: `${integration} e2e`, settings });
  const [conn] = await db
    .insert(connections)
    .values({ inputId: 1, outputId, statusProduction: "active", statusDevelopment: "active", settings: connectionSettings })
    .returning();
  invalidateConfig();
  return { outputId, connectionId: conn!.id };
}

/** The dead letters of a connection, newest first: index rows with `payload` (JSON text) read from R2. */
export async function deadLetters(connectionId: number): Promise<Record<string, any>[]> {
  const { results } = await env.DB.prepare("SELECT * FROM dead_letters WHERE connection_id = ? ORDER BY id DESC").bind(connectionId).all<Record<string, any>>();
  return Promise.all(results.map(async (r) => (r.payload === "" ? { ...r, payload: JSON.stringify(await deadLetterPayload(r.id)) } : r)));
}
