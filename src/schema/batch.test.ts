import { describe, expect, expectTypeOf, it } from "vitest";
import {
  EVENT_TYPES,
  IDENTITY_TYPES,
  MAX_ERRORS,
  normalizeMpid,
  parseBatch,
  parseBatchArray,
  type Batch,
  type BatchEvent,
  type EventData,
  type EventType,
} from "./batch";

/** Parses and fails the test with the error list when the batch is rejected. */
function ok(input: unknown): Batch {
  const r = parseBatch(input);
  if (!r.ok) throw new Error(`expected a valid batch, got ${JSON.stringify(r.errors)}`);
  return r.batch;
}

/** Parses and returns the error messages (the test fails when the batch is accepted). */
function messages(input: unknown, path?: string): string[] {
  const r = parseBatch(input, path);
  if (r.ok) throw new Error("expected the batch to be rejected");
  for (const e of r.errors) expect(e.code).toBe("BAD_REQUEST");
  return r.errors.map((e) => e.message);
}

const one = (event: unknown) => ({ environment: "production", events: [event] });
const firstEvent = (event: unknown): BatchEvent => {
  const e = ok(one(event)).events[0];
  if (!e) throw new Error("no event");
  return e;
};

// ---------------------------------------------------------------------------------------------
// Fixtures: verbatim captures from real-clients.md
// ---------------------------------------------------------------------------------------------

/** Node SDK `mparticle@1.0.8`, POST /v2/events (real-clients.md §1.5). */
const NODE_SDK_BATCH = {
  environment: "development",
  user_identities: { email: "jane.doe@example.com", customerid: "cust-12345" },
  user_attributes: { plan: "premium", age: 42, favorite_colors: ["red", "green"], $FirstName: "Jane" },
  device_info: {
    platform: "web",
    os_version: "14.2",
    device_model: "Capture-Device",
    locale_language: "en",
    locale_country: "US",
    http_header_user_agent: "capture-harness/1.0",
    ios_advertising_id: "07d2ebaa-e956-407e-a1e6-f05f871bf4e2",
    android_advertising_id: "a26f9736-c262-47ea-988b-0b0504cee874",
  },
  consent_state: {
    gdpr: {
      marketing: {
        document: "marketing_doc_v2",
        consented: true,
        timestamp_unixtime_ms: 1735732799000,
        location: "example.com/signup",
        hardware_id: "IDFA:a5d934n0-232f-4afc-2e9a-3832d95zc702",
      },
    },
    ccpa: {
      data_sale_opt_out: {
        document: "ccpa_doc_v1",
        consented: false,
        timestamp_unixtime_ms: 1735732799000,
        location: "example.com/privacy",
        hardware_id: "IDFA:3f90np3n-3108-nee2-90xd-a30bd9pb04pd",
      },
    },
  },
  events: [
    {
      data: {
        custom_event_type: "navigation",
        event_name: "Button Clicked",
        timestamp_unixtime_ms: 1735732800000,
        custom_attributes: { button: "signup", position: "3", price: "9.99" },
        custom_flags: { "Capture.Flag": "yes" },
      },
      event_type: "custom_event",
    },
    {
      data: { screen_name: "Home Screen", timestamp_unixtime_ms: 1735732801000, custom_attributes: { section: "hero" } },
      event_type: "screen_view",
    },
    {
      data: {
        product_action: {
          action: "purchase",
          transaction_id: "txn-0001",
          total_amount: 49.98,
          products: [
            { id: "sku-1", name: "Blue Shirt", price: 19.99, quantity: 2, brand: "Acme", category: "apparel" },
            { id: "sku-2", name: "Red Hat", price: 10, quantity: 1, custom_attributes: { color: "red" } },
          ],
          tax_amount: 4,
          shipping_amount: 0,
        },
        currency_code: "USD",
        timestamp_unixtime_ms: 1735732802000,
        custom_attributes: { coupon_used: "false" },
      },
      event_type: "commerce_event",
    },
  ],
};

const WEB_SESSION = {
  session_uuid: "31DE1BE9-62B9-4B28-5959-64652139E03A",
  session_start_unixtime_ms: 1795322082344,
  location: null,
};

/** Web SDK 2.68.0, POST /v3/JS/{key}/events (real-clients.md §2.6), plus the web-only event types. */
const WEB_SDK_BATCH = {
  source_request_id: "ff8cab87-4a2a-4df0-b8bc-e4e6eb72a631",
  mpid: "8923456789012345678",
  timestamp_unixtime_ms: 1795322082395,
  environment: "development",
  events: [
    {
      event_type: "session_start",
      data: {
        timestamp_unixtime_ms: 1795322082352,
        ...WEB_SESSION,
        custom_attributes: null,
        source_message_id: "24c8f24a-29b9-4750-5690-93a1dfacb60b",
        active_time_on_site_ms: 16,
      },
    },
    {
      event_type: "application_state_transition",
      data: {
        application_transition_type: "application_initialized",
        is_first_run: true,
        is_upgrade: false,
        launch_referral: "http://127.0.0.1:8787/page/index.html?scenario=urls&api=127.0.0.1%3A8443",
        timestamp_unixtime_ms: 1795322082354,
        ...WEB_SESSION,
        custom_attributes: null,
        source_message_id: "ff13ff08-2ff6-4358-a5ac-7a27b1369f2b",
        active_time_on_site_ms: 17,
      },
    },
    {
      event_type: "screen_view",
      data: {
        custom_flags: { "Google.Page": "/home" },
        screen_name: "Home Page",
        timestamp_unixtime_ms: 1795322082385,
        ...WEB_SESSION,
        custom_attributes: { page: "/page/index.html", referrer_kind: "direct" },
        source_message_id: "d696c0b0-f72e-40a5-c7bb-f7b54a9bd8d9",
        active_time_on_site_ms: 49,
      },
    },
    {
      event_type: "custom_event",
      data: {
        custom_event_type: "navigation",
        custom_flags: { "Capture.Flag": "x" },
        event_name: "Video Watched",
        timestamp_unixtime_ms: 1795322082387,
        ...WEB_SESSION,
        custom_attributes: { category: "Destination Intro", title: "Paris", duration_s: 42, autoplay: true },
        source_message_id: "51821d88-3e4d-4388-0894-99dee3b6b588",
        active_time_on_site_ms: 51,
      },
    },
    {
      event_type: "commerce_event",
      data: {
        custom_flags: { "Capture.Flag": "c" },
        product_action: {
          action: "purchase",
          transaction_id: "txn-web-0001",
          affiliation: "aff-web",
          total_amount: 430,
          tax_amount: 20,
          shipping_amount: 10,
          coupon_code: "COUPON10",
          products: [
            {
              id: "econ-1",
              name: "Double Room - Econ Rate",
              brand: "Acme Hotels",
              category: "hotel",
              variant: "variant-a",
              total_product_amount: 400,
              position: 1,
              price: 100,
              quantity: 4,
              coupon_code: "COUPON10",
              custom_attributes: { room_view: "sea" },
            },
          ],
        },
        promotion_action: null,
        product_impressions: null,
        shopping_cart: null,
        currency_code: null,
        timestamp_unixtime_ms: 1795322082390,
        ...WEB_SESSION,
        custom_attributes: { sale: "summer" },
        source_message_id: "7f2f0b52-d412-4347-e691-a2ae6b4354fa",
        active_time_on_site_ms: 53,
      },
    },
    {
      event_type: "user_identity_change",
      data: {
        new: { identity_type: "customer_id", identity: "cust-12345", timestamp_unixtime_ms: 1795322082563, created_this_batch: true },
        old: { identity_type: "customer_id", identity: null, timestamp_unixtime_ms: 1795322082563, created_this_batch: false },
        timestamp_unixtime_ms: 1795322082563,
        ...WEB_SESSION,
        custom_attributes: null,
        source_message_id: "23e2b98d-1f55-4002-8fea-5cf54012a45f",
        active_time_on_site_ms: 226,
      },
    },
    {
      event_type: "user_attribute_change",
      data: {
        user_attribute_name: "favorite_colors",
        new: ["red", "green"],
        old: null,
        deleted: false,
        is_new_attribute: true,
        timestamp_unixtime_ms: 1795322082591,
        ...WEB_SESSION,
        custom_attributes: null,
        source_message_id: "34552c3b-7fab-48c9-e2cd-424d27a34430",
        active_time_on_site_ms: 255,
      },
    },
    {
      event_type: "session_end",
      data: {
        session_duration_ms: 1826,
        timestamp_unixtime_ms: 1795322084170,
        ...WEB_SESSION,
        custom_attributes: {},
        source_message_id: "6d5da502-58d7-414a-9eb3-fe225ecb5305",
        active_time_on_site_ms: 1856,
      },
    },
  ],
  mp_deviceid: "45c64035-c8dd-4491-9a3e-2b13c60e402a",
  sdk_version: "2.68.0",
  application_info: { application_version: "1.2.3", application_name: "Capture Harness Web", package: "com.example.capture" },
  device_info: { platform: "web", screen_width: 1280, screen_height: 720 },
  user_attributes: {},
  user_identities: null,
  consent_state: null,
  integration_attributes: {},
  context: { data_plan: { plan_id: "capture_plan", plan_version: 2 } },
};

// ---------------------------------------------------------------------------------------------
// Realistic example of every event type
// ---------------------------------------------------------------------------------------------

const EXAMPLES: Record<EventType, Record<string, unknown>> = {
  custom_event: { event_name: "Signup", custom_event_type: "user_preference", custom_attributes: { plan: "pro" } },
  commerce_event: {
    product_action: { action: "add_to_cart", products: [{ id: "sku-1", name: "Shirt", price: 19.99, quantity: 1 }] },
    currency_code: "EUR",
  },
  session_start: { session_uuid: "E2F5A3B4-0000-4000-8000-000000000001", timestamp_unixtime_ms: 1735732800000 },
  session_end: { session_duration_ms: 60000 },
  screen_view: { screen_name: "Checkout", activity_type: "activity_started" },
  uninstall: { timestamp_unixtime_ms: 1735732800000 },
  crash_report: {
    class_name: "NullPointerException",
    message: "boom",
    stack_trace: "at Foo.bar(Foo.java:1)",
    exception_handled: false,
    breadcrumbs: ["opened cart"],
    session_number: 3,
  },
  opt_out: { is_opted_out: true },
  push_registration: { register: true, registration_token: "fcm-token-abc" },
  application_state_transition: { application_transition_type: "application_foreground" },
  push_message: {
    push_message_type: "received",
    network: "gcm",
    push_message_token: "tok",
    application_state: "background",
    push_notification_payload: '{"aps":{}}',
  },
  network_performance: { http_verb: "GET", url: "https://example.com", time_elapsed: 120, bytes_in: 512, bytes_out: 64, response_code: 200 },
  breadcrumb: { label: "tapped buy", session_number: 2 },
  first_run: { timestamp_unixtime_ms: 1735732800000 },
  pre_attribution: { custom_attributes: { campaign: "spring" } },
  profile: { previous_mpid: "-123", current_mpid: 456, profile_event_type: "login" },
  push_reaction: { custom_attributes: { action: "open" } },
  user_attribute_change: { user_attribute_name: "plan", new: "pro", old: "free", deleted: false, is_new_attribute: false },
  user_identity_change: {
    new: { identity_type: "email", identity: "a@example.com", timestamp_unixtime_ms: 1735732800000, created_this_batch: true },
  },
  unknown: { anything: "goes" },
};

describe("event types", () => {
  it("covers every declared event type with an example", () => {
    expect(Object.keys(EXAMPLES).sort()).toEqual([...EVENT_TYPES].sort());
  });

  it.each(EVENT_TYPES)("parses a realistic %s event", (type) => {
    const e = firstEvent({ event_type: type, data: EXAMPLES[type] });
    expect(e.event_type).toBe(type);
    expect(e.data).toMatchObject(Object.fromEntries(Object.entries(EXAMPLES[type]).filter(([k]) => !k.endsWith("_mpid"))));
  });

  it("normalises profile MPIDs to decimal strings", () => {
    const e = firstEvent({ event_type: "profile", data: EXAMPLES.profile });
    expect(e.data).toMatchObject({ previous_mpid: "-123", current_mpid: "456" });
  });

  it("accepts a media event as a custom_event with custom_event_type media and media_info", () => {
    const e = firstEvent({
      event_type: "custom_event",
      data: { event_name: "Play", custom_event_type: "media", media_info: { action: "play", playback_position: 12 } },
    });
    expect(e.data).toMatchObject({ custom_event_type: "media", media_info: { action: "play", playback_position: 12 } });
  });

  it("treats a missing or null data as empty for events that require nothing", () => {
    const b = ok({ events: [{ event_type: "session_start" }, { event_type: "uninstall", data: null }] });
    expect(b.events.map((e) => e.data)).toEqual([{}, {}]);
  });

  it("accepts promotion-only and impression-only commerce events", () => {
    const promo = firstEvent({
      event_type: "commerce_event",
      data: { promotion_action: { action: "click", promotions: [{ id: "p1", name: "Spring", creative: "banner", position: 1 }] } },
    });
    expect(promo.data).toMatchObject({ promotion_action: { promotions: [{ position: "1" }] } });
    const imp = firstEvent({
      event_type: "commerce_event",
      data: { product_impressions: [{ product_impression_list: "search", products: [{ id: "sku-9" }] }] },
    });
    expect(imp.data).toMatchObject({ product_impressions: [{ product_impression_list: "search" }] });
  });

  it("matches product actions case-insensitively and maps remove_from_wishlist", () => {
    const a = (action: string) => {
      const e = firstEvent({ event_type: "commerce_event", data: { product_action: { action } } });
      return e.event_type === "commerce_event" ? e.data.product_action?.action : undefined;
    };
    expect(a("Purchase")).toBe("purchase");
    expect(a("remove_from_wishlist")).toBe("remove_from_wish_list");
    expect(a("unknown")).toBe("unknown");
  });

  it("matches application_transition_type case-insensitively", () => {
    const e = firstEvent({ event_type: "application_state_transition", data: { application_transition_type: "Application_Exit" } });
    expect(e.data).toMatchObject({ application_transition_type: "application_exit" });
  });
});

describe("custom_event_type", () => {
  const type = (v: unknown) => {
    const data: Record<string, unknown> = { event_name: "E" };
    if (v !== undefined) data.custom_event_type = v;
    const e = firstEvent({ event_type: "custom_event", data });
    return e.event_type === "custom_event" ? e.data.custom_event_type : undefined;
  };

  it("matches the enum case-insensitively", () => {
    expect(type("Navigation")).toBe("navigation");
    expect(type("USER_CONTENT")).toBe("user_content");
    expect(type("attribution")).toBe("attribution");
  });

  it('defaults a missing or null type to "other"', () => {
    expect(type(undefined)).toBe("other");
    expect(type(null)).toBe("other");
  });

  it('maps an unknown string to "unknown"', () => {
    expect(type("promotional")).toBe("unknown");
  });

  it("rejects a non-string type with its path", () => {
    expect(messages(one({ event_type: "custom_event", data: { event_name: "E", custom_event_type: 3 } }))).toEqual([
      'events[0].data.custom_event_type: Event field "custom_event_type" must be a string.',
    ]);
  });
});

// ---------------------------------------------------------------------------------------------
// Leniency
// ---------------------------------------------------------------------------------------------

describe("unknown fields", () => {
  it("keeps unknown fields at top level, on the event, in data, in device_info and deeper", () => {
    const b = ok({
      environment: "production",
      modified: true,
      future_field: { nested: [1, 2] },
      device_info: { platform: "iOS", vendor_thing: "x" },
      application_info: { application_name: "A", sideloaded_kits_count: 0, extra: 1 },
      consent_state: { gdpr: { m: { consented: true, regulation: "gdpr" } }, lgpd: { any: true } },
      context: { data_plan: { plan_id: "p", extra: 1 }, other: "x" },
      events: [
        {
          event_type: "commerce_event",
          client_seq: 7,
          data: {
            page_url: "https://example.com/cart",
            product_action: { action: "purchase", internal: "y", products: [{ id: "1", warehouse: "w1" }] },
          },
        },
      ],
    });
    expect(b).toMatchObject({
      modified: true,
      future_field: { nested: [1, 2] },
      device_info: { platform: "iOS", vendor_thing: "x" },
      application_info: { extra: 1 },
      consent_state: { gdpr: { m: { regulation: "gdpr" } }, lgpd: { any: true } },
      context: { data_plan: { extra: 1 }, other: "x" },
      events: [
        {
          client_seq: 7,
          data: { page_url: "https://example.com/cart", product_action: { internal: "y", products: [{ warehouse: "w1" }] } },
        },
      ],
    });
  });
});

describe("nulls", () => {
  it("treats explicit nulls on known fields as absent", () => {
    const b = ok({
      environment: null,
      mpid: null,
      events: null,
      user_identities: null,
      consent_state: null,
      user_attributes: null,
      device_info: null,
      context: null,
    });
    expect(b.environment).toBe("production");
    expect(b.events).toEqual([]);
    expect(JSON.parse(JSON.stringify(b))).toEqual({ environment: "production", events: [] });
  });

  it("treats null inside event data as absent", () => {
    const e = firstEvent({
      event_type: "commerce_event",
      data: { product_action: { action: "purchase", products: null, total_amount: null }, shopping_cart: null, currency_code: null, custom_attributes: null, location: null },
    });
    expect(JSON.parse(JSON.stringify(e.data))).toEqual({ product_action: { action: "purchase" } });
  });

  it("keeps null user attribute values (tags) and null event attribute values as given", () => {
    const b = ok({
      user_attributes: { vip: null },
      events: [{ event_type: "custom_event", data: { event_name: "E", custom_attributes: { a: null } } }],
    });
    expect(b.user_attributes).toEqual({ vip: null });
    expect(b.events[0]?.data.custom_attributes).toEqual({ a: null });
  });
});

describe("mpid", () => {
  const mpid = (v: unknown) => ok({ mpid: v }).mpid;

  it("accepts a JSON number beyond 2^53 and renders it as the text a JS client sent", () => {
    // Beyond 2^53: JSON.parse already rounded it; the literal is what the Node SDK example sets.
    expect(mpid(600868121729048600)).toBe("600868121729048600");
  });

  it("accepts decimal strings, including negative and 19-digit ones, exactly", () => {
    expect(mpid("8923456789012345678")).toBe("8923456789012345678");
    expect(mpid("-8923456789012345678")).toBe("-8923456789012345678");
    expect(mpid("9223372036854775807")).toBe("9223372036854775807");
    expect(mpid("-9223372036854775808")).toBe("-9223372036854775808");
    expect(mpid(" 0042 ")).toBe("42");
    expect(mpid(-17)).toBe("-17");
  });

  it("treats 0, \"0\", null and \"\" as no mpid", () => {
    expect(mpid(0)).toBeUndefined();
    expect(mpid("0")).toBeUndefined();
    expect(mpid(null)).toBeUndefined();
    expect(mpid("")).toBeUndefined();
    expect(mpid(undefined)).toBeUndefined();
  });

  it.each([["abc"], ["1.5"], [1.5], ["9223372036854775808"], ["-9223372036854775809"], ["1e5"], [true], [{}]])(
    "rejects %j with the mpid path",
    (v) => {
      expect(messages({ mpid: v })).toEqual([
        "mpid: MPID must be a signed 64-bit integer (JSON number or decimal string).",
      ]);
    },
  );

  it("exposes the normaliser (null = invalid, undefined = none)", () => {
    expect(normalizeMpid("12")).toBe("12");
    expect(normalizeMpid("x")).toBeNull();
    expect(normalizeMpid(0)).toBeUndefined();
  });
});

describe("user_identities", () => {
  const ids = (v: unknown) => ok({ user_identities: v }).user_identities;

  it("lists the Events API identity keys with the canonical customer_id spelling", () => {
    expect(IDENTITY_TYPES).toContain("customer_id");
    expect(IDENTITY_TYPES).not.toContain("customerid");
    expect(IDENTITY_TYPES).toHaveLength(22);
  });

  it("normalises the Node SDK spelling customerid to customer_id", () => {
    expect(ids({ customerid: "c-1", email: "a@b.c" })).toEqual({ customer_id: "c-1", email: "a@b.c" });
  });

  it("keeps the Web SDK spelling customer_id", () => {
    expect(ids({ customer_id: "c-2" })).toEqual({ customer_id: "c-2" });
  });

  it("keeps customer_id when both spellings are sent, and only one key", () => {
    const r = ids({ customerid: "node", customer_id: "web" });
    expect(r).toEqual({ customer_id: "web" });
    expect(Object.keys(r ?? {})).toEqual(["customer_id"]);
  });

  it("turns numeric ids into strings and drops null or empty ones", () => {
    const r = JSON.parse(JSON.stringify(ids({ customerid: 12345, email: null, other: "" })));
    expect(r).toEqual({ customer_id: "12345" });
  });

  it("keeps unknown identity keys as given", () => {
    expect(ids({ other2: "legacy", email: "a@b.c" })).toEqual({ other2: "legacy", email: "a@b.c" });
  });

  it("normalises customerid in user_identity_change events", () => {
    const e = firstEvent({ event_type: "user_identity_change", data: { new: { identity_type: "customerid", identity: "x" } } });
    expect(e.data).toMatchObject({ new: { identity_type: "customer_id", identity: "x" } });
  });
});

describe("coercions and attribute values", () => {
  it("coerces numeric-string timestamps and amounts to numbers", () => {
    const b = ok({
      timestamp_unixtime_ms: "1735732800000",
      events: [
        {
          event_type: "commerce_event",
          data: { timestamp_unixtime_ms: "1735732800001", product_action: { action: "purchase", total_amount: "9.99" } },
        },
      ],
    });
    expect(b.timestamp_unixtime_ms).toBe(1735732800000);
    expect(b.events[0]?.data).toMatchObject({ timestamp_unixtime_ms: 1735732800001, product_action: { total_amount: 9.99 } });
  });

  it("rejects a non-numeric timestamp with its path", () => {
    const m = messages(one({ event_type: "session_start", data: { timestamp_unixtime_ms: "yesterday" } }));
    expect(m).toHaveLength(1);
    expect(m[0]).toMatch(/^events\[0\]\.data\.timestamp_unixtime_ms: /);
  });

  it("keeps numbers and booleans in attribute values, and arrays in user attributes", () => {
    const b = ok({
      user_attributes: { age: 42, vip: true, colors: ["red", 2] },
      events: [{ event_type: "custom_event", data: { event_name: "E", custom_attributes: { n: 42, b: true, s: "x" } } }],
    });
    expect(b.user_attributes).toEqual({ age: 42, vip: true, colors: ["red", 2] });
    expect(b.events[0]?.data.custom_attributes).toEqual({ n: 42, b: true, s: "x" });
  });

  it("rejects object event attribute values and object user attribute values", () => {
    const m = messages({
      user_attributes: { address: { city: "Paris" } },
      events: [{ event_type: "custom_event", data: { event_name: "E", custom_attributes: { obj: { a: 1 }, "my key": [1] } } }],
    });
    expect(m).toEqual([
      'events[0].data.custom_attributes.obj: Attribute values must be a string, number, boolean or null.',
      'events[0].data.custom_attributes["my key"]: Attribute values must be a string, number, boolean or null.',
      "user_attributes.address: User attribute values must be a string, number, boolean, null or an array of those.",
    ]);
  });

  it("does not validate ids as RFC-4122 UUIDs", () => {
    const e = firstEvent({
      event_type: "session_start",
      data: { session_uuid: "31DE1BE9-62B9-4B28-5959-64652139E03A", source_message_id: "24c8f24a-29b9-4750-5690-93a1dfacb60b" },
    });
    expect(e.data.session_uuid).toBe("31DE1BE9-62B9-4B28-5959-64652139E03A");
  });
});

describe("environment", () => {
  const env = (v: unknown) => ok(v === undefined ? {} : { environment: v }).environment;

  it('defaults to "production" when missing, null or "unknown"', () => {
    expect(env(undefined)).toBe("production");
    expect(env(null)).toBe("production");
    expect(env("unknown")).toBe("production");
  });

  it("matches case-insensitively", () => {
    expect(env("Development")).toBe("development");
    expect(env("PRODUCTION")).toBe("production");
  });

  it("rejects other values", () => {
    expect(messages({ environment: "staging" })).toEqual([
      'environment: Field "environment" must be "production" or "development".',
    ]);
  });
});

// ---------------------------------------------------------------------------------------------
// Required fields
// ---------------------------------------------------------------------------------------------

describe("required fields", () => {
  it.each([
    ["custom_event without event_name", { event_type: "custom_event", data: { custom_event_type: "other" } }, 'events[0].data.event_name: Required event field "event_name" is missing or empty.'],
    ["custom_event with blank event_name", { event_type: "custom_event", data: { event_name: "  " } }, 'events[0].data.event_name: Required event field "event_name" is missing or empty.'],
    ["custom_event with null event_name", { event_type: "custom_event", data: { event_name: null } }, 'events[0].data.event_name: Required event field "event_name" is missing or empty.'],
    ["custom_event without data", { event_type: "custom_event" }, 'events[0].data.event_name: Required event field "event_name" is missing or empty.'],
    ["custom_event with a numeric event_name", { event_type: "custom_event", data: { event_name: 5 } }, 'events[0].data.event_name: Event field "event_name" must be a string.'],
    ["screen_view without screen_name", { event_type: "screen_view", data: {} }, 'events[0].data.screen_name: Required event field "screen_name" is missing or empty.'],
    ["commerce_event without an action", { event_type: "commerce_event", data: { currency_code: "USD", promotion_action: null, product_impressions: [] } }, 'events[0].data: A commerce_event requires one of "product_action", "promotion_action" or "product_impressions".'],
    ["product_action without action", { event_type: "commerce_event", data: { product_action: { products: [] } } }, 'events[0].data.product_action.action: Required event field "action" is missing or empty.'],
    ["product_action with an unknown action", { event_type: "commerce_event", data: { product_action: { action: "buy" } } }, 'events[0].data.product_action.action: Event field "action" must be one of: add_to_cart, remove_from_cart, checkout, checkout_option, click, view_detail, purchase, refund, add_to_wishlist, remove_from_wish_list, unknown.'],
    ["push_registration without registration_token", { event_type: "push_registration", data: { register: true } }, 'events[0].data.registration_token: Required event field "registration_token" is missing or empty.'],
    ["breadcrumb without label", { event_type: "breadcrumb", data: { session_number: 1 } }, 'events[0].data.label: Required event field "label" is missing or empty.'],
    ["application_state_transition without type", { event_type: "application_state_transition", data: {} }, 'events[0].data.application_transition_type: Required event field "application_transition_type" is missing or empty.'],
    ["application_state_transition with an unknown type", { event_type: "application_state_transition", data: { application_transition_type: "application_crash" } }, 'events[0].data.application_transition_type: Event field "application_transition_type" must be one of: application_initialized, application_exit, application_background, application_foreground.'],
    ["an event without event_type", { data: {} }, 'events[0].event_type: Required event field "event_type" is missing or empty.'],
    ["an event with an unknown event_type", { event_type: "media", data: {} }, 'events[0].event_type: Unknown event_type "media".'],
    ["an event that is not an object", "custom_event", "events[0]: Event must be a JSON object."],
  ])("rejects %s naming the field path", (_name, event, message) => {
    expect(messages(one(event))).toEqual([message]);
  });

  it("rejects a data that is not an object", () => {
    const m = messages(one({ event_type: "session_start", data: "x" }));
    expect(m).toHaveLength(1);
    expect(m[0]).toMatch(/^events\[0\]\.data: /);
  });

  it("rejects events that is not an array, and a batch that is not an object", () => {
    expect(messages({ events: {} })).toEqual(['events: Field "events" must be an array of events.']);
    expect(messages("hello")).toEqual(["Batch must be a JSON object."]);
    expect(messages([])).toEqual(["Batch must be a JSON object."]);
  });

  it("rejects a consent purpose without consented", () => {
    expect(messages({ consent_state: { gdpr: { marketing: { document: "d" } } } })).toEqual([
      'consent_state.gdpr.marketing.consented: Required consent field "consented" is missing or not a boolean.',
    ]);
  });

  it("names the right index among several events and prefixes the given path", () => {
    const batch = {
      events: [
        { event_type: "session_start", data: {} },
        { event_type: "screen_view", data: { screen_name: "ok" } },
        { event_type: "custom_event", data: {} },
      ],
    };
    expect(messages(batch, "[3]")).toEqual([
      '[3].events[2].data.event_name: Required event field "event_name" is missing or empty.',
    ]);
  });

  it(`reports at most ${MAX_ERRORS} errors`, () => {
    const events = Array.from({ length: 25 }, () => ({ event_type: "custom_event", data: {} }));
    const m = messages({ events });
    expect(m).toHaveLength(MAX_ERRORS);
    expect(m[9]).toBe('events[9].data.event_name: Required event field "event_name" is missing or empty.');
  });
});

// ---------------------------------------------------------------------------------------------
// Bulk
// ---------------------------------------------------------------------------------------------

describe("parseBatchArray", () => {
  const good = (i: number) => ({
    environment: "development",
    user_identities: { customerid: `bulk-cust-${i}` },
    user_attributes: { bulk_index: i },
    events: [{ data: { custom_event_type: "other", event_name: `Bulk Event ${i}`, custom_attributes: { i: String(i) } }, event_type: "custom_event" }],
  });

  it("parses the Node SDK bulk body into batches in order", () => {
    const r = parseBatchArray([good(1), good(2), good(3)], 100);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.batches.map((b) => b.user_identities?.customer_id)).toEqual(["bulk-cust-1", "bulk-cust-2", "bulk-cust-3"]);
  });

  it("rejects a body that is not an array", () => {
    expect(parseBatchArray(good(1), 100)).toEqual({
      ok: false,
      errors: [{ code: "BAD_REQUEST", message: "Body must be a JSON array of batches." }],
    });
  });

  it("rejects an empty array", () => {
    expect(parseBatchArray([], 100)).toEqual({
      ok: false,
      errors: [{ code: "BAD_REQUEST", message: "Body must contain at least one batch." }],
    });
  });

  it("rejects more batches than the maximum", () => {
    expect(parseBatchArray([good(1), good(2), good(3)], 2)).toEqual({
      ok: false,
      errors: [{ code: "BAD_REQUEST", message: "Too many batches: 3 (at most 2 per request)." }],
    });
  });

  it("names the index of each bad batch", () => {
    const r = parseBatchArray([good(0), good(1), { events: [{ event_type: "bogus" }] }, 7], 100);
    expect(r).toEqual({
      ok: false,
      errors: [
        { code: "BAD_REQUEST", message: '[2].events[0].event_type: Unknown event_type "bogus".' },
        { code: "BAD_REQUEST", message: "[3]: Batch must be a JSON object." },
      ],
    });
  });

  it(`reports at most ${MAX_ERRORS} errors across batches`, () => {
    const bad = { events: [{ event_type: "custom_event" }, { event_type: "screen_view" }] };
    const r = parseBatchArray(Array.from({ length: 8 }, () => bad), 100);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toHaveLength(MAX_ERRORS);
    expect(r.errors[9]?.message).toBe('[4].events[1].data.screen_name: Required event field "screen_name" is missing or empty.');
  });
});

// ---------------------------------------------------------------------------------------------
// Real clients
// ---------------------------------------------------------------------------------------------

describe("real client batches", () => {
  it("parses the Node SDK /v2/events batch (real-clients.md §1.5)", () => {
    const b = ok(NODE_SDK_BATCH);
    expect(b.environment).toBe("development");
    expect(b.mpid).toBeUndefined();
    expect(b.user_identities).toEqual({ email: "jane.doe@example.com", customer_id: "cust-12345" });
    expect(b.user_attributes).toEqual(NODE_SDK_BATCH.user_attributes);
    expect(b.device_info).toEqual(NODE_SDK_BATCH.device_info);
    expect(b.consent_state).toEqual(NODE_SDK_BATCH.consent_state);
    expect(b.events.map((e) => e.event_type)).toEqual(["custom_event", "screen_view", "commerce_event"]);
    expect(b.events).toEqual(NODE_SDK_BATCH.events);
  });

  it("parses the Web SDK v3 batch with its nulls and web-only event types (real-clients.md §2.6)", () => {
    const b = ok(WEB_SDK_BATCH);
    expect(b.mpid).toBe("8923456789012345678");
    expect(b.user_identities).toBeUndefined();
    expect(b.consent_state).toBeUndefined();
    expect(b.context).toEqual({ data_plan: { plan_id: "capture_plan", plan_version: 2 } });
    expect(b.events.map((e) => e.event_type)).toEqual([
      "session_start",
      "application_state_transition",
      "screen_view",
      "custom_event",
      "commerce_event",
      "user_identity_change",
      "user_attribute_change",
      "session_end",
    ]);
    const video = b.events[3];
    expect(video?.data).toMatchObject({
      event_name: "Video Watched",
      custom_attributes: { duration_s: 42, autoplay: true },
      active_time_on_site_ms: 51,
      session_uuid: "31DE1BE9-62B9-4B28-5959-64652139E03A",
    });
    // Everything survives except the nulls, which are dropped.
    const stripNulls = (v: unknown): unknown =>
      JSON.parse(JSON.stringify(v, (_k, x: unknown) => (x === null ? undefined : x)));
    expect(JSON.parse(JSON.stringify(b))).toEqual(stripNulls(WEB_SDK_BATCH));
  });

  it("parses the Web SDK batch after login (customer_id spelling, consent)", () => {
    const b = ok({
      ...WEB_SDK_BATCH,
      user_attributes: { plan: "premium", age: 42, favorite_colors: ["red", "green"] },
      user_identities: { customer_id: "cust-12345", email: "jane.doe@example.com" },
      consent_state: {
        gdpr: { marketing: { consented: true, hardware_id: "hw-123", document: "marketing_doc_v2", timestamp_unixtime_ms: 1735732799000, location: "example.com/signup" } },
        ccpa: { data_sale_opt_out: { consented: false, hardware_id: "hw-123", document: "ccpa_doc_v1", timestamp_unixtime_ms: 1735732799000, location: "example.com/privacy" } },
      },
    });
    expect(b.user_identities?.customer_id).toBe("cust-12345");
    expect(b.consent_state?.ccpa?.data_sale_opt_out?.consented).toBe(false);
  });
});

describe("types", () => {
  it("exposes normalised output types", () => {
    expectTypeOf<Batch["mpid"]>().toEqualTypeOf<string | undefined>();
    expectTypeOf<Batch["environment"]>().toEqualTypeOf<"production" | "development">();
    expectTypeOf<BatchEvent["event_type"]>().toEqualTypeOf<EventType>();
    expectTypeOf<EventData<"custom_event">["event_name"]>().toEqualTypeOf<string>();
    expectTypeOf<NonNullable<Batch["user_identities"]>["customer_id"]>().toEqualTypeOf<string | undefined>();
  });
});
