/**
 * mParticle's default service limits for incoming batches, as they apply to server-to-server data.
 * Source for every constant: mParticle "Default service limits" (docs repo
 * `guides/default-service-limits/index.md`, reference §9). Lengths are counted in UTF-16 code units
 * (JavaScript string length), and truncation never splits a surrogate pair.
 *
 * Where mParticle's SDKs reject or drop, S2S ingestion is documented to truncate names; we truncate
 * or cap everything rather than lose whole events or attributes, and report what was changed.
 *
 * Covered: custom_event `event_name`, screen_view `screen_name` and commerce_event `event_name`;
 * every event's `data.custom_attributes`; batch `user_attributes` (and the names in
 * `deleted_user_attributes`, so a deletion still matches the truncated name it was stored under); batch
 * `user_identities` values over MAX_IDENTITY_VALUE_LENGTH (dropped).
 * Not covered: product and promotion `custom_attributes`, `custom_flags`, `user_attribute_change`
 * payloads, device identities, and sizes (batch bytes, events per batch, per-workspace name counts).
 */
import type { Batch, UserAttributeValue } from "./batch";

/** "Event name length: 256 chars" — SDK rejects the event, S2S truncates. */
export const MAX_EVENT_NAME_LENGTH = 256;
/** "Event attribute name length: 256 chars" — S2S truncates the name. */
export const MAX_EVENT_ATTRIBUTE_NAME_LENGTH = 256;
/**
 * "Event attribute value length: 4096 chars" — documented for SDKs (which drop the attribute);
 * S2S behaviour is not documented, we truncate the value to keep the attribute.
 */
export const MAX_EVENT_ATTRIBUTE_VALUE_LENGTH = 4096;
/** "Unique attributes per event: 100" — SDK drops all; we keep the first 100 and drop the rest. */
export const MAX_EVENT_ATTRIBUTES = 100;
/** "User attributes per batch: 100" — we keep the first 100. */
export const MAX_USER_ATTRIBUTES = 100;
/** "User attribute name length: 256 chars" — truncated. */
export const MAX_USER_ATTRIBUTE_NAME_LENGTH = 256;
/** "User attribute value length: 4096 chars" — truncated. */
export const MAX_USER_ATTRIBUTE_VALUE_LENGTH = 4096;
/** "User attribute list: 1000 entries" — we keep the first 1000. */
export const MAX_USER_ATTRIBUTE_LIST_ENTRIES = 1000;
/** "User attribute list entry length: 512 chars" — truncated. */
export const MAX_USER_ATTRIBUTE_LIST_ENTRY_LENGTH = 512;

/**
 * Longest identity value, in UTF-16 code units (our bound: mParticle publishes none, reference §9). The
 * longest standard identifiers are far shorter: an email is at most 254 characters (RFC 5321), push tokens
 * and advertising ids are under 256. Over it, a batch's identity is dropped (a cut identity would be
 * another identity) and the Identity API answers 400.
 */
export const MAX_IDENTITY_VALUE_LENGTH = 1024;

/** What `applyServiceLimits` changed; every field is 0 when the batch was within limits. */
export type LimitCounts = {
  /** Event names (or screen names) shortened. */
  truncated_event_names: number;
  /** Event attribute names shortened. */
  truncated_attribute_names: number;
  /** Event attribute string values shortened. */
  truncated_attribute_values: number;
  /** Event attributes dropped: beyond the first 100, or a duplicate name once truncated. */
  dropped_event_attributes: number;
  /** User attributes dropped: beyond the first 100, or a duplicate name once truncated. */
  dropped_user_attributes: number;
  /** User attributes whose name, value or list entries were shortened (each attribute once). */
  truncated_user_attributes: number;
  /** User attribute lists cut to 1000 entries. */
  truncated_lists: number;
  /** `user_identities` values dropped: longer than MAX_IDENTITY_VALUE_LENGTH. */
  dropped_identities: number;
};

/** Cuts `s` to at most `max` UTF-16 code units without leaving half a surrogate pair. */
export function truncate(s: string, max: number): string {
  if (s.length <= max) return s;
  const last = s.charCodeAt(max - 1);
  // A high surrogate as the last kept unit would be orphaned: drop it too.
  return s.slice(0, last >= 0xd800 && last <= 0xdbff ? max - 1 : max);
}

const emptyCounts = (): LimitCounts => ({
  truncated_event_names: 0,
  truncated_attribute_names: 0,
  truncated_attribute_values: 0,
  dropped_event_attributes: 0,
  dropped_user_attributes: 0,
  truncated_user_attributes: 0,
  truncated_lists: 0,
  dropped_identities: 0,
});

/** True when the map needs rebuilding: too many keys, or a key that must be truncated. */
function needsRebuild(map: Record<string, unknown>, maxKeys: number, maxName: number): boolean {
  let n = 0;
  for (const k in map) {
    if (++n > maxKeys || k.length > maxName) return true;
  }
  return false;
}

/**
 * Keeps the first `maxKeys` distinct names (after truncation) in insertion order; the first of two
 * names that collide once truncated wins. Returns the new map and how many entries were dropped.
 */
function capNames<V>(
  map: Record<string, V>,
  maxKeys: number,
  maxName: number,
  onTruncatedName: () => void,
): { map: Record<string, V>; dropped: number } {
  const out: Record<string, V> = {};
  let kept = 0;
  let dropped = 0;
  for (const [key, value] of Object.entries(map)) {
    const name = truncate(key, maxName);
    if (kept >= maxKeys || Object.prototype.hasOwnProperty.call(out, name)) {
      dropped++;
      continue;
    }
    if (name !== key) onTruncatedName();
    out[name] = value;
    kept++;
  }
  return { map: out, dropped };
}

type EventAttributes = NonNullable<Batch["events"][number]["data"]["custom_attributes"]>;

function limitEventAttributes(attrs: EventAttributes, c: LimitCounts): EventAttributes {
  let map = attrs;
  if (needsRebuild(attrs, MAX_EVENT_ATTRIBUTES, MAX_EVENT_ATTRIBUTE_NAME_LENGTH)) {
    const r = capNames(attrs, MAX_EVENT_ATTRIBUTES, MAX_EVENT_ATTRIBUTE_NAME_LENGTH, () => {
      c.truncated_attribute_names++;
    });
    c.dropped_event_attributes += r.dropped;
    map = r.map;
  }
  for (const k in map) {
    const v = map[k];
    if (typeof v === "string" && v.length > MAX_EVENT_ATTRIBUTE_VALUE_LENGTH) {
      map[k] = truncate(v, MAX_EVENT_ATTRIBUTE_VALUE_LENGTH);
      c.truncated_attribute_values++;
    }
  }
  return map;
}

/** Applies the list and value limits to one user attribute value; reports whether it changed. */
function limitUserAttributeValue(
  v: UserAttributeValue,
  c: LimitCounts,
): { value: UserAttributeValue; truncated: boolean } {
  if (typeof v === "string") {
    return v.length > MAX_USER_ATTRIBUTE_VALUE_LENGTH
      ? { value: truncate(v, MAX_USER_ATTRIBUTE_VALUE_LENGTH), truncated: true }
      : { value: v, truncated: false };
  }
  if (!Array.isArray(v)) return { value: v, truncated: false };
  let list = v;
  if (list.length > MAX_USER_ATTRIBUTE_LIST_ENTRIES) {
    list = list.slice(0, MAX_USER_ATTRIBUTE_LIST_ENTRIES);
    c.truncated_lists++;
  }
  let truncated = false;
  for (let i = 0; i < list.length; i++) {
    const e = list[i];
    if (typeof e === "string" && e.length > MAX_USER_ATTRIBUTE_LIST_ENTRY_LENGTH) {
      list[i] = truncate(e, MAX_USER_ATTRIBUTE_LIST_ENTRY_LENGTH);
      truncated = true;
    }
  }
  return { value: list, truncated };
}

function limitUserAttributes(attrs: Record<string, UserAttributeValue>, c: LimitCounts) {
  let map = attrs;
  const renamed = new Set<string>();
  if (needsRebuild(attrs, MAX_USER_ATTRIBUTES, MAX_USER_ATTRIBUTE_NAME_LENGTH)) {
    const r = capNames(attrs, MAX_USER_ATTRIBUTES, MAX_USER_ATTRIBUTE_NAME_LENGTH, () => {});
    c.dropped_user_attributes += r.dropped;
    map = r.map;
    for (const k in map) if (!Object.prototype.hasOwnProperty.call(attrs, k)) renamed.add(k);
  }
  for (const k in map) {
    const r = limitUserAttributeValue(map[k] as UserAttributeValue, c);
    map[k] = r.value;
    if (r.truncated || renamed.has(k)) c.truncated_user_attributes++;
  }
  return map;
}

/**
 * Enforces the service limits on a parsed batch, in place, and returns what was changed so the
 * caller can count it. Idempotent: a second call changes nothing and returns all zeros.
 */
export function applyServiceLimits(batch: Batch): LimitCounts {
  const c = emptyCounts();
  for (const event of batch.events) {
    if (event.event_type === "custom_event") {
      const d = event.data;
      if (d.event_name.length > MAX_EVENT_NAME_LENGTH) {
        d.event_name = truncate(d.event_name, MAX_EVENT_NAME_LENGTH);
        c.truncated_event_names++;
      }
    } else if (event.event_type === "screen_view") {
      const d = event.data;
      if (d.screen_name.length > MAX_EVENT_NAME_LENGTH) {
        d.screen_name = truncate(d.screen_name, MAX_EVENT_NAME_LENGTH);
        c.truncated_event_names++;
      }
    } else if (event.event_type === "commerce_event") {
      const d = event.data;
      if (d.event_name !== undefined && d.event_name.length > MAX_EVENT_NAME_LENGTH) {
        d.event_name = truncate(d.event_name, MAX_EVENT_NAME_LENGTH);
        c.truncated_event_names++;
      }
    }
    const d = event.data;
    if (d.custom_attributes) d.custom_attributes = limitEventAttributes(d.custom_attributes, c);
  }
  if (batch.user_attributes) batch.user_attributes = limitUserAttributes(batch.user_attributes, c);
  const ids = batch.user_identities as Record<string, unknown> | undefined;
  if (ids) {
    for (const k of Object.keys(ids)) {
      const v = ids[k];
      if (typeof v === "string" && v.length > MAX_IDENTITY_VALUE_LENGTH) {
        delete ids[k];
        c.dropped_identities++;
      }
    }
  }
  if (batch.deleted_user_attributes) {
    batch.deleted_user_attributes = batch.deleted_user_attributes.map((n) =>
      truncate(n, MAX_USER_ATTRIBUTE_NAME_LENGTH),
    );
  }
  return c;
}
