/** Data plans (mparticle-api.md §7): documents, validation, blocking and the Web SDK's `dataPlanResult`. */
export { checkDataPlans, withNormalizedDataPlans } from "./settings";
export { chooseVersion, dataPlanResult } from "./result";
