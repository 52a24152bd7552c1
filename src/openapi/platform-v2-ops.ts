/** `/platform/v2` operations (src/routes/platform-v2): the Data Planning API and the data catalog. */
import { PlanBody, PlanPatch, ValidateBody, VersionBody, VersionPatch } from "../dataplans/api";
import { RESOURCES } from "../routes/platform-v2";
import { SummaryQuery } from "../routes/platform-v2/plan-summary";
import { ReplayBody } from "../routes/platform-v2/quarantine";
import { CaCreateBody, CaUpdateBody } from "../routes/platform-v2/calculated-attributes";
import { CatalogQuery } from "../routes/platform-v2/catalog";
import { InlinePreviewBody, PreviewBody } from "../routes/platform-v2/field-transformation-preview";
import { FtBody, FtPutBody } from "../schema/field-transformation";
import type { Operation } from "./operation";

const limit = (path: string) => RESOURCES.find((r) => r.path === path)!.maxBodyBytes;

function v2(method: Operation["method"], path: string, tag: string, summary: string, extra: Partial<Operation> = {}): Operation {
  const resource = RESOURCES.find((r) => path === r.path || path.startsWith(`${r.path}/`))!.path;
  return { method, path: `/platform/v2/workspaces/{workspaceId}${path}`, tag, summary, auth: "bearer", account: false, raw: true, maxBodyBytes: limit(resource), ...extra };
}


export const platformV2Operations: Operation[] = [
  v2("get", "/plans", "Data plans", "List plans with their versions' metadata (no data points)"),
  v2("post", "/plans", "Data plans", "Create a plan (data_plan_id from the name), optionally with versions", { body: PlanBody }),
  v2("post", "/plans/validate", "Data plans", "Validate a batch against a version document: {results, batch}", { body: ValidateBody }),
  v2("get", "/plans/{planId}", "Data plans", "Get a plan with its versions"),
  v2("patch", "/plans/{planId}", "Data plans", "Update a plan's name/description; versions named in the body are replaced or created", { body: PlanPatch }),
  v2("delete", "/plans/{planId}", "Data plans", "Delete a plan and its versions", { status: 204 }),
  v2("post", "/plans/{planId}/versions", "Data plans", "Create a version (default: the next number)", { body: VersionBody }),
  v2("get", "/plans/{planId}/versions/{version}", "Data plans", "Get a version with its document"),
  v2("patch", "/plans/{planId}/versions/{version}", "Data plans", "Update a version (fields given replace the stored ones)", { body: VersionPatch }),
  v2("delete", "/plans/{planId}/versions/{version}", "Data plans", "Delete a version", { status: 204 }),
  v2("get", "/plans/{planId}/versions/{version}/summary", "Data plans", "Validation summary: hourly counts per data point and error type, and the latest examples", { query: SummaryQuery }),
  v2("get", "/calculatedattributes", "Calculated attributes", "List calculated attributes (optionally ?name=)"),
  v2("head", "/calculatedattributes", "Calculated attributes", "204 when a calculated attribute matches ?name=, 404 when none", { status: 204 }),
  v2("post", "/calculatedattributes", "Calculated attributes", "Create a calculated attribute (draft); answers its integer id", { body: CaCreateBody, status: 201 }),
  v2("get", "/calculatedattributes/{id}", "Calculated attributes", "Get a calculated attribute"),
  v2("put", "/calculatedattributes/{id}", "Calculated attributes", "Update the draft and description (name only before the first activation)", { body: CaUpdateBody, status: 204 }),
  v2("delete", "/calculatedattributes/{id}", "Calculated attributes", "Delete a calculated attribute", { status: 204 }),
  v2("post", "/calculatedattributes/{id}/activation", "Calculated attributes", "Activate the draft (profiles compute it from their history)", { status: 204 }),
  v2("get", "/calculatedattributes/{id}/activation", "Calculated attributes", "Activation status"),
  v2("delete", "/calculatedattributes/{id}/draft", "Calculated attributes", "Discard the draft", { status: 204 }),
  v2("get", "/calculatedattributes/{id}/calculation", "Calculated attributes", "Calculation status"),
  v2("post", "/quarantine/replay", "Data plans", "Replay a quarantined batch (original_batch + data_plan_block) through ingest, validated against the plan as it is now", { body: ReplayBody, status: 202 }),
  v2("get", "/transformations/fields", "Field transformations", "List field transformations"),
  v2("post", "/transformations/fields", "Field transformations", "Create a field transformation (the caller sets its id; answers 200 with the object; 409 when the id exists or was deleted)", { body: FtBody, status: 200 }),
  v2("post", "/transformations/fields/preview", "Field transformations", "Apply an inline transformation to samples: each result's batch (and whether it is a valid Events API batch) or error", { body: InlinePreviewBody }),
  v2("get", "/transformations/fields/{id}", "Field transformations", "Get a field transformation"),
  v2("put", "/transformations/fields/{id}", "Field transformations", "Replace a field transformation's name and mappings", { body: FtPutBody }),
  v2("delete", "/transformations/fields/{id}", "Field transformations", "Delete a field transformation (its id is never reused)", { status: 204 }),
  v2("post", "/transformations/fields/{id}/preview", "Field transformations", "Apply a stored transformation to samples (no side effects)", { body: PreviewBody }),
  v2("get", "/catalog", "Data catalog", "Events, attributes and identity types seen: first/last seen, counts per environment, and the plans whose latest version covers each", { query: CatalogQuery }),
];
