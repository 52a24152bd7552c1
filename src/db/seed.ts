/**
 * The demo seed for local development (`npm start` sets DEMO_SEED=true; never in production).
 * Idempotent upserts of organization 1 / account 1 / workspace 1, two inputs, API client credentials, the
 * workspace's DSR API credentials and,
 * when DEMO_WEBHOOK_URL is set, a webhook output connected to both inputs in both environments.
 */
import { and, eq, inArray, sql } from "drizzle-orm";
import { createDb } from ".";
import { hashSecret } from "../lib/crypto";
import { hashPassword } from "../lib/password";
import { seal } from "../lib/sealed";
import { type LoadMap, loadOnce, type SharedLoad } from "../lib/shared-load";
import { invalidateConfig } from "./cache";
import { accounts, apiClients, connections, consoleUsers, inputs, organizations, outputs, workspaceCredentials, workspaces } from "./schema";

/** Public demo contract (README): local development only. */
export const DEMO = {
  organizationId: 1,
  accountId: 1,
  workspaceId: 1,
  serverInput: { id: 1, key: "demo-server-key", secret: "demo-server-secret" },
  webInput: { id: 2, key: "demo-web-key", secret: "demo-web-secret" },
  apiClient: { id: 1, clientId: "demo-client-id", clientSecret: "demo-client-secret" },
  /** DSR API (OpenDSR) credentials of workspace 1. */
  workspaceCredential: { id: 1, key: "demo-workspace-key", secret: "demo-workspace-secret" },
  /** The console's admin (GET /console): PBKDF2-hashed on first seed, left alone afterwards. */
  consoleUser: { email: "admin@example.com", password: "demo-password" },
  webhookOutputId: 1,
  connectionIds: [1, 2],
  /** Workspace privacy settings (README "Consent and privacy controls"); written only where none are set. */
  privacy: {
    regulations: { gdpr: true, ccpa: true },
    gdprPurposes: ["marketing", "analytics", "location_collection"],
    gpc: { mapTo: "ccpa" },
    systemNotifications: true,
  },
} as const;

/** The isolate's seeding, shared as plain data (src/lib/shared-load.ts): never one request's promise awaited by another. */
let seeded: SharedLoad<void> | undefined;
const seedSlot: LoadMap<"demo", void> = { get: () => seeded, set: (_k, v) => (seeded = v), delete: () => (seeded = undefined) };
/** A seeding in flight this long is taken as lost (its request was torn down) and run again (it is idempotent). */
const SEED_STALE_MS = 15_000;

/** Seeds once per isolate; a failed attempt is retried on the next request. */
export function ensureDemoSeed(env: Env): Promise<void> {
  return loadOnce(seedSlot, "demo", () => seedDemo(env), { staleMs: SEED_STALE_MS });
}

/** Writes the demo configuration (safe to run any number of times). */
export async function seedDemo(env: Pick<Env, "DB" | "DEMO_WEBHOOK_URL" | "CONFIG_ENCRYPTION_KEY">): Promise<void> {
  const db = createDb(env.DB);
  const now = Date.now();
  const upd = { updatedAt: now };
  const webhookUrl = env.DEMO_WEBHOOK_URL?.trim();
  const [serverHash, webHash, clientHash] = await Promise.all([
    hashSecret(DEMO.serverInput.secret),
    hashSecret(DEMO.webInput.secret),
    hashSecret(DEMO.apiClient.clientSecret),
  ]);
  const workspaceCredentialHash = await hashSecret(DEMO.workspaceCredential.secret);
  const status = webhookUrl ? ("active" as const) : ("inactive" as const);
  // Sealed copies of the input secrets let the Identity API verify HMAC-signed requests.
  const [serverSealed, webSealed] = await Promise.all([seal(env, DEMO.serverInput.secret), seal(env, DEMO.webInput.secret)]);
  await db.batch([
    db.insert(organizations).values({ id: DEMO.organizationId, name: "Demo Organization" }).onConflictDoNothing(),
    db.insert(accounts).values({ id: DEMO.accountId, organizationId: DEMO.organizationId, name: "Demo Account" }).onConflictDoNothing(),
    db.insert(workspaces).values({ id: DEMO.workspaceId, accountId: DEMO.accountId, name: "Demo Workspace", settings: { privacy: DEMO.privacy } }).onConflictDoNothing(),
    db
      .update(workspaces)
      .set({ settings: sql`json_set(${workspaces.settings}, '$.privacy', json(${JSON.stringify(DEMO.privacy)}))` })
      .where(and(eq(workspaces.id, DEMO.workspaceId), sql`json_extract(${workspaces.settings}, '$.privacy') IS NULL`)),
    db
      .insert(inputs)
      .values({ id: DEMO.serverInput.id, workspaceId: DEMO.workspaceId, kind: "platform", platform: "server", name: "Demo server-to-server", apiKey: DEMO.serverInput.key, secretHash: serverHash, settings: { secretSealed: serverSealed } })
      .onConflictDoUpdate({ target: inputs.id, set: { apiKey: DEMO.serverInput.key, secretHash: serverHash, settings: { secretSealed: serverSealed }, status: "active", ...upd } }),
    db
      .insert(inputs)
      .values({ id: DEMO.webInput.id, workspaceId: DEMO.workspaceId, kind: "platform", platform: "web", name: "Demo web", apiKey: DEMO.webInput.key, secretHash: webHash, settings: { secretSealed: webSealed } })
      .onConflictDoUpdate({ target: inputs.id, set: { apiKey: DEMO.webInput.key, secretHash: webHash, settings: { secretSealed: webSealed }, status: "active", ...upd } }),
    db
      .insert(apiClients)
      .values({ id: DEMO.apiClient.id, organizationId: DEMO.organizationId, name: "Demo client", clientId: DEMO.apiClient.clientId, secretHash: clientHash })
      .onConflictDoUpdate({ target: apiClients.id, set: { clientId: DEMO.apiClient.clientId, secretHash: clientHash, revokedAt: null, ...upd } }),
    db
      .insert(workspaceCredentials)
      .values({ id: DEMO.workspaceCredential.id, workspaceId: DEMO.workspaceId, key: DEMO.workspaceCredential.key, secretHash: workspaceCredentialHash })
      .onConflictDoUpdate({ target: workspaceCredentials.id, set: { workspaceId: DEMO.workspaceId, key: DEMO.workspaceCredential.key, secretHash: workspaceCredentialHash, status: "active", ...upd } }),
  ]);
  // 100,000 PBKDF2 iterations cost tens of ms: hashed only when the demo admin does not exist yet.
  const admin = await db.select({ id: consoleUsers.id }).from(consoleUsers).where(eq(consoleUsers.email, DEMO.consoleUser.email)).limit(1);
  if (!admin.length) {
    await db.insert(consoleUsers).values({ organizationId: DEMO.organizationId, email: DEMO.consoleUser.email, role: "admin", passwordHash: await hashPassword(DEMO.consoleUser.password) }).onConflictDoNothing();
  }
  if (webhookUrl) {
    await db.batch([
      db
        .insert(outputs)
        .values({ id: DEMO.webhookOutputId, workspaceId: DEMO.workspaceId, integration: "webhook", name: "Demo webhook", settings: { url: webhookUrl } })
        .onConflictDoUpdate({ target: outputs.id, set: { integration: "webhook", settings: { url: webhookUrl }, ...upd } }),
      ...[DEMO.serverInput.id, DEMO.webInput.id].map((inputId, i) =>
        db
          .insert(connections)
          .values({ id: DEMO.connectionIds[i]!, inputId, outputId: DEMO.webhookOutputId, statusDevelopment: status, statusProduction: status })
          .onConflictDoUpdate({ target: connections.id, set: { statusDevelopment: status, statusProduction: status, ...upd } }),
      ),
    ]);
  } else {
    await db.update(connections).set({ statusDevelopment: status, statusProduction: status, ...upd }).where(inArray(connections.id, [...DEMO.connectionIds]));
  }
  invalidateConfig();
}
