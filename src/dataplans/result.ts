/**
 * The Web SDK config's `dataPlanResult` (mparticle-api.md §7.4): `{ dtpn: { vers, blok } }` for the plan the
 * page names, or `{ error_message }` (the SDK logs it and blocks nothing). Without a pinned version, the
 * latest version active for the requested environment is served (§2.11, §7.3).
 */
import { type DataPlan, dataPlanSchema, type DataPlanVersion } from "./settings";

export type DataPlanResult =
  | {
      dtpn: {
        vers: { version: number; data_plan_id: string; version_description?: string; activated_environment: DataPlanVersion["activated_environment"]; version_document: DataPlanVersion["version_document"] };
        blok: DataPlanVersion["blocking"];
      };
    }
  | { error_message: string };

/** Whether a version is active for data of `environment` ("production" activation covers both, §7.3). */
export function activeFor(v: Pick<DataPlanVersion, "activated_environment">, environment: "production" | "development"): boolean {
  return v.activated_environment === "production" || (environment === "development" && v.activated_environment === "development");
}

/** Stored plans already parsed, by the stored object (shared by the config cache for its TTL). */
const parsed = new WeakMap<object, DataPlan | null>();

function planOf(stored: unknown, planId: string): DataPlan | null {
  if (!stored || typeof stored !== "object" || Array.isArray(stored) || !Object.hasOwn(stored, planId)) return null;
  const raw = (stored as Record<string, unknown>)[planId];
  if (!raw || typeof raw !== "object") return null;
  if (!parsed.has(raw)) {
    const r = dataPlanSchema.safeParse(raw);
    parsed.set(raw, r.success ? r.data : null);
  }
  return parsed.get(raw) ?? null;
}

/**
 * The `dataPlanResult` for `planId` (and `version`, when the page pins one) out of a workspace's stored
 * `settings.dataPlans`. A stored plan that does not validate counts as unknown.
 */
export function dataPlanResult(stored: unknown, planId: string, version: number | undefined, environment: "production" | "development"): DataPlanResult {
  const plan = planOf(stored, planId);
  if (!plan) return { error_message: `Data plan "${planId}" not found.` };
  let chosen: [number, DataPlanVersion] | undefined;
  if (version !== undefined) {
    const v = plan.versions[String(version)];
    if (!v) return { error_message: `Version ${version} of data plan "${planId}" not found.` };
    chosen = [version, v];
  } else {
    for (const [k, v] of Object.entries(plan.versions)) {
      if (activeFor(v, environment) && (!chosen || Number(k) > chosen[0])) chosen = [Number(k), v];
    }
    if (!chosen) return { error_message: `No version of data plan "${planId}" is active in ${environment}.` };
  }
  const [n, v] = chosen;
  return {
    dtpn: {
      vers: {
        version: n,
        data_plan_id: planId,
        ...(v.version_description !== undefined ? { version_description: v.version_description } : {}),
        activated_environment: v.activated_environment,
        version_document: v.version_document,
      },
      blok: v.blocking,
    },
  };
}
