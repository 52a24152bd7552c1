/** Consent test helpers: a workspace with privacy settings, its server input and outputs, and reads of what was stored. */
import { env } from "cloudflare:workers";
import { createDb } from "../../../src/db";
import { invalidateConfig } from "../../../src/db/config-cache";
import { createOutput } from "../../../src/integrations/outputs";
import { type ConsentRule, connections, inputs, workspaces } from "../../../src/db/schema";
import type { ProfileView } from "../../../src/durable/user-profile";
import { userProfileName } from "../../../src/durable/user-profile";
import { hashSecret } from "../../../src/lib/crypto";
import type { IngestMessage } from "../../../src/pipeline/messages";
import { basic, post } from "./requests";

export type PrivacyWorkspace = { workspaceId: number; inputId: number; key: string; secret: string; tag: string };

/** A workspace of account 1 with `privacy` settings and one server input. */
export async function privacyWorkspace(privacy: Record<string, unknown> | undefined): Promise<PrivacyWorkspace> {
  const db = createDb(env.DB);
  const tag = crypto.randomUUID().slice(0, 8);
  const [ws] = await db.insert(workspaces).values({ accountId: 1, name: `consent ${tag}`, settings: privacy ? { privacy } : {} }).returning();
  const key = `consent-${tag}`;
  const secret = `secret-${tag}`;
  const [input] = await db
    .insert(inputs)
    .values({ workspaceId: ws!.id, kind: "platform", platform: "server", name: `consent ${tag}`, apiKey: key, secretHash: await hashSecret(secret) })
    .returning();
  invalidateConfig();
  return { workspaceId: ws!.id, inputId: input!.id, key, secret, tag };
}

/** A feed input of the workspace: a partner feed when `partner` names the partner, else a custom feed. */
export async function feedOf(w: PrivacyWorkspace, partner?: string): Promise<PrivacyWorkspace> {
  const tag = crypto.randomUUID().slice(0, 8);
  const key = `feed-${tag}`;
  const secret = `feed-secret-${tag}`;
  const [input] = await createDb(env.DB)
    .insert(inputs)
    .values({ workspaceId: w.workspaceId, kind: "feed", platform: "server", name: `feed ${tag}`, apiKey: key, secretHash: await hashSecret(secret), settings: partner ? { partner } : {} })
    .returning();
  invalidateConfig();
  return { workspaceId: w.workspaceId, inputId: input!.id, key, secret, tag };
}

/** Connects the workspace's input to a new output, active in both environments, with consent rules and connection settings. */
export async function connect(w: PrivacyWorkspace, integration: string, settings: Record<string, unknown>, opts: { rules?: ConsentRule[]; connectionSettings?: Record<string, unknown> } = {}) {
  const db = createDb(env.DB);
  const outputId = await createOutput(db, env.CONFIG_ENCRYPTION_KEY, { workspaceId: w.workspaceId, integration, name: `${integration} ${w.tag}`, settings });
  const [conn] = await db
    .insert(connections)
    .values({ inputId: w.inputId, outputId, statusProduction: "active", statusDevelopment: "active", settings: opts.connectionSettings ?? {}, consentRules: opts.rules ?? [] })
    .returning();
  invalidateConfig();
  return conn!.id;
}

/** A webhook output whose URL path is unique, so the sink can tell its deliveries apart. */
export async function webhookOf(w: PrivacyWorkspace, name: string, opts: Parameters<typeof connect>[3] = {}) {
  const path = `/consent/${w.tag}/${name}`;
  const connectionId = await connect(w, "webhook", { url: `https://hooks.example.com${path}` }, opts);
  return { path, connectionId };
}

/** POSTs one batch to /v2/events with the workspace's input credentials. */
export function send(w: PrivacyWorkspace, b: unknown): Promise<Response> {
  return post("/v2/events", b, { Authorization: basic(w.key, w.secret) });
}

/** Queues an ingest message as the browser routes do (`gpc` as set from `Sec-GPC: 1`); returns its receipt time. */
export async function queueBrowserBatch(w: PrivacyWorkspace, batch: Record<string, unknown>, gpc: boolean): Promise<number> {
  const receivedAt = Date.now();
  const msg: IngestMessage = {
    v: 1,
    type: "ingest",
    inputId: w.inputId,
    workspaceId: w.workspaceId,
    organizationId: 1,
    accountId: 1,
    receivedAt,
    channel: "javascript",
    historical: false,
    ...(gpc ? { gpc: true } : {}),
    limitCorrections: 0,
    items: [{ batchId: crypto.randomUUID(), eventOffset: 0, batch: batch as IngestMessage["items"][number]["batch"] }],
  };
  await env.INGEST.send(msg);
  return receivedAt;
}

/** The stored profile as the workspace sees it (organization identity scope, the default). */
export function storedProfile(workspaceId: number, mpid: string): Promise<ProfileView | null> {
  return env.USER_PROFILE.getByName(userProfileName("org:1", mpid)).profile(workspaceId) as Promise<ProfileView | null>;
}

/** drop_counters of an input, by reason (all hours). */
export async function drops(inputId: number): Promise<Record<string, number>> {
  const { results } = await env.DB.prepare(`SELECT reason, SUM(count) AS n FROM drop_counters WHERE input_id = ? GROUP BY reason`).bind(inputId).all<{ reason: string; n: number }>();
  return Object.fromEntries(results.map((r) => [r.reason, r.n]));
}

/** connection_counters of a connection, summed over hours. */
export async function connectionCounts(connectionId: number): Promise<Record<string, number>> {
  const row = await env.DB.prepare(
    `SELECT SUM(inbound_batches) AS inbound_batches, SUM(inbound_events) AS inbound_events, SUM(consent_dropped_events) AS consent_dropped_events FROM connection_counters WHERE connection_id = ?`,
  )
    .bind(connectionId)
    .first<Record<string, number>>();
  return row ?? {};
}
