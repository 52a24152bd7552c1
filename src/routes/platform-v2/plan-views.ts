/** Plans and versions as the Data Planning API answers them (mparticle-api.md §7.2). */
import type { PlanRow, VersionMeta, VersionRow } from "../../db/queries/data-plans";

const iso = (ms: number) => new Date(ms).toISOString();

/** A version; its `version_document` only when the row carries it. */
export function versionView(plan: PlanRow, v: VersionMeta | VersionRow) {
  return {
    data_plan_id: plan.planId,
    data_plan_name: plan.name,
    version: v.version,
    version_description: v.description,
    activated_environment: v.activatedEnvironment,
    blocking: v.blocking,
    quarantine_connection_id: v.quarantineConnectionId,
    created_on: iso(v.createdAt),
    created_by: v.createdBy,
    last_modified_on: iso(v.updatedAt),
    last_modified_by: v.lastModifiedBy,
    ...("document" in v ? { version_document: JSON.parse(v.document) as unknown } : {}),
  };
}

/** A plan with its versions (documents included when the version rows carry them). */
export function planView(plan: PlanRow, versions: (VersionMeta | VersionRow)[]) {
  return {
    data_plan_id: plan.planId,
    data_plan_name: plan.name,
    data_plan_description: plan.description,
    created_on: iso(plan.createdAt),
    created_by: plan.createdBy,
    last_modified_on: iso(plan.updatedAt),
    last_modified_by: plan.lastModifiedBy,
    data_plan_versions: versions.map((v) => versionView(plan, v)),
  };
}
