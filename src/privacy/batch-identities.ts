/** The identities a stored batch carries, whatever its shape (inbound or outbound). */
import { BATCH_TO_IDSYNC, type Identity } from "../identity/identity-types";
import { batchIdentities } from "../identity/resolver";

/** The identities of a batch in any of its shapes: inbound (`user_identities` object) or outbound (array, `device_identities`). */
export function identitiesOfBatch(batch: Record<string, unknown>): Identity[] {
  const ids = batchIdentities({
    user_identities: Array.isArray(batch.user_identities) ? null : (batch.user_identities as Record<string, unknown> | null),
    device_info: batch.device_info as Record<string, unknown> | null,
    mp_deviceid: batch.mp_deviceid,
  });
  if (Array.isArray(batch.user_identities)) {
    for (const u of batch.user_identities as { identity_type?: unknown; identity?: unknown }[]) {
      const type = BATCH_TO_IDSYNC[String(u?.identity_type)];
      if (type && typeof u.identity === "string" && u.identity) ids.push({ type, value: u.identity });
    }
  }
  if (Array.isArray(batch.device_identities)) {
    for (const d of batch.device_identities as { type?: unknown; value?: unknown }[]) {
      if (typeof d?.type === "string" && typeof d.value === "string" && d.value) ids.push({ type: d.type, value: d.value });
    }
  }
  return ids;
}

