import { describe, expect, it } from "vitest";
import { stableId, stableIdRange } from "../lib/ids";
import { buildOutbound, type OutboundInput } from "./outbound";

const input = (events: OutboundInput["batch"]["events"], duplicates: number[] = []): OutboundInput => ({
  batch: { environment: "production", source_request_id: "r", user_identities: { email: "a@example.com" }, events },
  batchId: "9a7c2f7e-0000-4000-8000-000000000001",
  eventOffset: 2,
  mpid: "-123",
  receivedAt: 1_000,
  channel: "server_to_server",
  historical: false,
  identities: [],
  attributes: {},
  duplicates,
});

describe("buildOutbound", () => {
  it("gives events ids from the batch digest, session ids from the session uuid, in the established key order", async () => {
    const out = await buildOutbound(
      input(
        [
          { event_type: "custom_event", data: { event_name: "A", session_uuid: "s-1", timestamp_unixtime_ms: 5 } },
          { event_type: "custom_event", data: { event_name: "B", session_uuid: "s-1", session_id: 77, message_id: "x" } },
          { event_type: "session_start", data: null },
          { event_type: "custom_event", data: { event_name: "D", session_uuid: "s-2", event_start_unixtime_ms: 3 } },
        ],
        [2],
      ),
    );
    const ids = stableIdRange("9a7c2f7e-0000-4000-8000-000000000001:events");
    expect(out.events.map((e) => e.data)).toEqual([
      { event_name: "A", session_uuid: "s-1", timestamp_unixtime_ms: 5, event_start_unixtime_ms: 5, session_id: stableId("session:s-1"), message_id: ids(2), event_id: ids(2) },
      { event_name: "B", session_uuid: "s-1", session_id: 77, message_id: ids(3), timestamp_unixtime_ms: 1_000, event_start_unixtime_ms: 1_000, event_id: ids(3) },
      { event_name: "D", session_uuid: "s-2", event_start_unixtime_ms: 3, timestamp_unixtime_ms: 1_000, session_id: stableId("session:s-2"), message_id: ids(5), event_id: ids(5) },
    ]);
    // Key order is part of the JSON partners receive.
    expect(out.events.map((e) => Object.keys(e.data).join())).toEqual([
      "event_name,session_uuid,timestamp_unixtime_ms,event_start_unixtime_ms,session_id,message_id,event_id",
      "event_name,session_uuid,session_id,message_id,timestamp_unixtime_ms,event_start_unixtime_ms,event_id",
      "event_name,session_uuid,event_start_unixtime_ms,timestamp_unixtime_ms,session_id,message_id,event_id",
    ]);
    // Same batch again (a redelivery): the same ids.
    const again = await buildOutbound(input([{ event_type: "custom_event", data: { event_name: "A", session_uuid: "s-1", timestamp_unixtime_ms: 5 } }]));
    expect(again.events[0]!.data).toEqual(out.events[0]!.data);
  });
});
