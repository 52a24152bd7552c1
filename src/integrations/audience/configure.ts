/**
 * Connecting an audience to an output (Platform API `POST /v1/audiences/{id}/connections`): creates or updates
 * the output (one per workspace, service and `account` name, as `PUT …/services` does; secrets sealed, omitted
 * secrets kept) with settings validated by the audience partner's schema, then the audience connection. An
 * output shared with event connections keeps the settings only the event integration knows.
 */
import { and, eq } from "drizzle-orm";
import type { Db } from "../../db";
import { invalidateConfig } from "../../db/cache";
import { upsertAudienceConnection } from "../../db/queries/audience-connections";
import { undecryptableSecretsMessage } from "../../db/queries/output-secrets";
import { outputs } from "../../db/schema";
import { ValidationError } from "../../lib/errors";
import { seal, type SealKeys, tryUnseal } from "../../lib/sealed";
import type { AudiencePartner } from "../runtime/audience-types";
import { getIntegration } from "../registry";

export type AudienceConnectionInput = {
  audienceId: number;
  workspaceId: number;
  partner: AudiencePartner;
  account: string;
  settings: Record<string, unknown>;
  connectionSettings: Record<string, unknown>;
  status: { development: "active" | "inactive"; production: "active" | "inactive" };
};

/** Longest `flush_interval_s` accepted (a day). */
export const FLUSH_INTERVAL_MAX_SECONDS = 86_400;

const bad = (issues: { path: PropertyKey[]; message: string }[], field: string) =>
  new ValidationError(issues.slice(0, 10).map((i) => ({ code: "BAD_REQUEST", message: `${field}.${i.path.join(".")}: ${i.message}` })));

/** Validates, writes the output and the connection; answers the connection id and whether it is new. */
export async function configureAudienceConnection(db: Db, keys: SealKeys, s: AudienceConnectionInput): Promise<{ connectionId: number; outputId: number; created: boolean }> {
  const { flush_interval_s, ...partnerSettings } = s.connectionSettings;
  if (flush_interval_s !== undefined && (typeof flush_interval_s !== "number" || !Number.isFinite(flush_interval_s) || flush_interval_s < 0 || flush_interval_s > FLUSH_INTERVAL_MAX_SECONDS)) {
    throw new ValidationError([{ code: "BAD_REQUEST", message: `connectionSettings.flush_interval_s: a number of seconds from 0 to ${FLUSH_INTERVAL_MAX_SECONDS}` }]);
  }
  const conn = s.partner.connectionSchema.safeParse(partnerSettings);
  if (!conn.success) throw bad(conn.error.issues, "connectionSettings");
  const named = (schema: unknown) => Object.keys((schema as { shape?: Record<string, unknown> } | undefined)?.shape ?? {});
  const known = new Set([...named(s.partner.configSchema), ...named(getIntegration(s.partner.slug)?.configSchema)]);
  const unknown = known.size ? Object.keys(s.settings).filter((k) => !known.has(k)) : [];
  if (unknown.length) throw new ValidationError(unknown.slice(0, 10).map((k) => ({ code: "BAD_REQUEST", message: `settings.${k} is not a setting of ${s.partner.slug}` })));
  const [existing] = await db
    .select()
    .from(outputs)
    .where(and(eq(outputs.workspaceId, s.workspaceId), eq(outputs.integration, s.partner.slug), eq(outputs.name, s.account)))
    .limit(1);
  // The output may also serve event connections (same service name): settings and secrets the audience partner
  // does not know are kept as they are, and every secret either side names stays sealed.
  const secretKeys = new Set([...s.partner.secretSettings, ...(getIntegration(s.partner.slug)?.secretSettings ?? [])]);
  let kept: Record<string, unknown> = {};
  if (existing?.secretSettings) {
    const opened = await tryUnseal<Record<string, unknown>>(keys, existing.secretSettings);
    const omitted = s.partner.secretSettings.filter((k) => s.settings[k] === undefined);
    if (opened.ok) kept = opened.value;
    else if (omitted.length) throw new ValidationError([{ code: "SECRET_UNDECRYPTABLE", message: `settings.${omitted.join(", settings.")}: ${undecryptableSecretsMessage(existing.id, opened.reason)}` }]);
  }
  const merged = { ...(existing?.settings ?? {}), ...kept, ...s.settings };
  const parsed = s.partner.configSchema.safeParse(merged);
  if (!parsed.success) throw bad(parsed.error.issues, "settings");
  const plain: Record<string, unknown> = {};
  const secret: Record<string, unknown> = {};
  for (const [k, v] of Object.entries({ ...merged, ...(parsed.data as Record<string, unknown>) })) if (v !== undefined) (secretKeys.has(k) ? secret : plain)[k] = v;
  const secretSettings = Object.keys(secret).length ? await seal(keys, secret) : null;
  let outputId: number;
  if (existing) {
    await db.update(outputs).set({ settings: plain, secretSettings, updatedAt: Date.now() }).where(eq(outputs.id, existing.id));
    outputId = existing.id;
  } else {
    const [row] = await db.insert(outputs).values({ workspaceId: s.workspaceId, integration: s.partner.slug, name: s.account, settings: plain, secretSettings }).returning({ id: outputs.id });
    outputId = row!.id;
  }
  invalidateConfig();
  const settings = { ...(conn.data as Record<string, unknown>), ...(flush_interval_s !== undefined ? { flush_interval_s } : {}) };
  const { id, created } = await upsertAudienceConnection(db, { audienceId: s.audienceId, outputId, settings, status: s.status });
  return { connectionId: id, outputId, created };
}
