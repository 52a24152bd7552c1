/**
 * Pixel Service hit → batch (mparticle-api.md §5): the query parameters of `GET /v1/{apiKey}/Pixel`
 * become one batch with one `custom_event` (`dt=AppEvent`) or `screen_view` (`dt=ScreenView`), which
 * then goes through the pipeline like any web batch. Pure: no env, no I/O.
 */
import type { ErrorEntry } from "../lib/errors";
import { parseBatch } from "../schema/batch";
import { CUSTOM_EVENT_TYPES, type CustomEventType, IDENTITY_TYPES, type IdentityType } from "../schema/batch-vocabulary";
import { BATCH_TO_IDSYNC } from "../identity/identity-types";
import { listParam, PixelParamError, type RawQuery, rawQuery, scalarParam } from "./pixel-query";

export { PixelParamError } from "./pixel-query";

/** `dt` values (case-insensitive) and the event type each becomes. */
export const PIXEL_MESSAGE_TYPES = { appevent: "custom_event", screenview: "screen_view" } as const;

/** Web SDK `EventType` (Unknown = 0 … Media = 9) → batch `custom_event_type`. */
const EVENT_TYPE_CODES: readonly CustomEventType[] = ["unknown", "navigation", "location", "search", "transaction", "user_content", "user_preference", "social", "other", "media"];

/** Web SDK `IdentityType` codes (mparticle-api.md §2.9) → batch `user_identities` key. */
const IDENTITY_TYPE_CODES: Record<number, IdentityType> = {
  0: "other", 1: "customer_id", 2: "facebook", 3: "twitter", 4: "google", 5: "microsoft", 6: "yahoo", 7: "email", 8: "alias",
  9: "facebook_custom_audience_id", 10: "other_id_2", 11: "other_id_3", 12: "other_id_4", 13: "other_id_5", 14: "other_id_6",
  15: "other_id_7", 16: "other_id_8", 17: "other_id_9", 18: "other_id_10", 19: "mobile_number", 20: "phone_number_2", 21: "phone_number_3",
};

/** Names compared without case, spaces, `_` or `-`: `UserContent`, `user_content`, `Other2`, `other_id_2`. */
const norm = (s: string) => s.toLowerCase().replace(/[\s_-]+/g, "");

const EVENT_TYPE_NAMES = new Map<string, CustomEventType>(CUSTOM_EVENT_TYPES.map((t) => [norm(t), t]));

/** Batch keys, IDSync keys and Web SDK names of every user identity type, plus the SDK's hashed-id shortcuts. */
const IDENTITY_NAMES = new Map<string, IdentityType>([
  ...IDENTITY_TYPES.flatMap((t): [string, IdentityType][] => [[norm(t), t], [norm(BATCH_TO_IDSYNC[t] ?? t), t]]),
  ["emailsha256", "other"],
  ["mobilesha256", "other_id_2"],
]);

/** Parameters describing the page of a hit, kept as event attributes under the Web SDK's page-view names. */
const PAGE_ATTRIBUTES = { hn: "hostname", ttl: "title", path: "path" } as const;

export type PixelHit = { ok: true; batch: Record<string, unknown> } | { ok: false; errors: ErrorEntry[] };

function bad(message: string): never {
  throw new PixelParamError(message);
}

function eventType(et: string | undefined): CustomEventType {
  if (et === undefined) return "other";
  const t = /^\d+$/.test(et.trim()) ? EVENT_TYPE_CODES[Number(et)] : EVENT_TYPE_NAMES.get(norm(et));
  return t ?? bad(`Parameter "et" must be a Web SDK EventType name (Unknown, Navigation, Location, Search, Transaction, UserContent, UserPreference, Social, Other, Media) or its number 0-9; got ${JSON.stringify(et)}.`);
}

function identityType(t: unknown, i: number): IdentityType {
  const s = typeof t === "string" || typeof t === "number" ? String(t).trim() : "";
  const type = /^\d+$/.test(s) ? IDENTITY_TYPE_CODES[Number(s)] : IDENTITY_NAMES.get(norm(s));
  return type ?? bad(`ui_t[${i}]: unknown identity type ${JSON.stringify(t)} (use a name such as email, customerid, other2, or a Web SDK IdentityType number).`);
}

function timestamp(ct: string | undefined, now: number): number {
  if (ct === undefined) return now;
  const n = /^\d{1,16}$/.test(ct.trim()) ? Number(ct) : NaN;
  if (!Number.isSafeInteger(n)) bad(`Parameter "ct" must be a Unix time in milliseconds (digits only); got ${JSON.stringify(ct)}.`);
  // 10^11 ms is March 1973: a smaller value is almost certainly seconds.
  if (n < 1e11) bad(`Parameter "ct" must be in milliseconds; ${ct} looks like seconds.`);
  if (n > 8.64e15) bad(`Parameter "ct" is beyond the largest date.`);
  return n;
}

function environment(dbg: string | undefined): "development" | "production" {
  const d = dbg?.trim().toLowerCase();
  if (d === undefined || d === "false" || d === "0") return "production";
  if (d === "true" || d === "1") return "development";
  return bad(`Parameter "dbg" must be true or false; got ${JSON.stringify(dbg)}.`);
}

function location(lc: string | undefined): Record<string, unknown> | undefined {
  if (lc === undefined) return undefined;
  const parts = lc.trim().replace(/^\[|\]$/g, "").split(",").map((p) => p.trim());
  const [lat, lon] = parts.map((p) => (/^-?(?:\d+\.?\d*|\.\d+)$/.test(p) ? Number(p) : NaN));
  if (parts.length !== 2 || !(Math.abs(lat!) <= 90) || !(Math.abs(lon!) <= 180)) {
    bad(`Parameter "lc" must be "latitude,longitude" (decimal degrees, latitude within ±90, longitude within ±180); got ${JSON.stringify(lc)}.`);
  }
  return { latitude: lat, longitude: lon, location_source: "lat_long" };
}

function consentState(cs: string | undefined): Record<string, unknown> | undefined {
  if (cs === undefined) return undefined;
  let v: unknown;
  try {
    v = JSON.parse(cs);
  } catch (err) {
    bad(`Parameter "consent_state" must be a JSON object: ${(err as Error).message}.`);
  }
  if (typeof v !== "object" || v === null || Array.isArray(v)) bad(`Parameter "consent_state" must be a JSON object.`);
  return v as Record<string, unknown>;
}

type Entry = [key: string, value: unknown];

/** A key list and its value list as pairs: equal lengths, non-empty keys, values checked by `value`. */
function pairs(q: RawQuery, k: string, v: string, value: (x: unknown, i: number) => unknown): Entry[] {
  const keys = listParam(q, k);
  const values = listParam(q, v);
  if (keys.length !== values.length) bad(`Parameters "${k}" and "${v}" must have the same number of entries (${keys.length} and ${values.length}).`);
  return keys.map((key, i): Entry => {
    if ((typeof key !== "string" && typeof key !== "number") || String(key).trim() === "") bad(`${k}[${i}] must be a non-empty string; got ${JSON.stringify(key)}.`);
    return [String(key), value(values[i], i)];
  });
}

const isScalar = (x: unknown) => x === null || typeof x === "string" || typeof x === "boolean" || (typeof x === "number" && Number.isFinite(x));

function scalar(name: string) {
  return (x: unknown, i: number) => (isScalar(x) ? x : bad(`${name}[${i}] must be a string, number, boolean or null.`));
}

function userAttributeValue(x: unknown, i: number): unknown {
  if (isScalar(x) || (Array.isArray(x) && x.every((e) => e !== null && isScalar(e)))) return x;
  return bad(`ua_v[${i}] must be a string, number, boolean, null or an array of those.`);
}

function identityValue(x: unknown, i: number): unknown {
  if (typeof x === "string" || typeof x === "number" || x === null) return x === null ? null : String(x);
  return bad(`ui_v[${i}] must be a string.`);
}

/** Builds the batch of one hit from its parameters; `now` is the receipt time. Throws PixelParamError. */
export function buildPixelBatch(q: RawQuery, now: number): Record<string, unknown> {
  const dt = scalarParam(q, "dt");
  if (dt === undefined) bad(`Parameter "dt" is required: AppEvent or ScreenView.`);
  const type = PIXEL_MESSAGE_TYPES[dt.trim().toLowerCase() as keyof typeof PIXEL_MESSAGE_TYPES];
  if (!type) bad(`Parameter "dt" must be AppEvent or ScreenView; got ${JSON.stringify(dt)}.`);
  const name = scalarParam(q, "n");
  if (name === undefined) bad(`Parameter "n" (the event or page name) is required.`);

  // Object.fromEntries defines own properties: a "__proto__" key stays a key. Later entries win.
  const page = Object.entries(PAGE_ATTRIBUTES).map(([param, attr]): Entry => [attr, scalarParam(q, param)]).filter(([, v]) => v !== undefined);
  const attributes = Object.fromEntries([...page, ...pairs(q, "attrs_k", "attrs_v", scalar("attrs_v"))]);
  const flags = Object.fromEntries(pairs(q, "flags_k", "flags_v", (x) => x));
  const userAttributes = Object.fromEntries(pairs(q, "ua_k", "ua_v", userAttributeValue));
  const identities: Record<string, unknown> = {};
  pairs(q, "ui_t", "ui_v", identityValue).forEach(([t, v], i) => {
    const key = identityType(t, i);
    if (key in identities) bad(`ui_t names the identity type ${key} more than once.`);
    identities[key] = v;
  });

  const data: Record<string, unknown> = type === "custom_event"
    ? { event_name: name, custom_event_type: eventType(scalarParam(q, "et")) }
    : { screen_name: name };
  data.timestamp_unixtime_ms = timestamp(scalarParam(q, "ct"), now);
  if (Object.keys(attributes).length) data.custom_attributes = attributes;
  if (Object.keys(flags).length) data.custom_flags = flags;
  const loc = location(scalarParam(q, "lc"));
  if (loc) data.location = loc;

  const batch: Record<string, unknown> = { environment: environment(scalarParam(q, "dbg")) };
  const mpid = scalarParam(q, "mpid");
  if (mpid !== undefined) batch.mpid = mpid;
  const das = scalarParam(q, "das");
  if (das !== undefined) batch.mp_deviceid = das;
  const ampId = scalarParam(q, "amp_id");
  batch.device_info = { platform: "web", ...(ampId !== undefined ? { amp_id: ampId } : {}) };
  const av = scalarParam(q, "av");
  if (av !== undefined) batch.application_info = { application_version: av };
  if (Object.keys(identities).length) batch.user_identities = identities;
  if (Object.keys(userAttributes).length) batch.user_attributes = userAttributes;
  const consent = consentState(scalarParam(q, "consent_state"));
  if (consent) batch.consent_state = consent;
  batch.events = [{ event_type: type, data }];
  return batch;
}

/**
 * The batch of one hit, validated as the Events API validates a batch; `ok: false` with the reason
 * (one entry per problem found, the first parameter problem stops the reading).
 */
export function pixelHit(search: string, now: number): PixelHit {
  let batch: Record<string, unknown>;
  try {
    batch = buildPixelBatch(rawQuery(search), now);
  } catch (err) {
    if (err instanceof PixelParamError) return { ok: false, errors: [{ code: "BAD_REQUEST", message: err.message }] };
    throw err;
  }
  const parsed = parseBatch(batch);
  return parsed.ok ? { ok: true, batch } : { ok: false, errors: parsed.errors };
}
