/// <reference types="vite/client" />
import { describe, expect, it } from "vitest";
import { batch as benchBatch } from "../../bench/lib/payloads";
import { batch as apiBatch } from "../../test/worker/helpers/requests";
import { webBatch } from "../../test/worker/helpers/web";
import type { IntegrationFixture } from "../integrations/runtime/fixtures";
import { z } from "zod";
import { batchSchema, EVENT_TYPES, IDENTITY_TYPES, parseBatch } from "./batch";
import { compileFast, FAIL } from "./fast-parse";

/** Structure, key order, `undefined`-valued keys and prototypes: what a deep equality would not see. */
function shape(v: unknown): string {
  if (v === undefined) return "undefined";
  if (typeof v === "number") return Object.is(v, -0) ? "-0" : String(v);
  if (typeof v === "bigint") return `${v}n`;
  if (Array.isArray(v)) return `[${Array.from({ length: v.length }, (_, i) => (i in v ? shape(v[i]) : "hole")).join(",")}]`;
  if (typeof v === "object" && v !== null) {
    const proto = Object.getPrototypeOf(v) === Object.prototype ? "" : "proto!";
    return `${proto}{${Object.keys(v)
      .map((k) => `${JSON.stringify(k)}:${shape((v as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(v) ?? String(v);
}

const fastBatch = compileFast(batchSchema);

/** The fast path either steps aside or answers exactly what zod answers. */
function agrees(input: unknown): "fast" | "zod" {
  const before = shape(input);
  const f = fastBatch(input);
  const r = batchSchema.safeParse(input);
  expect(shape(input), "input unchanged").toBe(before);
  if (f === FAIL) return "zod";
  if (!r.success) throw new Error(`fast path accepted what zod rejects: ${shape(input)}\n${JSON.stringify(r.error.issues)}`);
  expect(shape(f)).toBe(shape(r.data));
  return "fast";
}

const NOW = 1_735_732_800_000;
const attrs = { category: "shoes", n: 3, ok: true, none: null, price: "9.99" };
const product = { id: "sku-1", name: "Shirt", price: 19.99, quantity: 2, custom_attributes: { color: "red" }, extra: { x: 1 } };
const common = {
  timestamp_unixtime_ms: NOW,
  source_message_id: "m-1",
  session_uuid: "s-1",
  session_id: 12,
  custom_attributes: attrs,
  custom_flags: { "Flag.A": ["x"] },
  location: { latitude: 1.5, longitude: "2", city_name: 7 },
};
const DATA: Record<(typeof EVENT_TYPES)[number], Record<string, unknown>> = {
  custom_event: { event_name: "Search", custom_event_type: "Search", media_info: { a: 1 } },
  commerce_event: {
    product_action: { action: "Purchase", total_amount: "49.98", products: [product, { id: 5 }] },
    promotion_action: { action: "view", promotions: [{ id: "p", position: 1 }] },
    product_impressions: [{ product_impression_list: "l", products: [product] }],
    shopping_cart: { products: [product] },
    currency_code: "USD",
    is_non_interactive: "false",
  },
  session_start: {},
  session_end: { session_duration_ms: "1200" },
  screen_view: { screen_name: "Home", activity_type: "a" },
  uninstall: {},
  crash_report: { class_name: 3, breadcrumbs: ["a", { b: 1 }], exception_handled: true, session_number: 2 },
  opt_out: { is_opted_out: "true" },
  push_registration: { register: true, registration_token: "tok" },
  application_state_transition: { application_transition_type: "Application_Initialized", is_first_run: true },
  push_message: { push_message_token: "t", push_message_behavior: 3, network: "apn" },
  network_performance: { url: "https://x", time_elapsed: 12, response_code: "200" },
  breadcrumb: { label: "here", session_number: "4" },
  first_run: {},
  pre_attribution: {},
  profile: { previous_mpid: "123", current_mpid: 456, profile_event_type: "login" },
  push_reaction: {},
  user_attribute_change: { user_attribute_name: "plan", new: ["a", 1], old: "b", deleted: false, is_new_attribute: "true" },
  user_identity_change: { new: { identity_type: "customerid", identity: 42, created_this_batch: true }, old: null },
  unknown: { whatever: [1, 2] },
};

const richBatch = () => ({
  environment: "Development",
  source_request_id: 7,
  mpid: "-8923456789012345678",
  mp_deviceid: "d",
  ip: "203.0.113.9",
  timestamp_unixtime_ms: "1735732800000",
  sdk_version: "2.68.0",
  schema_version: 2,
  api_key: "k",
  api_keys: ["a", "b"],
  device_info: { platform: "iOS", screen_height: "1200", is_tablet: "false", ios_idfv: "v", extra: { a: [1] } },
  application_info: { application_name: "Shop", apple_search_ads_attributes: { x: { y: 1 } }, sideloaded_kits_count: 1 },
  user_attributes: { plan: "premium", list: ["a", 1, true], tag: null, n: 4.5 },
  deleted_user_attributes: ["old"],
  user_identities: { customerid: "c-1", email: "a@example.com", other_id_2: 17 },
  partner_identities: { p: "x" },
  integration_attributes: { "1": { a: "b" } },
  consent_state: {
    gdpr: { marketing: { consented: true, document: "d", timestamp_unixtime_ms: NOW } },
    ccpa: { data_sale_opt_out: { consented: false } },
  },
  context: { data_plan: { plan_id: "p", plan_version: "2" }, location: { latitude: 1 } },
  unknown_top: { nested: { deep: [1, { two: 2 }] } },
  events: EVENT_TYPES.map((t) => ({ event_type: t, data: { ...common, ...DATA[t] }, extra_event_field: 1 })),
});

const typicalBatch = () => ({
  environment: "production",
  schema_version: 2,
  source_request_id: "req-1",
  user_identities: { customer_id: "cust-7", email: "user7@example.com" },
  device_info: { platform: "iOS", ios_idfv: "6c7e4c2a", device_model: "iPhone15,2", os_version: "17.4" },
  application_info: { application_name: "Shop", application_version: "5.2.0" },
  user_attributes: { plan: "premium", city: "Lisbon", visits: "3", $gender: "F" },
  events: Array.from({ length: 10 }, (_, i) => ({
    event_type: "custom_event",
    data: {
      event_name: "Search",
      custom_event_type: "search",
      source_message_id: `b1-e${i}`,
      session_uuid: "6b1e7d3e",
      timestamp_unixtime_ms: NOW,
      custom_attributes: { category: "shoes", query: "running shoes", position: String(i) },
    },
  })),
});

/** Every path to a value (objects and arrays included) in `v`. */
function paths(v: unknown, at: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(at);
  if (Array.isArray(v)) v.forEach((e, i) => paths(e, [...at, i], out));
  else if (typeof v === "object" && v !== null) for (const k of Object.keys(v)) paths((v as Record<string, unknown>)[k], [...at, k], out);
  return out;
}

const DELETE = Symbol("delete");
/** A copy of `root` with the value at `path` replaced (or deleted). */
function mutate(root: unknown, path: (string | number)[], value: unknown): unknown {
  if (path.length === 0) return value;
  const copy = structuredClone(root) as Record<string | number, unknown>;
  let at = copy;
  for (const seg of path.slice(0, -1)) at = at[seg] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (value === DELETE) delete at[last];
  else at[last] = value;
  return copy;
}

const REPLACEMENTS: unknown[] = [
  DELETE, null, undefined, "", " ", "  x  ", "12", "-3", "1e3", "1e999", "abc", "true", "false", "customerid", "Purchase",
  "remove_from_wishlist", "application_exit", "custom_event", "screen_view", 0, -0, 1.5, -9223372036854775808, 2 ** 64, true,
  false, [], [1, "a"], [null], [[1]], {}, { a: 1 }, { event_type: "custom_event" }, "9223372036854775808",
];

describe("fast path of batchSchema (src/schema/fast-parse.ts)", () => {
  it("answers the common batches itself, with zod's exact output", () => {
    expect(agrees(typicalBatch())).toBe("fast");
    expect(agrees(richBatch())).toBe("fast");
    expect(agrees({})).toBe("fast");
    expect(agrees({ events: null, environment: null })).toBe("fast");
    // JSON text as the Events API receives it: a `__proto__` key stays an own, unknown field.
    expect(agrees(JSON.parse('{"events":[],"__proto__":{"x":1},"user_attributes":{"__proto__":"v"}}'))).toBe("fast");
  });

  it("agrees with zod on every single-field mutation of the test batches", () => {
    let fast = 0;
    let total = 0;
    const typical = { ...typicalBatch(), events: typicalBatch().events.slice(0, 2) };
    for (const [base, per] of [[typical, REPLACEMENTS.length], [richBatch(), 7]] as const) {
      paths(base).forEach((path, p) => {
        // Every replacement at every path of the small batch; a rotating share of them in the rich one.
        for (let j = 0; j < per; j++) {
          const value = REPLACEMENTS[(p * per + j) % REPLACEMENTS.length];
          const input = mutate(base, path, value);
          total++;
          if (agrees(input) === "fast") fast++;
        }
        // An unknown key next to every known one.
        const target = path.reduce<unknown>((v, k) => (v as Record<string | number, unknown>)[k], base);
        if (typeof target === "object" && target !== null && !Array.isArray(target)) {
          total++;
          agrees(mutate(base, [...path, "zz_unknown"], { v: [1] }));
        }
      });
    }
    // Most mutations of valid batches are still valid ones the fast path answers.
    expect(fast).toBeGreaterThan(total / 3);
  });

  it("steps aside for invalid batches, so the errors stay zod's", () => {
    for (const input of [null, [], "x", { events: "x" }, { events: [{ event_type: "bogus" }] }, { mpid: "1.5" }, { environment: "staging" }]) {
      expect(fastBatch(input)).toBe(FAIL);
      expect(parseBatch(input).ok).toBe(false);
    }
    // Deeper than the nesting cap: the depth refinement rejects it in both paths.
    let deep: unknown = 1;
    for (let i = 0; i < 40; i++) deep = { d: deep };
    expect(agrees({ events: [], unknown_top: deep })).toBe("zod");
  });

  it("falls back on schema kinds it does not compile, and on symbol record keys", () => {
    expect(compileFast(z.string().default("x"))("y")).toBe(FAIL);
    expect(compileFast(z.record(z.string(), z.number()))({ [Symbol("s")]: 1 })).toBe(FAIL);
    expect(compileFast(z.union([z.number(), z.string()]))("a")).toBe("a");
    expect(compileFast(z.union([z.object({ a: z.string() }), z.string()]))("a")).toBe(FAIL);
  });

  it("agrees with zod on the batches the other suites and the bench send, and on every integration fixture batch", () => {
    // Outbound-shaped fixture batches (identities as an array, ids added): zod rejects some, accepts others.
    const modules = import.meta.glob<{ fixtures: IntegrationFixture[] }>("../integrations/*/fixtures.ts", { eager: true });
    const outbound = Object.values(modules).flatMap((m) => (Array.isArray(m.fixtures) ? m.fixtures : []).flatMap((f) => f.batches)) as unknown as Record<string, unknown>[];
    expect(outbound.length).toBeGreaterThan(50);
    const inbound: unknown[] = [
      benchBatch({ user: 7, seq: 1, sentAt: "1" }),
      benchBatch({ user: 8, seq: 2, environment: "development" }),
      apiBatch(),
      apiBatch({ mpid: "8923456789012345678", consent_state: { gdpr: { marketing: { consented: true } } } }, 10),
      webBatch(),
      webBatch({ events: [], user_attributes: null, context: null }),
      typicalBatch(),
      richBatch(),
    ];
    const answers = { fast: 0, zod: 0 };
    for (const b of [...inbound, ...outbound]) {
      const o = b as Record<string, unknown>;
      // As received (a JSON text), as built, and the same batch without its outbound-only identity array.
      for (const input of [JSON.parse(JSON.stringify(o)), o, { ...o, user_identities: undefined }]) answers[agrees(input)]++;
    }
    // The inbound batches in all three forms, and every outbound one once its identity array is gone.
    expect(answers.fast).toBeGreaterThanOrEqual(outbound.length + inbound.length * 3);
    // The Events API batches of the test suites and the bench are all answered by the fast path.
    for (const b of inbound) expect(agrees(JSON.parse(JSON.stringify(b)))).toBe("fast");
  });

  it("covers every identity key and event type in the fast path", () => {
    const ids = Object.fromEntries(IDENTITY_TYPES.map((t, i) => [t, `v${i}`]));
    expect(agrees({ user_identities: ids, events: EVENT_TYPES.map((t) => ({ event_type: t, data: DATA[t] })) })).toBe("fast");
  });
});
