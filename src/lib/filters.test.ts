import { describe, expect, it } from "vitest";
import type { OutboundBatch } from "../pipeline/outbound";
import { applyConnectionFilters, buildFilters } from "./filters";

const ev = (name: string, type = "navigation", attrs: Record<string, string> = { a: "1", b: "2" }) => ({
  event_type: "custom_event",
  data: { event_name: name, custom_event_type: type, custom_attributes: attrs, message_id: "1", event_id: "1", timestamp_unixtime_ms: 1 },
});
const batch = (): OutboundBatch =>
  ({
    batch_id: "b",
    mpid: "1",
    environment: "production",
    schema_version: 2,
    timestamp_unixtime_ms: 1,
    user_identities: [
      { identity_type: "customer_id", identity: "c", timestamp_unixtime_ms: 1, created_this_batch: false },
      { identity_type: "email", identity: "e@x", timestamp_unixtime_ms: 1, created_this_batch: false },
    ],
    user_attributes: { plan: "p", age: 3 },
    device_identities: [],
    source_info: { channel: "server_to_server" },
    events: [ev("Signup"), ev("Search", "search"), { event_type: "screen_view", data: { screen_name: "Home", message_id: "2", event_id: "2", timestamp_unixtime_ms: 1 } }, { event_type: "session_start", data: { message_id: "3", event_id: "3", timestamp_unixtime_ms: 1 } }],
  }) as unknown as OutboundBatch;

describe("applyConnectionFilters", () => {
  it("passes the batch unchanged without filters", () => {
    const b = batch();
    expect(applyConnectionFilters(b, null)).toEqual({ batch: b, filteredEvents: 0 });
  });

  it("drops a disabled event and a disabled event attribute", () => {
    const f = buildFilters(true, [{ type: "Event", name: "Signup", eventType: "Navigation", enabled: false }, { type: "EventAttribute", name: "Search", eventType: "Search", attributeName: "a", enabled: false }], []);
    const r = applyConnectionFilters(batch(), f);
    expect(r.filteredEvents).toBe(1);
    expect(r.batch.events.map((e) => e.data.event_name ?? e.event_type)).toEqual(["Search", "screen_view", "session_start"]);
    expect(r.batch.events[0]!.data.custom_attributes).toEqual({ b: "2" });
  });

  it("disabling an event type disables its events (hierarchy)", () => {
    const r = applyConnectionFilters(batch(), buildFilters(true, [{ type: "EventType", name: "Navigation", enabled: false }], []));
    expect(r.filteredEvents).toBe(1);
    expect(r.batch.events[0]!.data.event_name).toBe("Search");
  });

  it("drops screen views, user attributes and identities by filter", () => {
    const f = buildFilters(true, [{ type: "ScreenView", name: "Home", enabled: false }, { type: "UserAttribute", name: "plan", enabled: false }, { type: "UserIdentity", name: "Email", enabled: false }], []);
    const r = applyConnectionFilters(batch(), f);
    expect(r.batch.events.some((e) => e.event_type === "screen_view")).toBe(false);
    expect(r.batch.user_attributes).toEqual({ age: 3 });
    expect(r.batch.user_identities.map((i) => i.identity_type)).toEqual(["customer_id"]);
  });

  it("with sendNewDataPointsByDefault false sends only known or enabled data points", () => {
    const f = buildFilters(false, [{ type: "Event", name: "Search", eventType: "search", enabled: true }], [{ type: "EventAttribute", name: "Search", eventType: "search", attributeName: "b" }, { type: "UserAttribute", name: "age" }]);
    const r = applyConnectionFilters(batch(), f);
    expect(r.batch.events.map((e) => e.data.event_name ?? e.event_type)).toEqual(["Search", "session_start"]);
    expect(r.batch.events[0]!.data.custom_attributes).toEqual({ b: "2" });
    expect(r.batch.user_attributes).toEqual({ age: 3 });
    expect(r.batch.user_identities).toHaveLength(2);
    expect(r.filteredEvents).toBe(2);
  });
});
