/**
 * Builds the outbound batch (mparticle-api.md §2.12): the inbound batch plus `batch_id`, per-event
 * `message_id`/`event_id` (deterministic, so partners can deduplicate redeliveries), identities as an array,
 * `source_info`, the receipt timestamp, and the profile's identities and attributes.
 */
import type { ProfileIdentity } from "../durable/user-profile";
import type { AttributeValue } from "../durable/profile-merge";
import { DEVICE_IDENTITY_TYPES, IDSYNC_TO_BATCH } from "../identity/identity-types";
import { stableId, stableIdRange } from "../lib/ids";
import { type ConsentState, type ConsentStateLike, isEmptyConsent } from "../privacy/consent";
import type { SystemNotification } from "../privacy/notifications";
import type { OutboundEvent, OutboundIdentity, SourceChannel } from "../schema/outbound";

export type { OutboundEvent, OutboundIdentity, SourceChannel };

export type OutboundBatch = Record<string, unknown> & {
  batch_id: string;
  mpid: string;
  environment: string;
  schema_version: 2;
  timestamp_unixtime_ms: number;
  user_identities: OutboundIdentity[];
  user_attributes: Record<string, AttributeValue>;
  /** The profile's device identities (IDSync keys), so outputs see every device of the user. */
  device_identities?: { type: string; value: string }[];
  source_info: { channel: SourceChannel; is_historical?: boolean; replay_request_id?: string; import_id?: string };
  /** The user's consent state in the workspace after this batch (absent when there is none). */
  consent_state?: ConsentStateLike;
  /** Consent changes this batch made (outputs that take raw batches; `src/privacy/notifications.ts`). */
  system_notifications?: SystemNotification[];
  events: OutboundEvent[];
};

export type OutboundInput = {
  batch: Record<string, unknown> & { events?: { event_type: string; data?: Record<string, unknown> | null }[] };
  batchId: string;
  /** Position of this part's first event in the original batch (a split batch keeps message ids stable). */
  eventOffset: number;
  mpid: string;
  receivedAt: number;
  channel: SourceChannel;
  historical: boolean;
  /** Set when the batch came from a CSV import (src/imports/): outbound `source_info.import_id`. */
  importId?: string;
  identities: ProfileIdentity[];
  attributes: Record<string, AttributeValue>;
  /** Event indexes (within this part) dropped as duplicates. */
  duplicates: number[];
  /** Original index (within this part) of each event, when the data plan stage removed some (ids stay stable). */
  eventIndexes?: number[];
  /** The user's consent state after this batch: replaces the batch's own `consent_state` (mparticle-api.md §2.12). */
  consent?: ConsentState;
  notifications?: SystemNotification[];
};

/**
 * Outbound `session_id` of a `session_uuid`: a SHA-256 per call, and every batch of a session asks again, so the
 * answers are kept per isolate (a pure function of the uuid; the map is emptied when it reaches its bound).
 */
const SESSION_ID_CACHE_MAX = 4096;
const sessionIdCache = new Map<string, string>();
function sessionId(uuid: string): string {
  let id = sessionIdCache.get(uuid);
  if (id === undefined) {
    if (sessionIdCache.size >= SESSION_ID_CACHE_MAX) sessionIdCache.clear();
    id = stableId(`session:${uuid}`);
    sessionIdCache.set(uuid, id);
  }
  return id;
}

/** The outbound batch for one accepted (part of a) batch. */
export async function buildOutbound(o: OutboundInput): Promise<OutboundBatch> {
  const { events = [], user_identities: _ui, user_attributes: _ua, mpid: _m, consent_state: _cs, system_notifications: _sn, ...rest } = o.batch;
  const dup = o.duplicates.length ? new Set(o.duplicates) : undefined;
  const out: OutboundEvent[] = [];
  // One digest per batch; event i's id is derived from it (stable across redeliveries and split parts).
  const eventId = stableIdRange(`${o.batchId}:events`);
  for (let i = 0; i < events.length; i++) {
    if (dup?.has(i)) continue;
    const ev = events[i]!;
    const data: Record<string, unknown> = ev.data ?? {};
    const id = eventId(o.eventOffset + (o.eventIndexes?.[i] ?? i));
    const ts = typeof data.timestamp_unixtime_ms === "number" ? data.timestamp_unixtime_ms : o.receivedAt;
    const start = typeof data.event_start_unixtime_ms === "number" ? data.event_start_unixtime_ms : ts;
    const sess = typeof data.session_uuid === "string" ? data.session_uuid : undefined;
    // One copy of the event's data; keys in the order partners have always received them.
    out.push({
      event_type: ev.event_type,
      data:
        sess && data.session_id === undefined
          ? { ...data, timestamp_unixtime_ms: ts, event_start_unixtime_ms: start, session_id: sessionId(sess), message_id: id, event_id: id }
          : { ...data, timestamp_unixtime_ms: ts, event_start_unixtime_ms: start, message_id: id, event_id: id },
    });
  }
  return {
    ...rest,
    environment: typeof rest.environment === "string" ? rest.environment : "production",
    schema_version: 2,
    batch_id: o.batchId,
    mpid: o.mpid,
    timestamp_unixtime_ms: o.receivedAt,
    user_identities: o.identities
      .filter((id) => !DEVICE_IDENTITY_TYPES.has(id.type) && IDSYNC_TO_BATCH[id.type])
      .map((id) => ({
        identity_type: IDSYNC_TO_BATCH[id.type]!,
        identity: id.value,
        timestamp_unixtime_ms: id.firstSeen,
        created_this_batch: id.createdThisBatch,
      })),
    user_attributes: o.attributes,
    device_identities: o.identities.filter((id) => DEVICE_IDENTITY_TYPES.has(id.type)).map((id) => ({ type: id.type, value: id.value })),
    source_info: { channel: o.channel, ...(o.historical ? { is_historical: true } : {}), ...(o.importId ? { import_id: o.importId } : {}) },
    ...(o.consent && !isEmptyConsent(o.consent) ? { consent_state: o.consent } : {}),
    ...(o.notifications?.length ? { system_notifications: o.notifications } : {}),
    events: out,
  };
}
