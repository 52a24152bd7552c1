/**
 * Facebook upload (audience-outputs.md §1.2): per custom audience and action one `POST` (add) or `DELETE`
 * (remove) of `/{audience_id}/users` with `{"payload":{schema, data}}`, at most 10,000 rows each.
 * Single-key audiences use Meta's single-key schemas (`EMAIL_SHA256`, `PHONE_SHA256`, `UID`,
 * `MOBILE_ADVERTISER_ID`); the multi-key audience and value-based audiences send a list schema with `is_raw`.
 */
import type { AudienceMember, AudienceRequest, AudienceUploadInput, SkippedMember } from "../../runtime/audience-types";
import { attribute, byAction, device, identity, phones } from "../shared/members";
import { chunk } from "../../runtime/batching";
import { authQuery, graphHeaders } from "./auth";
import { hashKey, madid, numericValue } from "./normalize";
import { audienceKeys, audiencesOf, GRAPH, MAX_ROWS_PER_REQUEST, type AudienceKey, type FacebookAudienceConfig, type FacebookAudienceConnection } from "./settings";

type Input = AudienceUploadInput<FacebookAudienceConfig, FacebookAudienceConnection>;
type Cell = string | number;
type Rows = { mpid: string; row: Cell[] }[];

const SINGLE_SCHEMA: Record<Exclude<AudienceKey, "multikey">, string> = { email: "EMAIL_SHA256", phone: "PHONE_SHA256", fbid: "UID", madid: "MOBILE_ADVERTISER_ID" };
/** Value-based audiences take a list schema: the multi-key name of the key, then LOOKALIKE_VALUE (META-VBL). */
const VALUE_SCHEMA: Record<Exclude<AudienceKey, "multikey">, string> = { email: "EMAIL", phone: "PHONE", fbid: "UID", madid: "MADID" };
const ATTRIBUTE_KEYS = [
  ["GEN", "$gender"],
  ["FN", "$firstname"],
  ["LN", "$lastname"],
  ["FI", "$firstname"],
  ["CT", "$city"],
  ["ST", "$state"],
  ["ZIP", "$zip"],
  ["COUNTRY", "$country"],
] as const;

/** The values of one identity group for a member (a member may have several phones or both IDFA and GAID). */
async function values(key: Exclude<AudienceKey, "multikey">, m: AudienceMember, c: FacebookAudienceConnection): Promise<string[]> {
  const out: (string | undefined)[] = [];
  if (key === "email") out.push(await hashKey("EMAIL", identity(m, c.externalEmailIdentityType)));
  if (key === "phone") out.push(...(await Promise.all(phones(m).map((p) => hashKey("PHONE", p)))));
  if (key === "fbid") out.push(identity(m, "facebook"));
  if (key === "madid") {
    if (c.identities.includes("idfa")) out.push(madid(device(m, "idfa")));
    if (c.identities.includes("gaid")) out.push(madid(device(m, "gaid")));
  }
  return [...new Set(out.filter((v): v is string => v !== undefined))];
}

/** The multi-key columns the settings call for. */
export function multiKeySchema(c: FacebookAudienceConnection): string[] {
  const s: string[] = [];
  if (c.multiKeyExternalIdType) s.push("EXTERN_ID");
  if (c.identities.includes("email")) s.push("EMAIL");
  if (c.identities.includes("phone")) s.push("PHONE");
  if (c.identities.includes("idfa") || c.identities.includes("gaid")) s.push("MADID");
  if (c.matchOnUserAttributes) s.push(...ATTRIBUTE_KEYS.map(([k]) => k));
  if (c.isValueBased) s.push("LOOKALIKE_VALUE");
  return s;
}

/** One multi-key row ("" for unknown keys, as Meta asks), or undefined when no identity column has a value. */
async function multiKeyRow(schema: string[], m: AudienceMember, c: FacebookAudienceConnection, value: number): Promise<Cell[] | undefined> {
  const row: Cell[] = [];
  let matchable = false;
  for (const col of schema) {
    let v: Cell | undefined;
    if (col === "EXTERN_ID") v = await hashKey("EXTERN_ID", identity(m, c.multiKeyExternalIdType!));
    else if (col === "EMAIL") v = (await values("email", m, c))[0];
    else if (col === "PHONE") v = (await values("phone", m, c))[0];
    else if (col === "MADID") v = (await values("madid", m, c))[0];
    else if (col === "LOOKALIKE_VALUE") v = value;
    else v = await hashKey(col as "GEN", attribute(m, ATTRIBUTE_KEYS.find(([k]) => k === col)![1]));
    if (v !== undefined && ["EXTERN_ID", "EMAIL", "PHONE", "MADID"].includes(col)) matchable = true;
    row.push(v ?? "");
  }
  return matchable ? row : undefined;
}

/**
 * LOOKALIKE_VALUE of a member, or why it is not sent: adds need a value > 0 (≥ 0 with Allow Zero Values,
 * which also sends a missing value as 0); negatives never. Removals send the value or 0 (keys match).
 */
function valueOf(m: AudienceMember, c: FacebookAudienceConnection, action: "add" | "delete"): number | { reason: string } {
  const v = numericValue(m.user_attributes?.[c.valueAttribute!]);
  if (action === "delete") return v !== undefined && v >= 0 ? v : 0;
  if (v === undefined) return c.allowZeroValues ? 0 : { reason: `no numeric ${c.valueAttribute} for the value based audience` };
  if (v < 0) return { reason: `negative ${c.valueAttribute} is never sent to a value based audience` };
  if (v === 0 && !c.allowZeroValues) return { reason: `${c.valueAttribute} is 0 (Allow Zero Values is off)` };
  return v;
}

/** Pure: the requests of one upload, and the members nothing could be sent for. */
export async function uploadFacebook(input: Input): Promise<{ requests: AudienceRequest[]; skipped: SkippedMember[] }> {
  const { config, connection: c, state } = input;
  const ids = audiencesOf(state);
  const keys = audienceKeys(c).filter((k) => ids[k] !== undefined);
  const requests: AudienceRequest[] = [];
  const sent = new Set<string>();
  const why = new Map<string, string>();
  const query = await authQuery(config);
  for (const { action, members } of byAction(input.changes)) {
    const valued = new Map<string, number>();
    const eligible = members.filter((m) => {
      if (!c.isValueBased) return true;
      const v = valueOf(m, c, action);
      if (typeof v === "number") return valued.set(m.mpid, v), true;
      why.set(m.mpid, v.reason);
      return false;
    });
    for (const key of keys) {
      const rows: Rows = [];
      const schema = key === "multikey" ? multiKeySchema(c) : c.isValueBased ? [VALUE_SCHEMA[key], "LOOKALIKE_VALUE"] : SINGLE_SCHEMA[key];
      for (const m of eligible) {
        if (key === "multikey") {
          const row = await multiKeyRow(schema as string[], m, c, valued.get(m.mpid) ?? 0);
          if (row) rows.push({ mpid: m.mpid, row });
        } else for (const v of await values(key, m, c)) rows.push({ mpid: m.mpid, row: c.isValueBased ? [v, valued.get(m.mpid)!] : [v] });
      }
      for (const part of chunk(rows, { maxItems: MAX_ROWS_PER_REQUEST })) {
        part.forEach((r) => sent.add(r.mpid));
        const list = Array.isArray(schema);
        const payload: Record<string, unknown> = { schema, data: list ? part.map((r) => r.row) : part.map((r) => r.row[0]) };
        if (list) payload.is_raw = true;
        if (key === "fbid") payload.app_ids = [c.facebookAppId];
        requests.push({
          method: action === "add" ? "POST" : "DELETE",
          url: `${GRAPH}/${ids[key]}/users${query}`,
          headers: graphHeaders(config),
          body: JSON.stringify({ payload }),
          action,
          mpids: part.map((r) => r.mpid),
        });
      }
    }
  }
  const skipped: SkippedMember[] = [];
  for (const { member: m } of input.changes) {
    if (sent.has(m.mpid)) continue;
    skipped.push({ mpid: m.mpid, reason: why.get(m.mpid) ?? (keys.length ? `no identity Facebook can match (${c.identities.join(", ")})` : "the Facebook custom audiences do not exist yet (connect has not run)") });
  }
  return { requests, skipped };
}
