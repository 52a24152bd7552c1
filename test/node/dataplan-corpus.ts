/**
 * A generated corpus for the validation oracle: a plan with a data point of every match type (and every
 * supported value keyword), and ≥ 200 events — planned and unplanned, valid and invalid — from a seeded PRNG.
 */

/** Mulberry32: a small seeded PRNG (same corpus every run). */
function prng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const attrs = (props: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ properties: props, ...extra });
const eventSchema = (custom: Record<string, unknown>, dataExtra: Record<string, unknown> = {}) => ({ properties: { data: { properties: { custom_attributes: custom }, ...dataExtra } } });

/** Attribute schemas covering the value keywords plans support. */
const ATTRS = {
  sku: { type: "string", minLength: 2, maxLength: 8, pattern: "^[A-Z]" },
  qty: { type: "integer", minimum: 1, maximum: 10 },
  price: { type: "number", exclusiveMinimum: 0, exclusiveMaximum: 1000, multipleOf: 0.5 },
  color: { type: "string", enum: ["red", "green"] },
  flag: { type: "boolean" },
  brand: { const: "acme" },
  tags: { type: "array", items: { type: "string" }, minItems: 1, maxItems: 3 },
  note: { type: ["string", "null"] },
};

export const corpusDocument = {
  data_points: [
    { match: { type: "custom_event", criteria: { event_name: "Checkout", custom_event_type: "transaction" } }, validator: { type: "json_schema", definition: eventSchema(attrs(ATTRS, { additionalProperties: false, required: ["sku", "qty"] }), { required: ["custom_attributes"] }) } },
    { match: { type: "custom_event", criteria: { event_name: "Search", custom_event_type: "search" } }, validator: { type: "json_schema", definition: eventSchema(attrs({ term: { type: "string", minLength: 1 } }, { additionalProperties: true })) } },
    { match: { type: "custom_event", criteria: { event_name: "Open", custom_event_type: "other" } }, validator: { type: "json_schema", definition: { properties: { data: { additionalProperties: false, properties: { event_name: { const: "Open" }, custom_event_type: { const: "other" } } } } } } },
    { match: { type: "screen_view", criteria: { screen_name: "Home" } }, validator: { type: "json_schema", definition: eventSchema(attrs({ section: { type: "string", enum: ["top", "bottom"] } }, { additionalProperties: false })) } },
    { match: { type: "product_action", criteria: { action: "purchase" } }, validator: { type: "json_schema", definition: { properties: { data: { properties: { product_action: { properties: { total_amount: { type: "number", minimum: 0 } }, required: ["total_amount"] }, custom_attributes: { additionalProperties: false, properties: { coupon: { type: "string" } } } } } } } } },
    { match: { type: "promotion_action", criteria: { action: "view" } }, validator: { type: "json_schema", definition: { properties: { data: { properties: { promotion_action: { properties: { promotions: { type: "array", maxItems: 2 } } } } } } } } },
    { match: { type: "product_impression", criteria: {} }, validator: { type: "json_schema", definition: { properties: { data: { properties: { product_impressions: { type: "array", minItems: 1 } } } } } } },
    { match: { type: "user_identities", criteria: {} }, validator: { type: "json_schema", definition: { additionalProperties: false, properties: { email: { type: "string" }, customer_id: { type: "string" } } } } },
    { match: { type: "unknown", criteria: {} }, validator: { type: "json_schema", definition: {} } },
    { match: { type: "user_attributes", criteria: {} }, validator: { type: "json_schema", definition: { additionalProperties: false, properties: { tier: { type: "string", enum: ["gold", "silver"] }, age: { type: "integer", minimum: 0 }, $city: { type: "string", maxLength: 10 } }, required: ["tier"] } } },
  ],
};

/** A value for attribute `k`, valid or not. */
function attrValue(k: keyof typeof ATTRS, valid: boolean, r: () => number): unknown {
  const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)]!;
  switch (k) {
    case "sku":
      return valid ? pick(["AB", "XYZ12", "Q1234567"]) : pick(["a", "abc", "TOOLONG123", 12, null, "x"]);
    case "qty":
      return valid ? pick([1, 5, 10]) : pick([0, 11, 2.5, "3", true]);
    case "price":
      return valid ? pick([0.5, 10, 999.5]) : pick([0, 1000, 3.3, -1, "9"]);
    case "color":
      return valid ? pick(["red", "green"]) : pick(["blue", 1, ""]);
    case "flag":
      return valid ? pick([true, false]) : pick(["true", 0, null]);
    case "brand":
      return valid ? "acme" : pick(["ACME", 1]);
    case "tags":
      return valid ? pick([["a"], ["a", "b", "c"]]) : pick([[], ["a", "b", "c", "d"], [1], "a"]);
    case "note":
      return valid ? pick(["n", null]) : pick([1, false, { a: 1 }]);
  }
}

/** ≥ 200 events of every kind the plan matches, plus unplanned and unplannable ones. */
export function corpusEvents(n = 240, seed = 21): Record<string, unknown>[] {
  const r = prng(seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)]!;
  const events: Record<string, unknown>[] = [];
  const keys = Object.keys(ATTRS) as (keyof typeof ATTRS)[];
  const makers: (() => Record<string, unknown>)[] = [
    () => {
      const custom: Record<string, unknown> = {};
      for (const k of keys) if (r() < 0.6) custom[k] = attrValue(k, r() < 0.7, r);
      if (r() < 0.2) custom[pick(["extra", "Color", "sku2"])] = "x";
      if (r() < 0.1) return { event_type: "custom_event", data: { event_name: "Checkout", custom_event_type: "transaction" } };
      return { event_type: "custom_event", data: { event_name: "Checkout", custom_event_type: "transaction", custom_attributes: custom } };
    },
    () => ({ event_type: "custom_event", data: { event_name: "Search", custom_event_type: "search", custom_attributes: pick([{ term: "shoes" }, { term: "" }, { term: 3, other: 1 }, {}]) } }),
    () => ({ event_type: "custom_event", data: { event_name: "Open", custom_event_type: "other", ...(r() < 0.5 ? { source_message_id: "m1" } : {}) } }),
    () => ({ event_type: "custom_event", data: { event_name: pick(["Unplanned", "checkout", "Checkout"]), custom_event_type: pick(["navigation", "other", "transaction"]) } }),
    () => ({ event_type: "custom_event", data: r() < 0.5 ? null : undefined }),
    () => ({ event_type: "screen_view", data: { screen_name: pick(["Home", "Cart", ""]), custom_attributes: pick([{ section: "top" }, { section: "middle" }, { section: "top", x: 1 }, { section: null }]) } }),
    () => ({ event_type: "screen_view" }),
    () => ({ event_type: "commerce_event", data: { product_action: { action: pick(["purchase", "add_to_cart"]), ...(r() < 0.7 ? { total_amount: pick([10, -5, "7"]) } : {}) }, custom_attributes: pick([{ coupon: "A" }, { coupon: 1 }, { other: "x" }, {}]) } }),
    () => ({ event_type: "commerce_event", data: { promotion_action: { action: pick(["view", "click"]), promotions: pick([[{ id: "p" }], [{}, {}, {}]]) } } }),
    () => ({ event_type: "commerce_event", data: { product_impressions: pick([[{ product_impression_list: "l" }], [], "none"]) } }),
    () => ({ event_type: "commerce_event", data: pick([{}, null]) }),
    () => ({ event_type: "session_start", data: pick([{ session_uuid: "u" }, {}]) }),
    () => ({ event_type: pick(["session_end", "crash_report", "opt_out", "first_run", "breadcrumb", "network_performance", "uninstall"]), data: {} }),
    () => ({ event_type: "application_state_transition", data: { application_transition_type: pick(["application_initialized", "application_background"]), is_first_run: pick([true, "yes"]) } }),
    () => ({ event_type: pick(["media", "push_registration", "user_attribute_change", "not_a_type"]), data: { a: 1 } }),
  ];
  for (let i = 0; i < n; i++) events.push(makers[i % makers.length]!());
  return events;
}

/** User attribute sets, valid and invalid, for one batch each. */
export function corpusUserAttributes(): (Record<string, unknown> | undefined)[] {
  return [{ tier: "gold" }, { tier: "bronze", age: -1 }, { age: 3 }, { tier: "silver", $city: "a very long city name", extra: 1 }, undefined, { tier: null }, {}];
}
