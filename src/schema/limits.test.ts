import { describe, expect, it } from "vitest";
import { parseBatch, type Batch } from "./batch";
import {
  MAX_EVENT_ATTRIBUTES,
  MAX_EVENT_ATTRIBUTE_NAME_LENGTH,
  MAX_EVENT_ATTRIBUTE_VALUE_LENGTH,
  MAX_EVENT_NAME_LENGTH,
  MAX_USER_ATTRIBUTES,
  MAX_USER_ATTRIBUTE_LIST_ENTRIES,
  MAX_USER_ATTRIBUTE_LIST_ENTRY_LENGTH,
  MAX_USER_ATTRIBUTE_NAME_LENGTH,
  MAX_USER_ATTRIBUTE_VALUE_LENGTH,
  MAX_IDENTITY_VALUE_LENGTH,
  applyServiceLimits,
  truncate,
  type LimitCounts,
} from "./limits";

function batch(input: unknown): Batch {
  const r = parseBatch(input);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.batch;
}

const ZERO: LimitCounts = {
  truncated_event_names: 0,
  truncated_attribute_names: 0,
  truncated_attribute_values: 0,
  dropped_event_attributes: 0,
  dropped_user_attributes: 0,
  truncated_user_attributes: 0,
  truncated_lists: 0,
  dropped_identities: 0,
};

const customEvent = (data: Record<string, unknown>) => ({ event_type: "custom_event", data: { event_name: "E", ...data } });
const attrs = (n: number, prefix = "a") => Object.fromEntries(Array.from({ length: n }, (_, i) => [`${prefix}${i}`, `v${i}`]));
const EMOJI = "\u{1F600}"; // one code point, two UTF-16 code units

describe("published values", () => {
  it("match mParticle's default service limits", () => {
    expect([
      MAX_EVENT_NAME_LENGTH,
      MAX_EVENT_ATTRIBUTE_NAME_LENGTH,
      MAX_EVENT_ATTRIBUTE_VALUE_LENGTH,
      MAX_EVENT_ATTRIBUTES,
      MAX_USER_ATTRIBUTES,
      MAX_USER_ATTRIBUTE_NAME_LENGTH,
      MAX_USER_ATTRIBUTE_VALUE_LENGTH,
      MAX_USER_ATTRIBUTE_LIST_ENTRIES,
      MAX_USER_ATTRIBUTE_LIST_ENTRY_LENGTH,
    ]).toEqual([256, 256, 4096, 100, 100, 256, 4096, 1000, 512]);
  });
});

describe("truncate", () => {
  it("leaves strings within the limit untouched", () => {
    expect(truncate("abc", 3)).toBe("abc");
    expect(truncate("", 3)).toBe("");
  });

  it("cuts to the limit in UTF-16 code units", () => {
    expect(truncate("abcdef", 4)).toBe("abcd");
  });

  it("never splits a surrogate pair", () => {
    // "ab" + emoji = 4 units; a cut at 3 would keep half the emoji.
    expect(truncate(`ab${EMOJI}`, 3)).toBe("ab");
    expect(truncate(`ab${EMOJI}c`, 4)).toBe(`ab${EMOJI}`);
    expect(truncate(EMOJI.repeat(10), 5)).toBe(EMOJI.repeat(2));
  });
});

describe("applyServiceLimits", () => {
  it("changes nothing and counts zeros for a batch within limits", () => {
    const input = {
      user_attributes: { plan: "pro", colors: ["red"], age: 3, tag: null },
      events: [customEvent({ custom_attributes: { a: "b", n: 1 } }), { event_type: "screen_view", data: { screen_name: "Home" } }],
    };
    const b = batch(input);
    const before = JSON.stringify(b);
    expect(applyServiceLimits(b)).toEqual(ZERO);
    expect(JSON.stringify(b)).toBe(before);
  });

  it("truncates custom event, screen and commerce event names to 256 and counts each", () => {
    const long = "n".repeat(300);
    const b = batch({
      events: [
        customEvent({ event_name: long }),
        { event_type: "screen_view", data: { screen_name: long } },
        { event_type: "commerce_event", data: { event_name: long, product_action: { action: "purchase" } } },
        customEvent({ event_name: "short" }),
      ],
    });
    expect(applyServiceLimits(b)).toEqual({ ...ZERO, truncated_event_names: 3 });
    expect(b.events.map((e) => (e.data as { event_name?: string; screen_name?: string }).event_name ?? (e.data as { screen_name?: string }).screen_name)).toEqual([
      "n".repeat(256),
      "n".repeat(256),
      "n".repeat(256),
      "short",
    ]);
  });

  it("does not split a surrogate pair at the event name limit", () => {
    const b = batch({ events: [customEvent({ event_name: `${"x".repeat(255)}${EMOJI}tail` })] });
    applyServiceLimits(b);
    const e = b.events[0];
    expect(e?.event_type === "custom_event" && e.data.event_name).toBe("x".repeat(255));
  });

  it("truncates event attribute names to 256 and values to 4096, counting each", () => {
    const longName = "k".repeat(260);
    const b = batch({
      events: [customEvent({ custom_attributes: { [longName]: "v", big: "v".repeat(5000), num: 12345, ok: "fine" } })],
    });
    expect(applyServiceLimits(b)).toEqual({ ...ZERO, truncated_attribute_names: 1, truncated_attribute_values: 1 });
    const a = b.events[0]?.data.custom_attributes ?? {};
    expect(Object.keys(a)).toEqual(["k".repeat(256), "big", "num", "ok"]);
    expect((a.big as string).length).toBe(4096);
    expect(a.num).toBe(12345);
  });

  it("keeps the first 100 event attributes and counts the dropped ones", () => {
    const b = batch({ events: [customEvent({ custom_attributes: attrs(130) }), customEvent({ custom_attributes: attrs(100) })] });
    expect(applyServiceLimits(b)).toEqual({ ...ZERO, dropped_event_attributes: 30 });
    const [first, second] = b.events;
    expect(Object.keys(first?.data.custom_attributes ?? {})).toEqual(Object.keys(attrs(100)));
    expect(Object.keys(second?.data.custom_attributes ?? {})).toHaveLength(100);
  });

  it("drops an event attribute whose truncated name collides with an earlier one", () => {
    const base = "k".repeat(256);
    const b = batch({ events: [customEvent({ custom_attributes: { [`${base}1`]: "first", [`${base}2`]: "second" } })] });
    expect(applyServiceLimits(b)).toEqual({ ...ZERO, truncated_attribute_names: 1, dropped_event_attributes: 1 });
    expect(b.events[0]?.data.custom_attributes).toEqual({ [base]: "first" });
  });

  it("applies event attribute limits to every event type, including commerce", () => {
    const b = batch({
      events: [{ event_type: "commerce_event", data: { product_action: { action: "purchase" }, custom_attributes: { big: "v".repeat(4097) } } }],
    });
    expect(applyServiceLimits(b)).toEqual({ ...ZERO, truncated_attribute_values: 1 });
  });

  it("keeps the first 100 user attributes and counts the dropped ones", () => {
    const b = batch({ user_attributes: attrs(150, "u") });
    expect(applyServiceLimits(b)).toEqual({ ...ZERO, dropped_user_attributes: 50 });
    expect(Object.keys(b.user_attributes ?? {})).toEqual(Object.keys(attrs(100, "u")));
  });

  it("truncates user attribute names to 256 and values to 4096, counting each attribute once", () => {
    const b = batch({
      user_attributes: { ["n".repeat(300)]: "v".repeat(5000), plain: "v".repeat(4097), fine: "ok", num: 7 },
    });
    expect(applyServiceLimits(b)).toEqual({ ...ZERO, truncated_user_attributes: 2 });
    const u = b.user_attributes ?? {};
    expect(Object.keys(u)).toEqual(["n".repeat(256), "plain", "fine", "num"]);
    expect((u["n".repeat(256)] as string).length).toBe(4096);
    expect((u.plain as string).length).toBe(4096);
  });

  it("keeps the first 1000 list entries and truncates entries to 512", () => {
    const list = Array.from({ length: 1200 }, (_, i) => `item${i}`);
    const b = batch({ user_attributes: { big_list: list, long_entries: ["x".repeat(600), "y".repeat(513), "short"] } });
    expect(applyServiceLimits(b)).toEqual({ ...ZERO, truncated_lists: 1, truncated_user_attributes: 1 });
    const u = b.user_attributes ?? {};
    expect(u.big_list).toEqual(list.slice(0, 1000));
    expect(u.long_entries).toEqual(["x".repeat(512), "y".repeat(512), "short"]);
  });

  it("truncates the names in deleted_user_attributes so deletions match stored names", () => {
    const b = batch({ deleted_user_attributes: ["d".repeat(300), "short"] });
    applyServiceLimits(b);
    expect(b.deleted_user_attributes).toEqual(["d".repeat(256), "short"]);
  });

  it("is idempotent", () => {
    const b = batch({
      user_attributes: { list: Array.from({ length: 1001 }, () => "z".repeat(600)), ...attrs(120, "u") },
      events: [customEvent({ event_name: "e".repeat(400), custom_attributes: { ...attrs(101), ["k".repeat(300)]: "v" } })],
    });
    expect(applyServiceLimits(b)).not.toEqual(ZERO);
    const once = JSON.stringify(b);
    expect(applyServiceLimits(b)).toEqual(ZERO);
    expect(JSON.stringify(b)).toBe(once);
  });
});

describe("identity values", () => {
  it("drops user identity values over 1,024 characters (never truncated: a cut identity is another identity) and counts them", () => {
    const long = `${"a".repeat(MAX_IDENTITY_VALUE_LENGTH)}@x`;
    const b = batch({ environment: "production", events: [], user_identities: { email: long, customer_id: "c-1", other: "o".repeat(MAX_IDENTITY_VALUE_LENGTH) } });
    expect(applyServiceLimits(b)).toEqual({ ...ZERO, dropped_identities: 1 });
    expect(b.user_identities).toEqual({ customer_id: "c-1", other: "o".repeat(MAX_IDENTITY_VALUE_LENGTH) });
  });
});
