/** Apps and their platforms (platform inputs). Input secrets are hashed; the plain secret is returned once. */
import { and, eq, inArray, isNull } from "drizzle-orm";
import type { Db } from "..";
import { hashSecret } from "../../lib/crypto";
import { seal, type SealKeys } from "../../lib/sealed";
import { randomToken } from "../../lib/ids";
import { invalidateConfig } from "../cache";
import { apps, connections, dataPointFilters, dataPoints, type Input, inputs, serviceFilters, workspaces } from "../schema";

export type AppWithPlatforms = { id: number; workspaceId: number; name: string; createdAt: number; updatedAt: number; platforms: Input[] };
/** A new key and its secret (the secret exists only in this value). */
export type AccessKey = { key: string; secret: string };

/** Gives every platform input of the account that has no app (demo seed, older rows) an app of its own. */
export async function adoptOrphanInputs(db: Db, accountId: number): Promise<void> {
  const orphans = await db
    .select({ id: inputs.id, workspaceId: inputs.workspaceId, name: inputs.name })
    .from(inputs)
    .innerJoin(workspaces, eq(workspaces.id, inputs.workspaceId))
    .where(and(eq(workspaces.accountId, accountId), eq(inputs.kind, "platform"), isNull(inputs.appId)));
  for (const o of orphans) {
    const [app] = await db.insert(apps).values({ workspaceId: o.workspaceId, name: o.name }).returning({ id: apps.id });
    const claimed = await db.update(inputs).set({ appId: app!.id }).where(and(eq(inputs.id, o.id), isNull(inputs.appId))).returning({ id: inputs.id });
    // A concurrent request adopted it first: drop the empty app.
    if (!claimed.length) await db.delete(apps).where(eq(apps.id, app!.id));
  }
}

/** Apps of the account (optionally one app), each with its platform inputs. */
export async function listApps(db: Db, accountId: number, appId?: number): Promise<AppWithPlatforms[]> {
  await adoptOrphanInputs(db, accountId);
  const where = appId === undefined ? eq(workspaces.accountId, accountId) : and(eq(workspaces.accountId, accountId), eq(apps.id, appId));
  const rows = await db
    .select({ id: apps.id, workspaceId: apps.workspaceId, name: apps.name, createdAt: apps.createdAt, updatedAt: apps.updatedAt })
    .from(apps)
    .innerJoin(workspaces, eq(workspaces.id, apps.workspaceId))
    .where(where)
    .orderBy(apps.id);
  if (!rows.length) return [];
  const ins = await db.select().from(inputs).where(inArray(inputs.appId, rows.map((r) => r.id))).orderBy(inputs.id);
  return rows.map((r) => ({ ...r, platforms: ins.filter((i) => i.appId === r.id) }));
}

/** One app of the account with its platforms, or null. */
export async function getApp(db: Db, accountId: number, appId: number): Promise<AppWithPlatforms | null> {
  return (await listApps(db, accountId, appId))[0] ?? null;
}

/** A fresh API key and secret pair. */
export function newAccessKey(): AccessKey {
  return { key: randomToken(16), secret: randomToken(32) };
}

/**
 * Settings key holding the input secret sealed under the current sealing key (src/lib/sealed.ts): the Identity API needs the plain
 * secret to verify HMAC signatures. Never shown by the API (see `publicSettings`).
 */
export const SEALED_SECRET = "secretSealed";

/** Creates an input with a new key; returns the row and the one-time secret. */
export async function createInput(
  db: Db,
  keys: SealKeys,
  v: { workspaceId: number; appId: number | null; kind: "platform" | "feed"; platform: string; name: string; settings?: Record<string, unknown> },
): Promise<{ input: Input; accessKey: AccessKey }> {
  const accessKey = newAccessKey();
  const settings = { ...(v.settings ?? {}), [SEALED_SECRET]: await seal(keys, accessKey.secret) };
  const [input] = await db
    .insert(inputs)
    .values({ ...v, settings, apiKey: accessKey.key, secretHash: await hashSecret(accessKey.secret) })
    .returning();
  invalidateConfig();
  return { input: input!, accessKey };
}

/** Creates an app; its platforms are created by the caller with `createInput`. */
export async function createApp(db: Db, workspaceId: number, name: string): Promise<number> {
  const [row] = await db.insert(apps).values({ workspaceId, name }).returning({ id: apps.id });
  return row!.id;
}

/** Renames an app. */
export async function renameApp(db: Db, id: number, name: string): Promise<void> {
  await db.update(apps).set({ name, updatedAt: Date.now() }).where(eq(apps.id, id));
}

/** Updates an input's name, status or settings (its sealed secret is kept). */
export async function updateInput(db: Db, id: number, patch: Partial<Pick<Input, "name" | "status" | "settings" | "platform">>): Promise<Input> {
  if (patch.settings) {
    const [cur] = await db.select({ settings: inputs.settings }).from(inputs).where(eq(inputs.id, id)).limit(1);
    const { [SEALED_SECRET]: _drop, ...rest } = patch.settings;
    patch = { ...patch, settings: { ...rest, ...(cur?.settings?.[SEALED_SECRET] ? { [SEALED_SECRET]: cur.settings[SEALED_SECRET] } : {}) } };
  }
  const [row] = await db.update(inputs).set({ ...patch, updatedAt: Date.now() }).where(eq(inputs.id, id)).returning();
  invalidateConfig();
  return row!;
}

/** Issues a new secret (and, when `newKey`, a new key); the old secret stops working at once in this isolate. */
export async function rotateInputSecret(db: Db, keys: SealKeys, id: number, currentKey: string, newKey: boolean): Promise<AccessKey> {
  const accessKey = { key: newKey ? newAccessKey().key : currentKey, secret: newAccessKey().secret };
  const [cur] = await db.select({ settings: inputs.settings }).from(inputs).where(eq(inputs.id, id)).limit(1);
  const settings = { ...(cur?.settings ?? {}), [SEALED_SECRET]: await seal(keys, accessKey.secret) };
  await db.update(inputs).set({ apiKey: accessKey.key, secretHash: await hashSecret(accessKey.secret), settings, updatedAt: Date.now() }).where(eq(inputs.id, id));
  invalidateConfig();
  return accessKey;
}

/** Deletes inputs with their connections (dead letters and counters are kept). */
export async function deleteInputs(db: Db, ids: number[]): Promise<void> {
  if (!ids.length) return;
  await db.batch([db.delete(connections).where(inArray(connections.inputId, ids)), db.delete(inputs).where(inArray(inputs.id, ids))]);
  invalidateConfig();
}

/** Deletes an app, its platforms (with their connections), filters and data points. */
export async function deleteApp(db: Db, app: AppWithPlatforms): Promise<void> {
  await deleteInputs(db, app.platforms.map((p) => p.id));
  await db.batch([
    db.delete(serviceFilters).where(eq(serviceFilters.appId, app.id)),
    db.delete(dataPointFilters).where(eq(dataPointFilters.appId, app.id)),
    db.delete(dataPoints).where(eq(dataPoints.appId, app.id)),
    db.delete(apps).where(eq(apps.id, app.id)),
  ]);
  invalidateConfig();
}
