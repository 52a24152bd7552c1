/**
 * The registry of UserProfile's per-batch modules, in the order they run for each batch and alarm (a later
 * module sees the answers of earlier ones in `earlier`). Adding a module: one file exporting a
 * `ProfileModuleDef` (see `module.ts`) and one import plus one line below, in its slot.
 */
import type { AnyModuleDef, ProfileModuleDef } from "./module";

// Imports, one per module, in registration order.
import { calculatedAttributesModule } from "./calculated-attributes";

import { audiencesModule } from "./audiences";

export const PROFILE_MODULES = [
  // Calculated attributes (issue 19): first, audiences read their values.
  calculatedAttributesModule,

  // Audiences (issue 19): after calculated attributes.
  audiencesModule,
] as const satisfies readonly AnyModuleDef[];

type Defs = (typeof PROFILE_MODULES)[number];
/* eslint-disable @typescript-eslint/no-explicit-any -- inference over each module's own type parameters */
/** Per module name: what the ingest consumer sends it (`ProfileIngest.modules`). */
export type ModuleInputs = { [D in Defs as D["name"]]: D extends ProfileModuleDef<string, infer I, any, any> ? I : never };
/** Per module name: what it answers for a batch (`ProfileIngestResult.modules`). */
export type ModuleResults = { [D in Defs as D["name"]]: D extends ProfileModuleDef<string, any, infer O, any> ? O : never };
/** Per module name: what it shows in the profile view (`ProfileView.modules`). */
export type ModuleViews = { [D in Defs as D["name"]]: D extends ProfileModuleDef<string, any, any, infer V> ? V : never };
