/**
 * Request bodies of the Data Planning API (mparticle-api.md §7.1, §7.2): plans and versions as
 * `@mparticle/data-planning-node` sends them. Our additions on a version: `blocking` ({ev, ea, ua, id}, §7.4)
 * and `quarantine_connection_id`. `version_document.settings.validation_actions` (the document's own block
 * settings) is honoured too: `drop_event`/`drop_batch` on `event` blocks unplanned events, `drop_attribute`
 * on `event_attribute`/`user_attribute` blocks unplanned attributes.
 */
import { z } from "zod";
import { configName, configText } from "../schema/config-text";
import { ACTIVATED_ENVIRONMENTS, type PlanBlocking, versionDocumentSchema } from "./settings";

/** Largest version document stored (D1 keeps a row under 2 MB; §7.2's typical version is ~50 KB). */
export const MAX_VERSION_DOCUMENT_BYTES = 1_900_000;
/** §7.2: a plan upload is under 10 MB (413 beyond, while streaming). */
export const PLAN_UPLOAD_MAX_BYTES = 10 * 1024 * 1024;
/** Versions one request may create (our bound). */
export const MAX_VERSIONS_PER_REQUEST = 100;

const actions = z.enum(["unknown", "allow", "drop_event", "drop_attribute", "drop_batch"]);

export const VersionBody = z.looseObject({
  version: z.number().int().min(1).max(999_999_999).optional().describe("Version number; default the next one."),
  data_plan_id: z.string().optional().describe("Ignored when it names this plan; 400 otherwise."),
  version_description: configText(1_000).nullish(),
  activated_environment: z.enum(ACTIVATED_ENVIRONMENTS).optional().describe('"none" (default), "development" (dev data) or "production" (dev and prod data).'),
  blocking: z.strictObject({ ev: z.boolean().optional(), ea: z.boolean().optional(), ua: z.boolean().optional(), id: z.boolean().optional() }).optional().describe("Block unplanned events, event attributes, user attributes, user identities (§7.3)."),
  quarantine_connection_id: z.number().int().positive().nullish().describe("Connection (of this workspace) that receives blocked data: original batch + block metadata."),
  version_document: versionDocumentSchema.and(
    z.looseObject({ settings: z.looseObject({ validation_actions: z.looseObject({ event: actions.optional(), event_attribute: actions.optional(), user_attribute: actions.optional() }).optional() }).optional() }),
  ),
});
export type VersionBody = z.output<typeof VersionBody>;

/** PATCH of a version: every field optional. */
export const VersionPatch = VersionBody.partial();
export type VersionPatch = z.output<typeof VersionPatch>;

export const PlanBody = z.looseObject({
  data_plan_name: configName(200),
  data_plan_id: z.string().optional().describe("Generated from data_plan_name; a different value is refused."),
  data_plan_description: configText(1_000).nullish(),
  data_plan_versions: z.array(VersionBody).max(MAX_VERSIONS_PER_REQUEST).optional(),
});
export type PlanBody = z.output<typeof PlanBody>;

export const PlanPatch = PlanBody.partial();
export type PlanPatch = z.output<typeof PlanPatch>;

/** POST /plans/validate. */
export const ValidateBody = z.looseObject({
  document: versionDocumentSchema,
  batch: z.looseObject({ events: z.array(z.unknown()).max(10_000).optional(), user_attributes: z.unknown().optional() }),
});

/** `data_plan_id` of a name: lowercase letters, digits and `_` (§7.2: URL-safe, from the name, never changes). */
export function slugOf(name: string): string {
  const s = name.normalize("NFKD").toLowerCase().replace(/[^a-z0-9]+/g, "_").replace(/^_+|_+$/g, "").slice(0, 100).replace(/_+$/, "");
  return s || "data_plan";
}

/** Block settings of a version body: `blocking` wins, else the document's `validation_actions`. */
export function blockingOf(v: Pick<VersionBody, "blocking" | "version_document">, base: PlanBlocking = { ev: false, ea: false, ua: false, id: false }): PlanBlocking {
  const a = (v.version_document as { settings?: { validation_actions?: Record<string, string | undefined> } } | undefined)?.settings?.validation_actions;
  const fromActions: Partial<PlanBlocking> = a
    ? { ev: a.event === "drop_event" || a.event === "drop_batch", ea: a.event_attribute === "drop_attribute", ua: a.user_attribute === "drop_attribute" }
    : {};
  return { ...base, ...fromActions, ...Object.fromEntries(Object.entries(v.blocking ?? {}).filter(([, x]) => x !== undefined)) };
}
