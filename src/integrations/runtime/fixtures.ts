/** Fixture shape shared by every integration: input batches + settings → expected requests and outcomes. */
import type { OutboundBatch } from "../../pipeline/outbound";
import type { Outcome } from "./types";

export type ExpectedRequest = {
  method: string;
  url: string;
  /** Headers that must be present with these values (others may exist). */
  headers?: Record<string, string>;
  /** Expected JSON body. */
  json?: unknown;
  jobs: number[];
};

export type IntegrationFixture = {
  name: string;
  config: Record<string, unknown>;
  connection?: Record<string, unknown>;
  batches: OutboundBatch[];
  /** The requests transform must produce, in order. */
  requests?: ExpectedRequest[];
  /** Or: the configuration must be refused. */
  invalidConfig?: true;
  /** Partner answers to replay against the produced requests, and the outcome expected for each. */
  answers?: { status: number; headers?: Record<string, string>; body?: string; outcome: Outcome["kind"]; retryAfterSeconds?: number }[];
};

/** A minimal valid outbound batch for fixtures. */
export function fixtureBatch(overrides: Partial<OutboundBatch> = {}): OutboundBatch {
  return {
    batch_id: "7d8f4e0a-0000-4000-8000-000000000001",
    mpid: "8278431810143183490",
    environment: "production",
    schema_version: 2,
    timestamp_unixtime_ms: 1_764_000_000_000,
    user_identities: [{ identity_type: "customer_id", identity: "cust-1", timestamp_unixtime_ms: 1_764_000_000_000, created_this_batch: false }],
    user_attributes: { plan: "premium" },
    source_info: { channel: "server_to_server" },
    events: [
      {
        event_type: "custom_event",
        data: { event_name: "Signup", custom_event_type: "other", timestamp_unixtime_ms: 1_764_000_000_000, message_id: "42", event_id: "42" },
      },
    ],
    ...overrides,
  };
}
