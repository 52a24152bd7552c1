/**
 * Parts of the outbound batch (mparticle-api.md §2.12) that outputs and stages other than the pipeline build too
 * (consent events in src/privacy/notifications.ts). The whole batch type is src/pipeline/outbound.ts.
 */

export type SourceChannel = "native" | "javascript" | "pixel" | "desktop" | "partner" | "server_to_server" | "unknown";

export type OutboundIdentity = { identity_type: string; identity: string; timestamp_unixtime_ms: number; created_this_batch: boolean };
export type OutboundEvent = { event_type: string; data: Record<string, unknown> & { message_id: string; event_id: string; timestamp_unixtime_ms: number } };
