/**
 * The Web SDK config's `dataPlanResult` (mparticle-api.md §7.4): `{ dtpn: { vers, blok } }` for the plan the
 * page names, or `{ error_message }` (the SDK logs it and blocks nothing). Without a pinned version, the
 * latest version active for the requested environment is used (§2.11, §7.3) — the same choice ingest makes.
 */
import type { PlanBlocking } from "./settings";

export type Activation = "none" | "development" | "production";
/** What choosing a version needs of a stored version. */
export type VersionChoice = { version: number; activatedEnvironment: Activation };

export type DataPlanResult =
  | {
      dtpn: {
        vers: { version: number; data_plan_id: string; version_description?: string; activated_environment: Activation; version_document: unknown };
        blok: PlanBlocking;
      };
    }
  | { error_message: string };

/** Whether a version is active for data of `environment` ("production" activation covers both, §7.3). */
export function activeFor(v: { activatedEnvironment: Activation }, environment: "production" | "development"): boolean {
  return v.activatedEnvironment === "production" || (environment === "development" && v.activatedEnvironment === "development");
}

/** The version to use: the pinned one, else the latest active for `environment`; or why there is none. */
export function chooseVersion<V extends VersionChoice>(planId: string, versions: V[] | null, pinned: number | undefined, environment: "production" | "development"): { version: V } | { error_message: string } {
  if (!versions) return { error_message: `Data plan "${planId}" not found.` };
  if (pinned !== undefined) {
    const v = versions.find((x) => x.version === pinned);
    return v ? { version: v } : { error_message: `Version ${pinned} of data plan "${planId}" not found.` };
  }
  let chosen: V | undefined;
  for (const v of versions) if (activeFor(v, environment) && (!chosen || v.version > chosen.version)) chosen = v;
  return chosen ? { version: chosen } : { error_message: `No version of data plan "${planId}" is active in ${environment}.` };
}

/** The `dtpn` answer for a chosen version and its document. */
export function dataPlanResult(planId: string, v: VersionChoice & { description: string | null; blocking: PlanBlocking }, document: unknown): DataPlanResult {
  return {
    dtpn: {
      vers: {
        version: v.version,
        data_plan_id: planId,
        ...(v.description !== null ? { version_description: v.description } : {}),
        activated_environment: v.activatedEnvironment,
        version_document: document,
      },
      blok: v.blocking,
    },
  };
}
