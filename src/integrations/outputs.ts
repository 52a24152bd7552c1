/**
 * Writes outputs: settings named secret by the integration are sealed (AES-256-GCM under the current sealing
 * key, src/lib/sealed.ts) into `secret_settings`; the rest stay readable in `settings`.
 */
import { eq } from "drizzle-orm";
import type { Db } from "../db";
import { getIntegration } from "./registry";
import { seal, type SealKeys } from "../lib/sealed";
import { ValidationError } from "../lib/errors";
import { invalidateConfig } from "../db/cache";
import { outputs } from "../db/schema";

export type OutputInput = { workspaceId: number; integration: string; name: string; settings: Record<string, unknown> };

/** Splits validated settings into plain and secret parts for `integration`. */
export function splitSecrets(integration: string, settings: Record<string, unknown>): { plain: Record<string, unknown>; secret: Record<string, unknown> } {
  const def = getIntegration(integration);
  if (!def) throw new ValidationError([{ code: "BAD_REQUEST", message: `integration: unknown integration "${integration}"` }]);
  const parsed = def.configSchema.safeParse(settings);
  if (!parsed.success) {
    throw new ValidationError(parsed.error.issues.slice(0, 10).map((i) => ({ code: "BAD_REQUEST", message: `settings.${i.path.join(".")}: ${i.message}` })));
  }
  const plain: Record<string, unknown> = {};
  const secret: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(parsed.data as Record<string, unknown>)) (def.secretSettings.includes(k) ? secret : plain)[k] = v;
  return { plain, secret };
}

/** Creates an output (optionally with a fixed id); returns its id. */
export async function createOutput(db: Db, keys: SealKeys, o: OutputInput & { id?: number }): Promise<number> {
  const { plain, secret } = splitSecrets(o.integration, o.settings);
  const secretSettings = Object.keys(secret).length ? await seal(keys, secret) : null;
  const [row] = await db
    .insert(outputs)
    .values({ id: o.id, workspaceId: o.workspaceId, integration: o.integration, name: o.name, settings: plain, secretSettings })
    .returning({ id: outputs.id });
  invalidateConfig();
  return row!.id;
}

/** Replaces an output's settings (secrets re-sealed). */
export async function updateOutputSettings(db: Db, keys: SealKeys, id: number, integration: string, settings: Record<string, unknown>): Promise<void> {
  const { plain, secret } = splitSecrets(integration, settings);
  const secretSettings = Object.keys(secret).length ? await seal(keys, secret) : null;
  await db.update(outputs).set({ settings: plain, secretSettings, updatedAt: Date.now() }).where(eq(outputs.id, id));
  invalidateConfig();
}
