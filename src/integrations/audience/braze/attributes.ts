/**
 * Segment membership as Braze custom attributes (seed 002 "Braze", audience-outputs.md §2.1).
 *
 * - `SegmentMembership` (string): the user's audience ids as `'13053','13052','13051'`, rewritten in full on
 *   each change (Braze matches it with "matches regex"). It needs the user's current set of audiences
 *   connected to this output — mParticle sends each configuration's own id set (its docs warn that several
 *   configurations on one Braze workspace overwrite each other) — which the member carries as
 *   `audience_memberships` (see `membershipsOf`). At most 255 characters: the newest audience ids (highest
 *   first) are kept, and always the one just joined.
 * - `SegmentMembershipArray`: Braze's array operations `{"add": ["13051"]}` / `{"remove": ["13051"]}`, which
 *   need no current set; Braze keeps at most 25 elements (100 on request) and an added element moves to the
 *   end, so the latest memberships stay.
 * - `In <External Name>`: `true` on enter, `false` on exit; keys are cut to 255 characters.
 */
import type { AudienceMember, AudienceRef } from "../../runtime/audience-types";
import { MAX_ATTRIBUTE_CHARS, MODE, type SendSegmentsAs } from "./settings";

export const STRING_ATTRIBUTE = "SegmentMembership";
export const ARRAY_ATTRIBUTE = "SegmentMembershipArray";

/**
 * The user's current audience ids (after this change) when the uploader provides them on the member as
 * `audience_memberships` (numbers or numeric strings); undefined when it does not.
 */
export function membershipsOf(member: AudienceMember): number[] | undefined {
  const raw: unknown = member.audience_memberships;
  if (!Array.isArray(raw)) return undefined;
  return raw.map((v) => (typeof v === "number" ? v : typeof v === "string" && /^\d+$/.test(v) ? Number(v) : NaN)).filter((n) => Number.isSafeInteger(n));
}

/** The string attribute's value: quoted ids, highest first, within 255 characters, `keep` always included. */
export function membershipString(ids: number[], keep?: number): string | null {
  const sorted = [...new Set(ids)].sort((a, b) => b - a);
  if (!sorted.length) return null;
  const quoted = (id: number) => `'${id}'`;
  let out = keep !== undefined ? [keep] : [];
  let length = keep !== undefined ? quoted(keep).length : 0;
  for (const id of sorted) {
    if (id === keep) continue;
    const add = quoted(id).length + (out.length ? 1 : 0);
    if (length + add > MAX_ATTRIBUTE_CHARS) continue;
    out.push(id);
    length += add;
  }
  out = out.sort((a, b) => b - a);
  return out.map(quoted).join(",");
}

/** The membership attributes of one change, or why the mode cannot be written for this member. */
export function membershipAttributes(
  mode: SendSegmentsAs,
  audience: AudienceRef,
  action: "add" | "delete",
  member: AudienceMember,
): { attrs: Record<string, unknown> } | { reason: string } {
  const m = MODE[mode];
  const out: Record<string, unknown> = {};
  if (m.string) {
    const current = membershipsOf(member);
    if (!current) return { reason: "Send Segments As writes SegmentMembership, which needs the user's current audience memberships (audience_memberships), not provided" };
    const ids = action === "add" ? [...current, audience.id] : current.filter((id) => id !== audience.id);
    out[STRING_ATTRIBUTE] = membershipString(ids, action === "add" ? audience.id : undefined);
  }
  if (m.array) out[ARRAY_ATTRIBUTE] = { [action === "add" ? "add" : "remove"]: [String(audience.id)] };
  if (m.boolean) out[`In ${audience.external_name}`.slice(0, MAX_ATTRIBUTE_CHARS)] = action === "add";
  return { attrs: out };
}
