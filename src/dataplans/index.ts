/** Data plans (mparticle-api.md §7): the per-workspace store and the Web SDK's `dataPlanResult`. */
export { checkDataPlans, withNormalizedDataPlans } from "./settings";
export { dataPlanResult } from "./result";
