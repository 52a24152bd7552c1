import { describe, expect, it } from "vitest";
import { validateDefinition } from "./calculated-attribute";

const good = {
  recipe_type: "event",
  datapoint: { type: "event", event_name: "Purchase", attribute_name: "Total Amount", event_type: "commerce_event", custom_event_type: "purchase", attribute_category: "product_attribute", use_product_quantity: true },
  conditions: [{ type: "number", operator: "equals", attribute_name: "Checkout Step", value: "22", values: null, min_value: null, max_value: null }],
  calculation_type: "sum",
  time_period: { type: "since", date: "2019-10-01T00:00:00", within: null, within_unit: null },
  seeding: { cutoff_date: "2019-10-02T00:00:00" },
};
const errorsOf = (over: Record<string, unknown>) => {
  const r = validateDefinition({ ...good, ...over });
  return r.ok ? [] : r.errors;
};
const withCondition = (c: Record<string, unknown>) => errorsOf({ conditions: [{ type: "string", operator: "equals", attribute_name: "x", value: "v", values: null, min_value: null, max_value: null, ...c }] });

describe("calculated attribute definitions (audiences.md §1.5, §1.6)", () => {
  it("accepts the documented example with `datapoint` and answers it as `data_point`", () => {
    const r = validateDefinition(good);
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.definition.data_point.event_name).toBe("Purchase");
      expect(r.definition).not.toHaveProperty("datapoint");
    }
    const { datapoint, ...rest } = good;
    expect(validateDefinition({ ...rest, data_point: datapoint }).ok).toBe(true);
  });

  it("accepts within N minutes, hours, days and weeks", () => {
    for (const within_unit of ["minutes", "hours", "days", "weeks"]) expect(errorsOf({ time_period: { type: "within", within: 2, within_unit } })).toEqual([]);
  });

  it.each([
    [{ recipe_type: "audience" }, "Invalid recipe type"],
    [{ calculation_type: "median" }, "Invalid calculation type"],
    [{ time_period: { type: "all" } }, "Field 'time_period.type' = 'all' is not supported."],
    [{ time_period: { type: "since", date: "yesterday" } }, "Invalid time period specification"],
    [{ time_period: { type: "since", date: "1990-01-01T00:00:00" } }, "'time_period.date' must be on or after the earliest date available of 2000-01-01T00:00:00"],
    [{ time_period: { type: "within", within: 0, within_unit: "days" } }, "Invalid 'within' time period specification"],
    [{ time_period: { type: "within", within: 3, within_unit: "months" } }, "Invalid 'within_unit' time period specification"],
    [{ time_period: { type: "within", within: 100, within_unit: "days" } }, "The within time period cannot exceed your configured retention period of 90 days for Calculated Attributes"],
    [{ time_period: { type: "sometime" } }, "Invalid 'type' time period specification"],
    [{ datapoint: { ...good.datapoint, event_type: "custom_event", custom_event_type: "navigation", event_name: "" } }, "Invalid data point custom event name"],
    [{ datapoint: { ...good.datapoint, custom_event_type: "teleport" } }, "Invalid data point custom event type"],
    [{ conditions: "x" }, "Invalid condition definition"],
  ])("refuses %j with %j", (over, message) => {
    expect(errorsOf(over)).toContain(message);
  });

  it.each([
    [{ type: "text" }, "Invalid condition definition type"],
    [{ attribute_name: "" }, "Condition attribute name must be specified"],
    [{ operator: "in_list", values: [] }, "In-list condition values must be specified"],
    [{ value: "" }, "String condition value must be specified"],
    [{ operator: "greater_than" }, "Invalid string condition operator"],
    [{ type: "number", operator: "contains" }, "Invalid numeric condition operator"],
    [{ type: "boolean", operator: "in_list", values: ["true"] }, "Invalid boolean condition operator"],
    [{ type: "date", operator: "greater_than" }, "Invalid date condition operator"],
    [{ type: "number", operator: "in_list", value: null, values: ["1", "two"] }, "Invalid numeric in-list condition values"],
    [{ type: "number", value: "abc" }, "Invalid numeric condition value"],
    [{ type: "number", operator: "between", value: null, min_value: "x", max_value: "2" }, "Invalid numeric condition minimum value"],
    [{ type: "number", operator: "between", value: null, min_value: "1", max_value: "y" }, "Invalid numeric condition maximum value"],
    [{ type: "date", value: "soon" }, "Invalid date condition value"],
    [{ type: "date", operator: "between_dates", value: null, min_value: "nope", max_value: "2026-01-01" }, "Invalid date condition minimum value"],
    [{ type: "boolean", value: "yes" }, "Invalid boolean condition value"],
    [{ type: "number", operator: "between", value: "1", min_value: "1", max_value: "2" }, "Condition value must be empty"],
    [{ values: ["a"] }, "Condition values must be empty"],
    [{ min_value: "1" }, "Condition minimum value must be empty"],
    [{ max_value: "1" }, "Condition maximum value must be empty"],
  ])("refuses the condition %j with %j", (c, message) => {
    expect(withCondition(c)).toContain(message);
  });
});
