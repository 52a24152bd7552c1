/**
 * The member snapshot an audience change carries (src/audiences/changes.ts): identities renamed to the Events
 * API vocabulary (user identities by batch key, device identities by `device_info` field) and the workspace's
 * live user attributes. Pure over plain data.
 */
import type { MemberSnapshot } from "../../audiences";
import { DEVICE_INFO_TO_IDSYNC, IDSYNC_TO_BATCH } from "../../identity/identity-types";

/** A snapshot whose JSON is larger than this leaves the attributes out (a queue message holds 128 KB). */
export const MEMBER_SNAPSHOT_MAX_BYTES = 48 * 1024;

const IDSYNC_TO_DEVICE_INFO: Record<string, string> = Object.fromEntries(Object.entries(DEVICE_INFO_TO_IDSYNC).map(([k, v]) => [v, k]));

/** Builds the snapshot; the first value of a type wins (identities come ordered by type, then first seen). */
export function memberSnapshot(identities: { type: string; value: string }[], attributes: Record<string, unknown>, memberships?: number[]): MemberSnapshot {
  const user_identities: Record<string, string> = {};
  const device_identities: Record<string, string> = {};
  for (const { type, value } of identities) {
    const device = IDSYNC_TO_DEVICE_INFO[type];
    if (device) device_identities[device] ??= value;
    else if (IDSYNC_TO_BATCH[type]) user_identities[IDSYNC_TO_BATCH[type]] ??= value;
  }
  const with_ = memberships ? { audience_memberships: memberships } : {};
  const snap: MemberSnapshot = { user_identities, device_identities, user_attributes: attributes, ...with_ };
  if (JSON.stringify(snap).length <= MEMBER_SNAPSHOT_MAX_BYTES) return snap;
  return { user_identities, device_identities, user_attributes: {}, attributes_omitted: true, ...with_ };
}
