/** Data plans (mparticle-api.md §7): the per-workspace store and the Web SDK's `dataPlanResult`. */
export { checkDataPlans, DATA_PLANS_MAX_BYTES, dataPlansSchema, MAX_DATA_POINTS, withNormalizedDataPlans } from "./settings";
export type { DataPlan, DataPlans, DataPlanVersion } from "./settings";
export { activeFor, dataPlanResult } from "./result";
export type { DataPlanResult } from "./result";
