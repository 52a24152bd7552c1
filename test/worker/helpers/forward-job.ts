/** A forward job for the demo webhook connection: one custom event, a fresh batch id. */
import type { ForwardJob } from "../../../src/pipeline/messages";
import type { OutboundBatch } from "../../../src/pipeline/outbound";

export function forwardJob(connectionId = 1, extra: Partial<ForwardJob> = {}): ForwardJob {
  const batch: OutboundBatch = {
    batch_id: crypto.randomUUID(),
    mpid: "123",
    environment: "production",
    schema_version: 2,
    timestamp_unixtime_ms: Date.now(),
    user_identities: [],
    user_attributes: {},
    source_info: { channel: "server_to_server" },
    events: [{ event_type: "custom_event", data: { event_name: "e", message_id: "1", event_id: "1", timestamp_unixtime_ms: Date.now() } }],
  };
  return { v: 1, type: "forward", connectionId, outputId: 1, workspaceId: 1, inputId: 1, batch, ...extra };
}
