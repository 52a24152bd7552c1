/**
 * The deprecated `settings.dataPlans` path of /v1/workspaces (kept for one release, docs/data-plans.md): the map
 * is written through to the data plan store (each named plan gets exactly the versions the map gives; plans it
 * does not name are left alone) and is never stored in the settings; a workspace read shows the store's plans
 * in the old format.
 */
import type { BatchItem } from "drizzle-orm/batch";
import type { Db } from "../../db";
import { legacyPlanWrites, listPlans, planVersions, type VersionWrite } from "../../db/queries/data-plans";
import type { DataPlans } from "../../dataplans/settings";

/** Settings without `dataPlans`, and the plans (null when the settings did not name any). */
export function splitPlans<T extends Record<string, unknown>>(settings: T | undefined): { settings: T | undefined; plans: DataPlans | null } {
  if (!settings || settings.dataPlans === undefined) return { settings, plans: null };
  const { dataPlans, ...rest } = settings;
  return { settings: rest as T, plans: dataPlans as DataPlans };
}

/** Statements writing the (normalized) map through to the store. */
export function legacyWrites(db: Db, workspaceId: number, plans: DataPlans, now = Date.now()): BatchItem<"sqlite">[] {
  const mapped = Object.fromEntries(
    Object.entries(plans).map(([id, p]) => [
      id,
      {
        data_plan_name: p.data_plan_name,
        data_plan_description: p.data_plan_description,
        versions: Object.fromEntries(
          Object.entries(p.versions).map(([n, v]): [string, VersionWrite] => [
            n,
            { version: Number(n), description: v.version_description ?? null, activatedEnvironment: v.activated_environment, blocking: v.blocking, quarantineConnectionId: null, document: JSON.stringify(v.version_document), by: null },
          ]),
        ),
      },
    ]),
  );
  return legacyPlanWrites(db, workspaceId, mapped, now);
}

/** The store's plans of a workspace in the old `settings.dataPlans` format (undefined when it has none). */
export async function legacyView(db: Db, workspaceId: number): Promise<Record<string, unknown> | undefined> {
  const plans = await listPlans(db, workspaceId);
  if (!plans.length) return undefined;
  const out: Record<string, unknown> = {};
  for (const { plan } of plans) {
    const versions = await planVersions(db, plan.id);
    out[plan.planId] = {
      data_plan_name: plan.name,
      ...(plan.description !== null ? { data_plan_description: plan.description } : {}),
      versions: Object.fromEntries(
        versions.map((v) => [
          String(v.version),
          { ...(v.description !== null ? { version_description: v.description } : {}), activated_environment: v.activatedEnvironment, blocking: v.blocking, version_document: JSON.parse(v.document) as unknown },
        ]),
      ),
    };
  }
  return out;
}
