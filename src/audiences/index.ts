/** Real-time audiences (issue 19): criteria, validation, compilation and evaluation — pure modules. */
export { type Condition, conditionMet, conditionSchema } from "./condition";
export { type Criteria, forEachLeaf, type Issue, MAX_DEPTH, MAX_LEAVES, parseCriteria, usesLogic } from "./criteria";
export { type AudienceDefinition, type AudienceSet, compileSet, type CompiledSet, type CounterSpec, referencedAudiences } from "./compile";
export { type Buckets, countAt, criteriaMet, type Evaluation, evaluateSet, leafFlipAt, type ProfileSnapshot } from "./evaluate";
export { type EventFacts, eventFacts, eventMatches } from "./match";
export { validateCriteria, type ValidationContext } from "./validate";
export type { AudienceChange, AudienceChangesMessage, MemberSnapshot } from "./changes";
