/**
 * Data plan documents (mparticle-api.md §7.2): data points, version documents, block settings — shared by the
 * Data Planning API (src/dataplans/api.ts) and the deprecated `workspaces.settings.dataPlans` path =
 * `{ [data_plan_id]: { data_plan_name?, versions: { [version]: { version_document, activated_environment,
 * blocking } } } }`, which the workspace routes validate and write through to the plan store
 * (docs/data-plans.md).
 */
import { z } from "zod";
import { configText } from "../schema/config-text";
import { schemaProblem } from "./keywords";

/** §7.2: at most 1,000 data points per plan version. */
export const MAX_DATA_POINTS = 1_000;
/**
 * Serialized size of `dataPlans` at most (our bound: a typical version is ~50 KB per §7.2; the workspace row
 * is read through the config cache and D1 keeps a value under 2 MB).
 */
export const DATA_PLANS_MAX_BYTES = 1_000_000;

/** A plan id is a URL-safe slug (§7.2: generated from the name, never changes; the page sends it in `plan_id`). */
export const dataPlanId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/, { error: "Data plan ids are URL-safe slugs: letters, digits, _ and -, at most 100 characters." });
/** Version numbers are positive integers, written as object keys ("1", "2", …). */
export const versionKey = z.string().regex(/^[1-9]\d{0,8}$/, { error: "Version keys are positive integers (\"1\", \"2\", …)." });

/** §7.2 `match.type`. */
export const MATCH_TYPES = ["custom_event", "screen_view", "user_attributes", "user_identities", "product_action", "promotion_action", "product_impression", "unknown"] as const;

/** Criteria a match needs to name what it plans (the Web SDK builds its kit-blocking keys from them, §7.4). */
const REQUIRED_CRITERIA: Partial<Record<(typeof MATCH_TYPES)[number], string[]>> = {
  custom_event: ["event_name", "custom_event_type"],
  screen_view: ["screen_name"],
  product_action: ["action"],
  promotion_action: ["action"],
};

export const dataPointSchema = z
  .looseObject({
    description: z.string().optional(),
    match: z.looseObject({
      type: z.enum(MATCH_TYPES),
      criteria: z.record(z.string(), z.unknown()).optional(),
    }),
    validator: z.looseObject({ type: z.literal("json_schema"), definition: z.record(z.string(), z.unknown()) }).optional(),
  })
  .superRefine((p, ctx) => {
    for (const k of REQUIRED_CRITERIA[p.match.type] ?? []) {
      const v = p.match.criteria?.[k];
      if (typeof v !== "string" || v === "") ctx.addIssue({ code: "custom", path: ["match", "criteria", k], message: `A ${p.match.type} data point needs the string criterion "${k}".` });
    }
    // §7.2: unsupported keywords are refused with the keyword named (and patterns must compile).
    const problem = p.validator ? schemaProblem(p.validator.definition) : null;
    if (problem) ctx.addIssue({ code: "custom", path: ["validator", "definition", ...problem.path], message: problem.message, params: problem.keyword ? { keyword: problem.keyword } : undefined });
  });

export const blockingSchema = z
  .strictObject({
    ev: z.boolean().default(false).describe("Block unplanned events"),
    ea: z.boolean().default(false).describe("Block unplanned event attributes"),
    ua: z.boolean().default(false).describe("Block unplanned user attributes"),
    id: z.boolean().default(false).describe("Block unplanned user identities"),
  })
  .describe("Blocking of unplanned data (§7.3: per version; only unplanned data is ever blocked).");

/** §7.2 version document: the data points (at most 1,000) and the optional validation `settings`; other fields kept. */
export const versionDocumentSchema = z.looseObject({
  data_points: z.array(dataPointSchema).max(MAX_DATA_POINTS, { error: `A plan version has at most ${MAX_DATA_POINTS} data points (§7.2).` }).default([]),
});

export const ACTIVATED_ENVIRONMENTS = ["none", "development", "production"] as const;

export const planVersionSchema = z.looseObject({
  version_description: configText(1_000).optional(),
  activated_environment: z
    .enum(ACTIVATED_ENVIRONMENTS)
    .default("none")
    .describe('"development": active for development data; "production": active for development and production data (§7.3); "none": served only when pinned.'),
  blocking: blockingSchema.default({ ev: false, ea: false, ua: false, id: false }),
  version_document: versionDocumentSchema,
});

export const dataPlanSchema = z.looseObject({
  data_plan_name: configText(200).optional(),
  data_plan_description: configText(1_000).optional(),
  versions: z.record(versionKey, planVersionSchema).default({}),
});

/** `workspaces.settings.dataPlans`. */
export const dataPlansSchema = z
  .record(dataPlanId, dataPlanSchema)
  .superRefine((plans, ctx) => {
    const bytes = new TextEncoder().encode(JSON.stringify(plans)).byteLength;
    if (bytes > DATA_PLANS_MAX_BYTES) ctx.addIssue({ code: "custom", message: `Data plans take ${bytes} bytes; at most ${DATA_PLANS_MAX_BYTES} per workspace.` });
  })
  .describe("Data plan versions of the workspace, by data_plan_id (README: Web SDK, data plans).");

export type { PlanBlocking } from "../schema/plan-blocking";

export type DataPlan = z.output<typeof dataPlanSchema>;
export type DataPlanVersion = z.output<typeof planVersionSchema>;
export type DataPlans = z.output<typeof dataPlansSchema>;

/** Adds the issues of an invalid `settings.dataPlans` to a refinement context (workspace create/update). */
export function checkDataPlans(settings: Record<string, unknown>, ctx: z.RefinementCtx): void {
  if (settings.dataPlans === undefined) return;
  const r = dataPlansSchema.safeParse(settings.dataPlans);
  if (!r.success) for (const i of r.error.issues) ctx.addIssue({ code: "custom", path: ["dataPlans", ...i.path], message: issueMessage(i) });
}

/** An issue's message; a bad record key says why (zod nests the key's own issues). */
function issueMessage(i: z.core.$ZodIssue): string {
  return i.code === "invalid_key" ? i.issues.map((k) => k.message).join("; ") : i.message;
}

/** Settings with `dataPlans` stored normalized (defaults filled); call after `checkDataPlans` passed. */
export function withNormalizedDataPlans<T extends Record<string, unknown>>(settings: T): T {
  return settings.dataPlans === undefined ? settings : { ...settings, dataPlans: dataPlansSchema.parse(settings.dataPlans) };
}
