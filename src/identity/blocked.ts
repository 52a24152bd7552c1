/**
 * Blocked identity values per workspace (workspace setting `blocked_identity_values`): placeholder values
 * that many users share (`0`, `guest`, `undefined`, a zeroed advertising id…) are refused as identities,
 * so they never merge strangers into one hot profile, and are counted (drop reason `blocked_identity_value`).
 * After Segment Unify's "blocked values"; matched case-insensitively on the trimmed value, every identity type.
 */
import { z } from "zod";
import type { Identity } from "./identity-types";

/** Used when the workspace has no `blocked_identity_values` setting. */
export const DEFAULT_BLOCKED_IDENTITY_VALUES: readonly string[] = [
  "0",
  "-1",
  "1",
  "00000000-0000-0000-0000-000000000000",
  "null",
  "undefined",
  "none",
  "nil",
  "nan",
  "n/a",
  "na",
  "[object object]",
  "true",
  "false",
  "-",
  "guest",
  "anonymous",
  "unknown",
  "user",
  "test",
  "test@test.com",
  "test@example.com",
  "email@example.com",
  "noemail@noemail.com",
];
/** Most values a workspace may block (the setting is refused beyond it; see the workspace settings schema). */
export const BLOCKED_IDENTITY_VALUES_MAX = 1_000;

/** The `blocked_identity_values` workspace setting as the Platform API accepts it (replaces the defaults when set). */
export const blockedIdentityValuesSchema = z
  .array(z.string().trim().min(1).max(256))
  .max(BLOCKED_IDENTITY_VALUES_MAX)
  .describe("Identity values refused as identities in this workspace (case-insensitive). Unset: the default list; [] blocks nothing.");

const normalize = (v: string) => v.trim().toLowerCase();
const DEFAULT_SET: ReadonlySet<string> = new Set(DEFAULT_BLOCKED_IDENTITY_VALUES.map(normalize));
/** Settings objects come from the config cache (one object per refresh): the set is built once per object. */
const cache = new WeakMap<object, ReadonlySet<string>>();

/** The blocked values of a workspace's settings (the defaults when unset; an explicit empty list blocks nothing). */
export function blockedIdentityValues(settings: Record<string, unknown> | null | undefined): ReadonlySet<string> {
  const list = settings?.blocked_identity_values;
  if (!settings || !Array.isArray(list)) return DEFAULT_SET;
  let set = cache.get(settings);
  if (!set) {
    set = new Set(list.filter((v): v is string => typeof v === "string").slice(0, BLOCKED_IDENTITY_VALUES_MAX).map(normalize));
    cache.set(settings, set);
  }
  return set;
}

/** Whether a value is blocked. */
export const isBlockedValue = (blocked: ReadonlySet<string>, value: string): boolean => blocked.size > 0 && blocked.has(normalize(value));

/** The identities that are not blocked, and how many were refused. */
export function withoutBlocked(ids: Identity[], blocked: ReadonlySet<string> | undefined): { ids: Identity[]; refused: number } {
  if (!blocked || blocked.size === 0) return { ids, refused: 0 };
  const kept = ids.filter((id) => !isBlockedValue(blocked, id.value));
  return { ids: kept, refused: ids.length - kept.length };
}
