/**
 * Calculated attribute definitions (audiences.md §1.3–§1.6): the stored shape, the validation of a
 * `draft_definition` with mParticle's messages (§1.6), and the compiled form the profile evaluates. Pure.
 */

export const CALCULATION_TYPES = [
  "count", "first_occurrence_timestamp", "last_occurrence_timestamp", "first_occurrence", "last_occurrence",
  "sum", "min", "max", "average", "unique_list", "unique_values_count", "most_frequent",
] as const;
export type CalculationType = (typeof CALCULATION_TYPES)[number];

export const CONDITION_TYPES = ["string", "number", "boolean", "date"] as const;
export type ConditionType = (typeof CONDITION_TYPES)[number];

/** Operator × type (§1.5). */
export const OPERATORS: Record<ConditionType, readonly string[]> = {
  string: ["exists", "not_exists", "empty", "equals", "in_list", "contains", "not_contains", "pattern", "not_equals"],
  number: ["exists", "not_exists", "empty", "equals", "in_list", "not_equals", "greater_than", "greater_or_equal", "less_than", "less_than_or_equal", "between"],
  boolean: ["exists", "not_exists", "empty", "equals"],
  date: ["exists", "not_exists", "empty", "equals", "before", "after", "between_dates"],
};

const EVENT_TYPES = ["unknown", "session_start", "session_end", "screen_view", "custom_event", "crash_report", "opt_out", "first_run", "pre_attribution", "push_registration", "application_state_transition", "push_message", "network_performance", "breadcrumb", "profile", "push_reaction", "commerce_event", "user_attribute_change", "user_identity_change", "uninstall", "validation_result"];
const CUSTOM_EVENT_TYPES = ["unknown", "navigation", "location", "search", "transaction", "user_content", "user_preference", "social", "other", "media", "add_to_cart", "remove_from_cart", "checkout", "checkout_option", "click", "view_detail", "purchase", "refund", "promotion_view", "promotion_click", "add_to_wishlist", "remove_from_wishlist", "impression", "attribution", "consent_granted", "consent_denied"];
/** Calculations over an attribute's values (the others count events or take their times). */
const NEEDS_ATTRIBUTE = new Set<CalculationType>(["sum", "min", "max", "average", "unique_list", "unique_values_count", "most_frequent"]);
/** `within` units: mParticle's days and weeks, and ours for real-time personalization. */
export const WITHIN_UNIT_MS = { minutes: 60_000, hours: 3_600_000, days: 86_400_000, weeks: 604_800_000 } as const;
export type WithinUnit = keyof typeof WITHIN_UNIT_MS;
/** The longest `within` window (our retention for calculated attributes, §1.6's "configured retention period"). */
export const CA_RETENTION_DAYS = 90;
/** The earliest `since` date accepted (§1.6 "earliest date available"). */
export const CA_EARLIEST_DATE = "2000-01-01T00:00:00";

export type Condition = { type: ConditionType; operator: string; attribute_name: string; value: string | null; values: string[] | null; min_value: string | null; max_value: string | null };
export type DataPoint = {
  type: "event";
  event_name: string | null;
  attribute_name: string | null;
  event_type: string;
  custom_event_type: string | null;
  attribute_category: "event_attribute" | "product_attribute" | "promotion_attribute" | null;
  use_product_quantity: boolean;
};
export type TimePeriod = { type: "since" | "within"; date: string | null; within: number | null; within_unit: WithinUnit | null };
/** A definition as stored and answered (§1.3 shape, `data_point` spelling). */
export type Definition = { recipe_type: "event"; data_point: DataPoint; conditions: Condition[] | null; calculation_type: CalculationType; time_period: TimePeriod; seeding: { cutoff_date: string } | null };

type Raw = Record<string, unknown>;
const isObj = (v: unknown): v is Raw => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === "string" ? v : null);
const empty = (v: unknown) => v === undefined || v === null || v === "" || (Array.isArray(v) && v.length === 0);

/** A date as mParticle writes them (`2019-10-01T00:00:00`, `2019-10-01`, with or without `Z`/fraction), read as UTC. */
export function parseIsoDate(s: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?)?(Z|[+-]\d{2}:\d{2})?$/.test(s)) return null;
  const iso = s.length === 10 ? `${s}T00:00:00Z` : /Z|[+-]\d{2}:\d{2}$/.test(s) ? s : `${s}Z`;
  const t = Date.parse(iso.replace(/(\.\d{3})\d+/, "$1"));
  return Number.isFinite(t) ? t : null;
}

const numeric = (s: unknown) => typeof s === "string" && s.trim() !== "" && Number.isFinite(Number(s));

/** The §1.6 messages of one condition (empty when valid). */
function conditionErrors(c: unknown): string[] {
  if (!isObj(c)) return ["Invalid condition definition"];
  const type = c.type;
  if (!CONDITION_TYPES.includes(type as ConditionType)) return ["Invalid condition definition type"];
  const t = type as ConditionType;
  if (typeof c.attribute_name !== "string" || c.attribute_name.trim() === "") return ["Condition attribute name must be specified"];
  const op = c.operator;
  const label = { string: "string", number: "numeric", boolean: "boolean", date: "date" }[t];
  if (typeof op !== "string" || !OPERATORS[t].includes(op)) return [`Invalid ${label} condition operator`];
  const out: string[] = [];
  const list = op === "in_list";
  const range = op === "between" || op === "between_dates";
  const noValue = op === "exists" || op === "not_exists" || op === "empty";
  if (list) {
    if (!Array.isArray(c.values) || c.values.length === 0 || c.values.some((v) => typeof v !== "string")) return ["In-list condition values must be specified"];
    if (t === "number" && c.values.some((v) => !numeric(v))) out.push("Invalid numeric in-list condition values");
  } else if (!empty(c.values)) out.push("Condition values must be empty");
  if (range) {
    if (!empty(c.value)) out.push("Condition value must be empty");
    const kind = t === "number" ? "numeric" : "date";
    const ok = (v: unknown) => (t === "number" ? numeric(v) : typeof v === "string" && parseIsoDate(v) !== null);
    if (!ok(c.min_value)) out.push(`Invalid ${kind} condition minimum value`);
    if (!ok(c.max_value)) out.push(`Invalid ${kind} condition maximum value`);
  } else {
    if (!empty(c.min_value)) out.push("Condition minimum value must be empty");
    if (!empty(c.max_value)) out.push("Condition maximum value must be empty");
  }
  if (!list && !range) {
    if (noValue) {
      if (!empty(c.value)) out.push("Condition value must be empty");
    } else if (t === "string" && (typeof c.value !== "string" || c.value === "")) out.push("String condition value must be specified");
    else if (t === "number" && !numeric(c.value)) out.push("Invalid numeric condition value");
    else if (t === "boolean" && c.value !== "true" && c.value !== "false") out.push("Invalid boolean condition value");
    else if (t === "date" && (typeof c.value !== "string" || parseIsoDate(c.value) === null)) out.push("Invalid date condition value");
  }
  return out;
}

/** The definition's `data_point` (either spelling). */
const dataPointOf = (d: Raw): unknown => d.data_point ?? d.datapoint;

/**
 * A `draft_definition` checked with §1.6's messages; the normalized definition (the `data_point` spelling,
 * absent keys as null) or the messages.
 */
export function validateDefinition(raw: unknown): { ok: true; definition: Definition } | { ok: false; errors: string[] } {
  if (!isObj(raw)) return { ok: false, errors: ["Field 'draft_definition' is required."] };
  const errors: string[] = [];
  if (raw.recipe_type !== "event") errors.push("Invalid recipe type");
  if (!CALCULATION_TYPES.includes(raw.calculation_type as CalculationType)) errors.push("Invalid calculation type");
  const calc = raw.calculation_type as CalculationType;

  const dp = dataPointOf(raw);
  let dataPoint: DataPoint | null = null;
  if (!isObj(dp)) errors.push("Invalid data point");
  else {
    const eventType = str(dp.event_type);
    const cet = str(dp.custom_event_type);
    const name = str(dp.event_name);
    const attr = str(dp.attribute_name);
    const category = (dp.attribute_category ?? null) as DataPoint["attribute_category"];
    if (dp.type !== undefined && dp.type !== null && dp.type !== "event") errors.push("Invalid data point type");
    if (!eventType || !EVENT_TYPES.includes(eventType)) errors.push("Invalid data point event type");
    if (cet !== null && (!CUSTOM_EVENT_TYPES.includes(cet) || (eventType !== "custom_event" && eventType !== "commerce_event"))) errors.push("Invalid data point custom event type");
    if ((eventType === "custom_event" || eventType === "screen_view") && (!name || name.trim() === "")) errors.push("Invalid data point custom event name");
    if (eventType === "commerce_event" && !cet && (!name || name.trim() === "")) errors.push("Invalid data point custom event type");
    if (category !== null && !["event_attribute", "product_attribute", "promotion_attribute"].includes(category)) errors.push("Invalid data point attribute category");
    if ((category === "product_attribute" || category === "promotion_attribute") && eventType !== "commerce_event") errors.push("Invalid data point attribute category");
    if (NEEDS_ATTRIBUTE.has(calc) && (!attr || attr.trim() === "")) errors.push("Data point attribute name must be specified");
    if (dp.use_product_quantity !== undefined && dp.use_product_quantity !== null && typeof dp.use_product_quantity !== "boolean") errors.push("Invalid data point use_product_quantity");
    dataPoint = { type: "event", event_name: name, attribute_name: attr, event_type: eventType ?? "", custom_event_type: cet, attribute_category: category, use_product_quantity: dp.use_product_quantity === true };
  }

  let conditions: Condition[] | null = null;
  if (raw.conditions !== undefined && raw.conditions !== null) {
    if (!Array.isArray(raw.conditions)) errors.push("Invalid condition definition");
    else {
      for (const c of raw.conditions) errors.push(...conditionErrors(c));
      conditions = raw.conditions.filter(isObj).map((c) => ({
        type: c.type as ConditionType,
        operator: String(c.operator),
        attribute_name: String(c.attribute_name),
        value: str(c.value),
        values: Array.isArray(c.values) ? (c.values as string[]) : null,
        min_value: str(c.min_value),
        max_value: str(c.max_value),
      }));
    }
  }

  const tp = raw.time_period;
  let timePeriod: TimePeriod | null = null;
  if (!isObj(tp)) errors.push("Invalid time period specification");
  else if (tp.type === "all") errors.push("Field 'time_period.type' = 'all' is not supported.");
  else if (tp.type === "since") {
    const date = str(tp.date);
    const t = date === null ? null : parseIsoDate(date);
    if (t === null) errors.push("Invalid time period specification");
    else if (t < parseIsoDate(CA_EARLIEST_DATE)!) errors.push(`'time_period.date' must be on or after the earliest date available of ${CA_EARLIEST_DATE}`);
    timePeriod = { type: "since", date, within: null, within_unit: null };
  } else if (tp.type === "within") {
    const unit = tp.within_unit as WithinUnit;
    if (typeof tp.within !== "number" || !Number.isInteger(tp.within) || tp.within <= 0) errors.push("Invalid 'within' time period specification");
    else if (!(unit in WITHIN_UNIT_MS)) errors.push("Invalid 'within_unit' time period specification");
    else if (tp.within * WITHIN_UNIT_MS[unit] > CA_RETENTION_DAYS * WITHIN_UNIT_MS.days) errors.push(`The within time period cannot exceed your configured retention period of ${CA_RETENTION_DAYS} days for Calculated Attributes`);
    timePeriod = { type: "within", date: null, within: tp.within as number, within_unit: unit };
  } else errors.push("Invalid 'type' time period specification");

  let seeding: Definition["seeding"] = null;
  if (raw.seeding !== undefined && raw.seeding !== null) {
    const cutoff = isObj(raw.seeding) ? str(raw.seeding.cutoff_date) : null;
    if (cutoff === null || parseIsoDate(cutoff) === null) errors.push("Invalid seeding cutoff date");
    else seeding = { cutoff_date: cutoff };
  }
  if (errors.length || !dataPoint || !timePeriod) return { ok: false, errors: [...new Set(errors)] };
  return { ok: true, definition: { recipe_type: "event", data_point: dataPoint, conditions, calculation_type: calc, time_period: timePeriod, seeding } };
}

/** An active definition as the profile evaluates it (sent with each batch of the workspace). */
export type CaSpec = {
  id: number;
  name: string;
  /** Changes with every activation: state computed under another revision is recomputed. */
  revision: number;
  calc: CalculationType;
  dp: DataPoint;
  conditions: Condition[];
  /** `since`: events before this time are not counted. */
  sinceMs: number | null;
  /** `within`: the window length. */
  windowMs: number | null;
  /** Seeds count for data before this time; live data counts from it (`seeding.cutoff_date`). */
  cutoffMs: number | null;
};

/** The compiled form of an active definition. */
export function compileSpec(id: number, name: string, revision: number, d: Definition): CaSpec {
  const tp = d.time_period;
  return {
    id,
    name,
    revision,
    calc: d.calculation_type,
    dp: d.data_point,
    conditions: d.conditions ?? [],
    sinceMs: tp.type === "since" && tp.date ? parseIsoDate(tp.date) : null,
    windowMs: tp.type === "within" && tp.within && tp.within_unit ? tp.within * WITHIN_UNIT_MS[tp.within_unit] : null,
    cutoffMs: d.seeding ? parseIsoDate(d.seeding.cutoff_date) : null,
  };
}
