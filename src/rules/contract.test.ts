import { describe, expect, it } from "vitest";
import { allOutputsView, checkAllOutputs, checkConnection } from "./contract";

const base = () => ({
  environment: "production",
  ip: "198.51.100.7",
  application_info: { application_name: "Shop" },
  user_identities: { customerid: "c1" },
  user_attributes: { plan: "gold" },
  deleted_user_attributes: ["old"],
  events: [{ event_type: "custom_event", data: { event_name: "Open", custom_event_type: "navigation", event_id: "1" } }],
});

describe("All-Outputs contract", () => {
  it("hides batch_id, event ids, ip and application_info from the rule", () => {
    const v = allOutputsView({ ...base(), batch_id: "b1" });
    expect(v).not.toHaveProperty("batch_id");
    expect(v).not.toHaveProperty("ip");
    expect(v).not.toHaveProperty("application_info");
    expect((v.events as any[])[0].data).not.toHaveProperty("event_id");
  });

  it("keeps the original application_info and deleted_user_attributes, and accepts only a valid ip", () => {
    const original = base();
    const out = { ...allOutputsView(original), application_info: { application_name: "Evil" }, deleted_user_attributes: ["plan"], ip: "not-an-ip" };
    const r = checkAllOutputs(original, out, false);
    expect(r.kind).toBe("batch");
    const b = (r as any).batch;
    expect(b.application_info).toEqual({ application_name: "Shop" });
    expect(b.deleted_user_attributes).toEqual(["old"]);
    expect(b.ip).toBe("198.51.100.7");
    expect((checkAllOutputs(original, { ...allOutputsView(original), ip: "203.0.113.1" }, false) as any).batch.ip).toBe("203.0.113.1");
  });

  it("drops on null, refuses a null event, a non-object and a batch the Events API would refuse", () => {
    const original = base();
    expect(checkAllOutputs(original, null, false)).toEqual({ kind: "drop" });
    expect(checkAllOutputs(original, { events: [null] }, false)).toMatchObject({ kind: "error", message: expect.stringContaining("events[0] is null") });
    expect(checkAllOutputs(original, [original], false).kind).toBe("error");
    expect(checkAllOutputs(original, "batch", false).kind).toBe("error");
    expect(checkAllOutputs(original, { events: [{ event_type: "not_a_type", data: {} }] }, false)).toMatchObject({ kind: "error", message: expect.stringContaining("invalid batch") });
  });

  it("for SDK inputs, keeps only attribute and identity changes announced by change events", () => {
    const original = base();
    const out = {
      ...allOutputsView(original),
      user_attributes: { plan: "platinum", tier: "vip", added: "x" },
      user_identities: { customerid: "c2", email: "a@example.com" },
      events: [
        ...(original.events as any[]),
        { event_type: "user_attribute_change", data: { user_attribute_name: "tier", new: "vip", deleted: false, is_new_attribute: true } },
        { event_type: "user_identity_change", data: { new: { identity_type: "email", identity: "a@example.com" }, old: null } },
      ],
    };
    const sdk = (checkAllOutputs(original, out, true) as any).batch;
    expect(sdk.user_attributes).toEqual({ plan: "gold", tier: "vip" });
    expect(sdk.user_identities).toEqual({ customerid: "c1", email: "a@example.com" });
    // Server-to-server inputs need no change events.
    const s2s = (checkAllOutputs(original, out, false) as any).batch;
    expect(s2s.user_attributes).toEqual({ plan: "platinum", tier: "vip", added: "x" });
  });
});

describe("connection contract", () => {
  const outbound = () => ({
    batch_id: "b1",
    mpid: "42",
    environment: "production",
    schema_version: 2,
    timestamp_unixtime_ms: 1,
    source_info: { channel: "server_to_server" },
    user_identities: [{ identity_type: "customer_id", identity: "c1" }],
    user_attributes: {},
    events: [
      { event_type: "custom_event", data: { event_name: "A", custom_event_type: "other", event_id: "11", message_id: "11", timestamp_unixtime_ms: 1 } },
      { event_type: "custom_event", data: { event_name: "B", custom_event_type: "other", event_id: "12", message_id: "12", timestamp_unixtime_ms: 1 } },
    ],
  });

  it("lets a rule remove, reorder and add events; added events get deterministic ids", () => {
    const o = outbound();
    const out = { ...o, events: [o.events[1], { event_type: "custom_event", data: { event_name: "New", custom_event_type: "other" } }] };
    const a = (checkConnection(o, structuredClone(out), 7) as any).batch;
    const b = (checkConnection(o, structuredClone(out), 7) as any).batch;
    expect(a.events[0].data.event_id).toBe("12");
    expect(a.events[1].data.event_id).toMatch(/^\d+$/);
    expect(a.events[1].data.event_id).toBe(b.events[1].data.event_id);
    expect(a.events[1].data.message_id).toBe(a.events[1].data.event_id);
  });

  it("refuses a changed batch_id, an unknown or repeated event id, bad identities and null events", () => {
    const o = outbound();
    expect(checkConnection(o, { ...o, batch_id: "x" }, 1)).toMatchObject({ kind: "error", message: "batch_id cannot be changed" });
    expect(checkConnection(o, { ...o, events: [{ ...o.events[0], data: { ...o.events[0]!.data, event_id: "99" } }] }, 1).kind).toBe("error");
    expect(checkConnection(o, { ...o, events: [o.events[0], o.events[0]] }, 1)).toMatchObject({ kind: "error", message: expect.stringContaining("twice") });
    expect(checkConnection(o, { ...o, user_identities: { customer_id: "c1" } }, 1).kind).toBe("error");
    expect(checkConnection(o, { ...o, events: [null] }, 1).kind).toBe("error");
    expect(checkConnection(o, { ...o, events: "none" }, 1).kind).toBe("error");
    expect(checkConnection(o, null, 1)).toEqual({ kind: "drop" });
  });

  it("keeps the fields every output relies on when the rule leaves them out", () => {
    const o = outbound();
    const { source_info: _s, user_attributes: _u, ...rest } = o;
    const b = (checkConnection(o, rest, 1) as any).batch;
    expect(b.source_info).toEqual(o.source_info);
    expect(b.user_attributes).toEqual({});
  });
});
