/**
 * Data plan validation (§7.2, §7.3): a version document compiled once into a lookup of match key → JSON Schema
 * validator (`@cfworker/json-schema`, no eval), and a batch validated against it. Results equal those of
 * `@mparticle/data-planning-node`'s `DataPlanEventValidator` (the oracle, test/node/dataplan-oracle.test.ts).
 */
import { Validator } from "@cfworker/json-schema";
import { eventKey, eventName, type PlanEvent, type PlanMatch, pointKey, synthesizeMatch } from "./match";
import { type PlanValidationError, planErrors } from "./schema-errors";

export type { PlanValidationError, ValidationErrorType } from "./schema-errors";

/** One planned data point, compiled. */
export type CompiledPoint = { match: PlanMatch; key: string; schema: Record<string, unknown>; validator: Validator | null };

/** A version document ready to validate with. */
export type CompiledPlan = { points: Map<string, CompiledPoint> };

/** A validation result (data-planning-models `ValidationResultEvent`). */
export type ValidationResult = {
  event_type: "validation_result";
  data: { match?: PlanMatch; validation_errors: PlanValidationError[] };
};

/** A result of ingest validation: which event (index in the batch, absent for user attributes) and its data point. */
export type IndexedResult = ValidationResult & { eventIndex?: number; dataPoint: string };

type Point = { match?: { type?: unknown; criteria?: unknown }; validator?: { type?: unknown; definition?: unknown } };

/** Compiles a (validated) version document; a later point with the same match key replaces an earlier one, as in the oracle. */
export function compilePlan(document: { data_points?: unknown }): CompiledPlan {
  const points = new Map<string, CompiledPoint>();
  for (const p of (Array.isArray(document.data_points) ? document.data_points : []) as Point[]) {
    if (!p?.match || !p.validator || typeof p.match.type !== "string") continue;
    const match = p.match as PlanMatch;
    const key = pointKey(match);
    const def = p.validator.type === "json_schema" && p.validator.definition && typeof p.validator.definition === "object" ? (p.validator.definition as Record<string, unknown>) : {};
    points.set(key, { match, key, schema: def, validator: Object.keys(def).length ? new Validator(def, "7", false) : null });
  }
  return { points };
}

/** `data` without null members, recursively through objects (arrays kept as they are), as the oracle validates it. */
export function withoutNulls(v: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!v || typeof v !== "object") return out;
  for (const [k, x] of Object.entries(v)) {
    if (x && typeof x === "object" && !Array.isArray(x)) out[k] = withoutNulls(x);
    else if (x != null) out[k] = x;
  }
  return out;
}

/** Errors of `data` against a compiled point (none when the point has no schema). */
export function schemaErrors(point: CompiledPoint, data: unknown): PlanValidationError[] {
  if (!point.validator) return [];
  const r = point.validator.validate(withoutNulls(data));
  return r.valid ? [] : planErrors(r.errors, point.schema, data);
}

/** The result of one event, or null when it is valid. */
export function validateEvent(plan: CompiledPlan, e: PlanEvent): ValidationResult | null {
  const key = eventKey(e);
  if (!key || !key.trim()) {
    return { event_type: "validation_result", data: { validation_errors: [{ validation_error_type: "unplanned", key: "unknown", error_pointer: "#" }] } };
  }
  const point = plan.points.get(key);
  if (!point) {
    return { event_type: "validation_result", data: { match: synthesizeMatch(e), validation_errors: [{ validation_error_type: "unplanned", key: eventName(e), error_pointer: "#" }] } };
  }
  const errors = schemaErrors(point, e);
  return errors.length ? { event_type: "validation_result", data: { match: point.match, validation_errors: errors } } : null;
}

/**
 * The result for the batch's user attributes. `strict` (the oracle's behaviour, used by POST /plans/validate):
 * a plan without a `user_attributes` schema answers one `unknown` error; at ingest such a plan does not
 * validate user attributes at all.
 */
export function validateUserAttributes(plan: CompiledPlan, attributes: unknown, strict: boolean): ValidationResult | null {
  const point = plan.points.get("user_attributes");
  if (!point?.validator) {
    if (!strict) return null;
    return { event_type: "validation_result", data: { match: { type: "user_attributes" }, validation_errors: [{ validation_error_type: "unknown", error_pointer: "#", actual: "Invalid JSON Schema", key: "user_attributes" }] } };
  }
  const errors = schemaErrors(point, attributes ?? {});
  return errors.length ? { event_type: "validation_result", data: { match: point.match, validation_errors: errors } } : null;
}

/** Results of a batch as POST /plans/validate answers them: violating events in order, then user attributes. */
export function validateBatch(plan: CompiledPlan, batch: { events?: unknown; user_attributes?: unknown }): ValidationResult[] {
  const out: ValidationResult[] = [];
  for (const e of Array.isArray(batch.events) ? (batch.events as PlanEvent[]) : []) {
    const r = validateEvent(plan, e ?? {});
    if (r) out.push(r);
  }
  const ua = validateUserAttributes(plan, batch.user_attributes, true);
  if (ua) out.push(ua);
  return out;
}

/** The data point a result counts under: its match key, or `unplanned:{name}` style keys for unplanned events. */
export function dataPointOf(r: ValidationResult): string {
  return r.data.match ? pointKey(r.data.match) : "unknown";
}

/** Ingest results: every violating event with its index, and user attributes only when the plan has a schema for them. */
export function validateForIngest(plan: CompiledPlan, batch: { events?: unknown; user_attributes?: unknown }): IndexedResult[] {
  const out: IndexedResult[] = [];
  const events = Array.isArray(batch.events) ? (batch.events as PlanEvent[]) : [];
  for (let i = 0; i < events.length; i++) {
    const r = validateEvent(plan, events[i] ?? {});
    if (r) out.push({ ...r, eventIndex: i, dataPoint: dataPointOf(r) });
  }
  const ua = validateUserAttributes(plan, batch.user_attributes, false);
  if (ua) out.push({ ...ua, dataPoint: "user_attributes" });
  return out;
}
