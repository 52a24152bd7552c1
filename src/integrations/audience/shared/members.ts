/**
 * Reading an audience member (AudienceMember, src/integrations/runtime/audience-types.ts) the way partner
 * modules need it: identities by batch name, device ids under either vocabulary, reserved user attributes.
 */
import type { AudienceMember, AudienceRequest, MembershipChange } from "../../runtime/audience-types";
import { chunk } from "../../runtime/batching";

const str = (v: unknown): string | undefined =>
  typeof v === "string" ? (v.trim() ? v : undefined) : typeof v === "number" && Number.isFinite(v) ? String(v) : undefined;

/**
 * Device id names: the contract names `device_info` fields (`android_advertising_id`, `ios_idfv`, …) but
 * also shows the IDSync name `ios_idfa`; both vocabularies are read so a member carries its ids either way.
 */
const DEVICE_ALIASES = {
  idfa: ["ios_advertising_id", "ios_idfa"],
  gaid: ["android_advertising_id", "android_aaid"],
  idfv: ["ios_idfv"],
  android_id: ["android_uuid"],
} as const;
export type DeviceKind = keyof typeof DEVICE_ALIASES;

/** Identity names with their alternative spellings (Events API batch vs IDSync). */
const IDENTITY_ALIASES: Record<string, string[]> = {
  customer_id: ["customer_id", "customerid"],
  other_id_2: ["other_id_2", "other2"],
  other_id_3: ["other_id_3", "other3"],
  other_id_4: ["other_id_4", "other4"],
};

/** A user identity of the member (`customer_id`, `email`, `mobile_number`, `other`, …; `mpid` = the MPID). */
export function identity(member: AudienceMember, type: string): string | undefined {
  if (type === "mpid") return member.mpid;
  for (const name of IDENTITY_ALIASES[type] ?? [type]) {
    const v = str(member.user_identities?.[name]);
    if (v !== undefined) return v;
  }
  return undefined;
}

/** A device id of the member by kind. */
export function device(member: AudienceMember, kind: DeviceKind): string | undefined {
  for (const name of DEVICE_ALIASES[kind]) {
    const v = str(member.device_identities?.[name]);
    if (v !== undefined) return v;
  }
  return undefined;
}

/** A user attribute as a non-empty string (numbers stringified); `$`-reserved names match case-insensitively. */
export function attribute(member: AudienceMember, name: string): string | undefined {
  const attrs = member.user_attributes ?? {};
  if (name in attrs) return str(attrs[name]);
  const lower = name.toLowerCase();
  const key = Object.keys(attrs).find((k) => k.toLowerCase() === lower);
  return key === undefined ? undefined : str(attrs[key]);
}

/**
 * The member's phone numbers, without duplicates: `mobile_number`, `phone_number_2`, `phone_number_3` and the
 * `$mobile` attribute (seed 002 Snapchat: "Mobile Telephone Number, Phone Number 2, Phone Number 3 and $mobile").
 */
export function phones(member: AudienceMember): string[] {
  const all = [identity(member, "mobile_number"), identity(member, "phone_number_2"), identity(member, "phone_number_3"), attribute(member, "$mobile")];
  return [...new Set(all.filter((v): v is string => v !== undefined))];
}

/** Changes split by action, each keeping input order. */
export function byAction(changes: MembershipChange[]): { action: "add" | "delete"; members: AudienceMember[] }[] {
  const out: { action: "add" | "delete"; members: AudienceMember[] }[] = [];
  for (const action of ["add", "delete"] as const) {
    const members = changes.filter((c) => c.action === action).map((c) => c.member);
    if (members.length) out.push({ action, members });
  }
  return out;
}

/**
 * The upload shape of partners that keep one partner-side list per identity kind (Snapchat segments, Pinterest
 * lists): per action and list, the members' hashes in requests of at most `maxPerRequest` rows (`mpids` follow
 * the rows); members no list could take are returned as `unsent`.
 */
export async function uploadPerList<K extends string>(
  changes: MembershipChange[],
  keys: K[],
  hashesOf: (key: K, m: AudienceMember) => Promise<string[]>,
  maxPerRequest: number,
  request: (key: K, action: "add" | "delete", hashes: string[]) => Omit<AudienceRequest, "action" | "mpids">,
): Promise<{ requests: AudienceRequest[]; unsent: MembershipChange[] }> {
  const requests: AudienceRequest[] = [];
  const sent = new Set<string>();
  for (const { action, members } of byAction(changes)) {
    for (const key of keys) {
      const rows: { mpid: string; hash: string }[] = [];
      for (const m of members) for (const hash of await hashesOf(key, m)) rows.push({ mpid: m.mpid, hash });
      for (const part of chunk(rows, { maxItems: maxPerRequest })) {
        part.forEach((r) => sent.add(r.mpid));
        requests.push({ ...request(key, action, part.map((r) => r.hash)), action, mpids: part.map((r) => r.mpid) });
      }
    }
  }
  return { requests, unsent: changes.filter((c) => !sent.has(c.member.mpid)) };
}
