import { describe, expect, it } from "vitest";
import { type CalculationType, type CaSpec, compileSpec, type Condition, type Definition, OPERATORS } from "../../schema/calculated-attribute";
import { add, addChanged, merge, UNIQUE_LIST_LIMIT, valueOf } from "./ca-acc";
import { conditionHolds, observe } from "./ca-match";
import { currentValue, emptyState, expire, nextExpiry, observeAll, WINDOW_BUCKETS } from "./ca-state";
import { seedAcc } from "./ca-seed";
import type { ProfileEvent } from "./types";

const T0 = Date.parse("2026-01-01T00:00:00Z");
const def = (over: Partial<Definition> & { dp?: Partial<Definition["data_point"]> } = {}): Definition => ({
  recipe_type: "event",
  data_point: { type: "event", event_name: "Buy", attribute_name: "amount", event_type: "custom_event", custom_event_type: "transaction", attribute_category: null, use_product_quantity: false, ...over.dp },
  conditions: over.conditions ?? null,
  calculation_type: over.calculation_type ?? "count",
  time_period: over.time_period ?? { type: "since", date: "2020-01-01T00:00:00", within: null, within_unit: null },
  seeding: over.seeding ?? null,
});
const spec = (calc: CalculationType, over: Parameters<typeof def>[0] = {}): CaSpec => compileSpec(1, "ca", 1, def({ ...over, calculation_type: calc }));
const buy = (ts: number, amount?: string, more: Record<string, string> = {}): ProfileEvent => ({
  id: crypto.randomUUID(), eventType: "custom_event", name: "Buy", ts, detail: { customEventType: "transaction", attributes: { ...(amount === undefined ? {} : { amount }), ...more } },
});

/** The value of `calc` over `events` (no window). */
function run(calc: CalculationType, events: ProfileEvent[], over: Parameters<typeof def>[0] = {}) {
  const s = spec(calc, over);
  const st = emptyState(s);
  for (const e of events) observeAll(st, observe(s, e), T0 + 1e9);
  return currentValue(st, T0 + 1e9);
}

describe("calculation types (audiences.md §3): values as strings", () => {
  const events = [buy(T0 + 3000, "5"), buy(T0 + 1000, "2.5"), buy(T0 + 2000, "10"), buy(T0 + 4000, "5")];
  it.each([
    ["count", "4"],
    ["sum", "22.5"],
    ["min", "2.5"],
    ["max", "10"],
    ["average", "5.625"],
    ["first_occurrence", "2.5"],
    ["last_occurrence", "5"],
    ["first_occurrence_timestamp", new Date(T0 + 1000).toISOString()],
    ["last_occurrence_timestamp", new Date(T0 + 4000).toISOString()],
    ["unique_list", ["10", "2.5", "5"]],
    ["unique_values_count", "3"],
    ["most_frequent", "5"],
  ] as [CalculationType, unknown][])("%s over four purchases gives %j", (calc, expected) => {
    expect(run(calc, events)).toEqual(expected);
  });

  it("answers 0 for count, sum and unique values count without data, and no value for the others", () => {
    for (const calc of ["count", "sum", "unique_values_count"] as const) expect(run(calc, [])).toBe("0");
    for (const calc of ["min", "max", "average", "first_occurrence", "last_occurrence", "first_occurrence_timestamp", "last_occurrence_timestamp", "unique_list", "most_frequent"] as const) expect(run(calc, [])).toBeNull();
  });

  it("breaks most-frequent ties alphabetically", () => {
    expect(run("most_frequent", [buy(T0, "pear"), buy(T0, "apple"), buy(T0, "pear"), buy(T0, "apple"), buy(T0, "zebra")])).toBe("apple");
  });

  it("keeps at most 100 values in a unique list (later new values are not collected)", () => {
    const v = run("unique_list", Array.from({ length: 130 }, (_, i) => buy(T0 + i, `v${String(i).padStart(3, "0")}`)));
    expect(v).toHaveLength(UNIQUE_LIST_LIMIT);
    expect(v).toContain("v099");
    expect(v).not.toContain("v100");
  });

  it("ignores non-numeric values in numeric calculations and removes float noise from sums", () => {
    expect(run("sum", [buy(T0, "0.1"), buy(T0, "0.2"), buy(T0, "abc")])).toBe("0.3");
    // Integers as their digits, up to 15 of them; beyond, 15 significant digits.
    expect(run("sum", [buy(T0, "999999999999998"), buy(T0, "1")])).toBe("999999999999999");
    expect(run("sum", [buy(T0, "-7"), buy(T0, "7")])).toBe("0");
    expect(run("max", [buy(T0, "-0")])).toBe("0");
    expect(run("sum", [buy(T0, "1234567890123456789")])).toBe(String(Number((1234567890123456789).toPrecision(15))));
    expect(run("min", [buy(T0, "x")])).toBeNull();
  });

  it("takes the event name for first/last occurrence without an attribute", () => {
    expect(run("last_occurrence", [buy(T0)], { dp: { attribute_name: null } })).toBe("Buy");
  });

  it("counts only events since the time period's date", () => {
    expect(run("count", [buy(T0 - 1000, "1"), buy(T0 + 1, "1")], { time_period: { type: "since", date: "2026-01-01T00:00:00", within: null, within_unit: null } })).toBe("1");
  });

  it("counts only the data point: other names, event types and custom event types do not count", () => {
    const other: ProfileEvent[] = [
      { ...buy(T0, "1"), name: "Browse" },
      { ...buy(T0, "1"), eventType: "screen_view" },
      { ...buy(T0, "1"), detail: { customEventType: "navigation", attributes: { amount: "1" } } },
    ];
    expect(run("count", other)).toBe("0");
    expect(run("count", [{ ...buy(T0, "1"), name: "BUY" }])).toBe("1"); // names without case
    // However many distinct names were compared before (lower-cased names are remembered, bounded).
    expect(run("count", [...Array.from({ length: 1500 }, (_, i) => ({ ...buy(T0, "1"), name: `Buy ${i}` })), { ...buy(T0, "1"), name: "bUy" }])).toBe("1");
  });

  it("reads screen views by screen name", () => {
    const s: ProfileEvent = { id: "s", eventType: "screen_view", name: "Home", ts: T0 };
    expect(run("count", [s, s], { dp: { event_type: "screen_view", event_name: "Home", custom_event_type: null } })).toBe("2");
  });

  it("reads commerce product attributes by product action, weighting average and most frequent by quantity", () => {
    const purchase: ProfileEvent = {
      id: "p", eventType: "commerce_event", name: "eCommerce - purchase", ts: T0,
      detail: { customEventType: "purchase", products: [{ attributes: { price: "10", brand: "A" }, quantity: 3 }, { attributes: { price: "20", brand: "B" }, quantity: 1 }] },
    };
    const dp = { event_type: "commerce_event", event_name: "Purchase", custom_event_type: "purchase", attribute_name: "Price", attribute_category: "product_attribute" as const };
    expect(run("sum", [purchase], { dp })).toBe("30");
    expect(run("average", [purchase], { dp })).toBe("15");
    expect(run("average", [purchase], { dp: { ...dp, use_product_quantity: true } })).toBe("12.5");
    expect(run("most_frequent", [purchase], { dp: { ...dp, attribute_name: "brand", use_product_quantity: true } })).toBe("A");
    expect(run("count", [purchase], { dp })).toBe("1");
    expect(run("count", [{ ...purchase, detail: { customEventType: "add_to_cart" } }], { dp })).toBe("0");
  });

  it("reads promotion attributes of promotion events", () => {
    const promo: ProfileEvent = { id: "q", eventType: "commerce_event", name: "eCommerce - promotion_click", ts: T0, detail: { customEventType: "promotion_click", promotions: [{ id: "P1", creative: "banner" }, { id: "P2", creative: "hero" }] } };
    expect(run("unique_list", [promo], { dp: { event_type: "commerce_event", custom_event_type: "promotion_click", attribute_name: "creative", attribute_category: "promotion_attribute" } })).toEqual(["banner", "hero"]);
  });

  it("counts only events whose attributes meet every condition", () => {
    const conditions: Condition[] = [
      { type: "string", operator: "equals", attribute_name: "country", value: "FR", values: null, min_value: null, max_value: null },
      { type: "number", operator: "greater_than", attribute_name: "amount", value: "3", values: null, min_value: null, max_value: null },
    ];
    expect(run("count", [buy(T0, "5", { country: "fr" }), buy(T0, "2", { country: "FR" }), buy(T0, "9", { country: "DE" }), buy(T0, "9")], { conditions })).toBe("1");
  });
});

const cond = (type: Condition["type"], operator: string, v: Partial<Condition> = {}): Condition => ({ type, operator, attribute_name: "a", value: null, values: null, min_value: null, max_value: null, ...v });

describe("condition operators × types (audiences.md §1.5)", () => {
  // [type, operator, condition values, attribute value that holds, one that does not]
  const cases: [Condition["type"], string, Partial<Condition>, string | undefined, string | undefined][] = [
    ["string", "exists", {}, "x", undefined],
    ["string", "not_exists", {}, undefined, "x"],
    ["string", "empty", {}, "", "x"],
    ["string", "equals", { value: "Paris" }, "paris", "Lyon"],
    ["string", "not_equals", { value: "Paris" }, "Lyon", "PARIS"],
    ["string", "in_list", { values: ["a", "B"] }, "b", "c"],
    ["string", "contains", { value: "ar" }, "Paris", "Lyon"],
    ["string", "not_contains", { value: "ar" }, "Lyon", "Paris"],
    ["string", "pattern", { value: "P?r*" }, "Paris", "Lyon"],
    ["number", "exists", {}, "1", undefined],
    ["number", "not_exists", {}, undefined, "1"],
    ["number", "empty", {}, "", "1"],
    ["number", "equals", { value: "2" }, "2.0", "3"],
    ["number", "not_equals", { value: "2" }, "3", "2"],
    ["number", "in_list", { values: ["1", "2"] }, "2", "3"],
    ["number", "greater_than", { value: "2" }, "3", "2"],
    ["number", "greater_or_equal", { value: "2" }, "2", "1"],
    ["number", "less_than", { value: "2" }, "1", "2"],
    ["number", "less_than_or_equal", { value: "2" }, "2", "3"],
    ["number", "between", { min_value: "1", max_value: "3" }, "3", "4"],
    ["boolean", "exists", {}, "true", undefined],
    ["boolean", "not_exists", {}, undefined, "false"],
    ["boolean", "empty", {}, "", "true"],
    ["boolean", "equals", { value: "true" }, "True", "false"],
    ["date", "exists", {}, "2026-01-01", undefined],
    ["date", "not_exists", {}, undefined, "2026-01-01"],
    ["date", "empty", {}, "", "2026-01-01"],
    ["date", "equals", { value: "2026-01-02T00:00:00" }, "2026-01-02T23:59:00Z", "2026-01-03T00:00:00Z"],
    ["date", "before", { value: "2026-01-02T00:00:00" }, "2026-01-01T23:59:59Z", "2026-01-02T00:00:00Z"],
    ["date", "after", { value: "2026-01-02T00:00:00" }, "2026-01-02T00:00:00Z", "2026-01-01T23:00:00Z"],
    ["date", "between_dates", { min_value: "2026-01-01", max_value: "2026-01-02" }, "2026-01-02T20:00:00Z", "2026-01-03T00:00:00Z"],
  ];

  it("covers every operator of the table", () => {
    const covered = new Set(cases.map(([t, op]) => `${t}:${op}`));
    for (const [t, ops] of Object.entries(OPERATORS)) for (const op of ops) expect(covered.has(`${t}:${op}`), `${t}:${op}`).toBe(true);
  });

  it.each(cases)("%s %s %j: holds for %j, not for %j", (type, op, v, yes, no) => {
    const c = cond(type, op, v);
    expect(conditionHolds(c, yes === undefined ? {} : { a: yes })).toBe(true);
    expect(conditionHolds(c, no === undefined ? {} : { a: no })).toBe(false);
  });

  it("fails a condition on a missing attribute (but not_exists) and on an unreadable number or date", () => {
    expect(conditionHolds(cond("number", "greater_than", { value: "1" }), { a: "many" })).toBe(false);
    expect(conditionHolds(cond("date", "after", { value: "2026-01-01" }), { a: "yesterday" })).toBe(false);
    expect(conditionHolds(cond("string", "equals", { value: "x" }), {})).toBe(false);
  });
});

describe("windows in time buckets", () => {
  const within = (n: number, unit: "minutes" | "hours" | "days" | "weeks") => ({ time_period: { type: "within" as const, date: null, within: n, within_unit: unit } });

  it("counts events inside the window and drops a bucket once it leaves, within one bucket of the exact time", () => {
    const s = spec("count", within(1, "hours"));
    const st = emptyState(s);
    const bucket = 3_600_000 / WINDOW_BUCKETS;
    observeAll(st, observe(s, buy(T0, "1")).concat(observe(s, buy(T0 + 30 * 60_000, "1"))), T0 + 30 * 60_000);
    expect(currentValue(st, T0 + 59 * 60_000)).toBe("2");
    const expiry = nextExpiry(st)!;
    expect(expiry).toBeGreaterThan(T0 + 3_600_000);
    expect(expiry).toBeLessThanOrEqual(T0 + 3_600_000 + bucket);
    expect(currentValue(st, expiry)).toBe("1");
    expect(expire(st, expiry)).toBe(true);
    expect(st.b).toHaveLength(1);
    expect(currentValue(st, T0 + 2 * 3_600_000)).toBe("0");
  });

  it("ignores an event older than the window when it arrives", () => {
    const s = spec("sum", within(10, "minutes"));
    const st = emptyState(s);
    observeAll(st, observe(s, buy(T0 - 11 * 60_000, "5")), T0);
    expect(currentValue(st, T0)).toBe("0");
  });

  it("keeps at most 20 buckets per window whatever the traffic", () => {
    const s = spec("unique_list", within(1, "days"));
    const st = emptyState(s);
    for (let i = 0; i < 2000; i++) observeAll(st, observe(s, buy(T0 + i * 60_000, `v${i % 7}`)), T0 + i * 60_000);
    expire(st, T0 + 2000 * 60_000);
    expect(st.b!.length).toBeLessThanOrEqual(WINDOW_BUCKETS + 1);
  });
});

describe("seeds (audiences.md §2)", () => {
  const cutoff = T0;
  it.each([
    ["count", { value: "3" }, "5"],
    ["sum", { value: 10 }, "12"],
    ["min", { value: "0.5" }, "0.5"],
    ["max", { value: "0.5" }, "1"],
    ["average", { key_value_pairs: { sum: 9, count: 3 } }, "2.2"],
    ["first_occurrence", { value: "old" }, "old"],
    ["last_occurrence", { value: "old" }, "1"],
    ["first_occurrence_timestamp", { value: T0 - 5000 }, new Date(T0 - 5000).toISOString()],
    ["last_occurrence_timestamp", { value: T0 - 5000 }, new Date(T0 + 2000).toISOString()],
    ["unique_list", { list: ["z", "1"] }, ["1", "z"]],
    ["unique_values_count", { list: ["z", "1"] }, "2"],
    ["most_frequent", { key_value_pairs: { old: 5, "1": 1 } }, "old"],
  ] as [CalculationType, object, unknown][])("%s: seed %j plus two live events from the cutoff gives %j", (calc, seed, expected) => {
    const s = { ...spec(calc), cutoffMs: cutoff };
    const st = emptyState(s);
    const acc = seedAcc(calc, seed, cutoff);
    expect(typeof acc).toBe("object");
    st.seed = acc as object;
    // Before the cutoff: the seed covers it; from the cutoff: live data adds to it.
    observeAll(st, [buy(cutoff - 1000, "99"), buy(cutoff + 1000, "1"), buy(cutoff + 2000, "1")].flatMap((e) => observe(s, e)), T0 + 5000);
    expect(currentValue(st, T0 + 5000)).toEqual(expected);
  });

  it("refuses a seed of the wrong form with a message", () => {
    expect(seedAcc("sum", { value: "abc" }, T0)).toBe("Seed value must be numeric");
    expect(seedAcc("average", { key_value_pairs: { sum: 1, count: 0 } }, T0)).toMatch(/positive integer count/);
    expect(seedAcc("unique_list", { list: [1 as unknown as string] }, T0)).toMatch(/list of strings/);
  });
});

describe("accumulators merge as if the data had been seen together", () => {
  it("merges buckets of every type", () => {
    const calcs: CalculationType[] = ["count", "sum", "min", "max", "average", "first_occurrence", "last_occurrence", "first_occurrence_timestamp", "last_occurrence_timestamp", "unique_list", "unique_values_count", "most_frequent"];
    for (const calc of calcs) {
      const obs = [1, 2, 3, 4].map((i) => ({ ts: T0 + i, value: String(i % 3), weight: 1 }));
      const whole = obs.reduce((a, o) => add(a, calc, o), {});
      const parts = merge(obs.slice(0, 2).reduce((a, o) => add(a, calc, o), {}), obs.slice(2).reduce((a, o) => add(a, calc, o), {}), calc);
      expect(valueOf(parts, calc), calc).toEqual(valueOf(whole, calc));
    }
  });
});

describe("change detection (a batch that changes no state writes none)", () => {
  const calcs: CalculationType[] = ["count", "sum", "min", "max", "average", "first_occurrence", "last_occurrence", "first_occurrence_timestamp", "last_occurrence_timestamp", "unique_list", "unique_values_count", "most_frequent"];
  const values = ["3", "1", "x", "", "2", null, "3", "1e3", "-4", "x"];

  it("addChanged answers false only when the accumulator is exactly as it was, for every calculation", () => {
    for (const calc of calcs) {
      let unchanged = 0;
      const acc = {};
      for (let i = 0; i < 200; i++) {
        const o = { ts: T0 + ((i * 7919) % 50), value: values[i % values.length]!, weight: i % 3 };
        const before = JSON.stringify(acc);
        const changed = addChanged(acc, calc, o);
        if (!changed) {
          unchanged++;
          expect(JSON.stringify(acc), `${calc} #${i}`).toBe(before);
        }
      }
      // Every calculation but count, sum and average sees observations that change nothing.
      if (!["count", "sum", "average"].includes(calc)) expect(unchanged, calc).toBeGreaterThan(0);
    }
  });

  it("observeAll answers false only when the state is exactly as it was, windows and seeds included", () => {
    for (const calc of calcs) {
      for (const time_period of [{ type: "since", date: "2020-01-01T00:00:00", within: null, within_unit: null }, { type: "within", date: null, within: 1, within_unit: "hours" }] as const) {
        const s = spec(calc, { time_period });
        const st = emptyState(s);
        let unchanged = 0;
        for (let i = 0; i < 120; i++) {
          const now = T0 + i * 60_000;
          const e = buy(now - ((i * 7919) % 5) * 600_000, values[i % values.length] ?? undefined);
          const before = JSON.stringify(st);
          if (!observeAll(st, observe(s, e), now)) {
            unchanged++;
            expect(JSON.stringify(st), `${calc} ${time_period.type} #${i}`).toBe(before);
          }
        }
        if (!["count", "sum", "average"].includes(calc)) expect(unchanged, `${calc} ${time_period.type}`).toBeGreaterThan(0);
      }
    }
  });
});
