/**
 * Calculated Attributes Seeding API (audiences.md §2): `POST /v2/calculatedattributes` (one user) and
 * `/v2/bulkcalculatedattributes` (an array), Basic auth with the input's credentials. Every item is checked
 * before anything is stored (all or nothing: one bad item → 400 naming it, nothing seeded). A seed counts for
 * data before its cutoff; live data from the cutoff on is added to it. Seeds are idempotent (a re-sent seed
 * replaces the stored one), so a client that retries after a 5xx never counts twice.
 */
import { Hono } from "hono";
import { calculatedSpecs } from "../db/ca-cache";
import { createDb } from "../db";
import { listCalculatedAttributes } from "../db/queries/calculated-attributes";
import type { AppEnv } from "../env";
import type { StoredSeed } from "../durable/profile/calculated-attributes";
import { type SeedValue, seedAcc } from "../durable/profile/ca-seed";
import { identityContextFor } from "../identity/context";
import { BATCH_TO_IDSYNC } from "../identity/identity-types";
import { profile, resolveBatch } from "../identity/resolver";
import { type ErrorEntry, ValidationError } from "../lib/errors";
import { parseJsonBody } from "../lib/json-body";
import { uuid } from "../lib/ids";
import { inputRateLimit } from "../middleware/limits";
import { inputAuth } from "../middleware/input-auth";
import { type CalculationType, type Definition, parseIsoDate } from "../schema/calculated-attribute";

/** Users in one bulk request (as the Events API's bulk: 100). */
export const SEED_BULK_MAX_USERS = 100;
/** Seeds per user. */
export const SEED_MAX_PER_USER = 100;
/** Request size: as the Events API (256 KB). */
export const SEED_MAX_BODY_BYTES = 256 * 1024;

/** Seeding API device identity keys → batch `device_info` keys. */
const DEVICE_KEYS: Record<string, string> = {
  android_id: "android_uuid",
  google_advertising_id: "android_advertising_id",
  ios_advertising_id: "ios_advertising_id",
  ios_vendor_id: "ios_idfv",
  roku_advertising_id: "roku_advertising_id",
  roku_publisher_id: "roku_publisher_id",
  fire_advertising_id: "fire_advertising_id",
  microsoft_advertising_id: "microsoft_advertising_id",
  microsoft_publisher_id: "microsoft_publisher_id",
};

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
type Checked = { mpid?: string; userIdentities: Obj; deviceInfo: Obj; userAttributes: Record<string, string>; seeds: { name: string; seed: StoredSeed }[] };
type CaDef = { name: string; calc: CalculationType; cutoff: number | null; windowed: boolean };

const err = (message: string): ErrorEntry => ({ code: "BAD_REQUEST", message });

/** One user's item checked against the workspace's CAs (draft or active: seeding works in both states). */
function checkItem(item: unknown, at: string, defs: Map<string, CaDef>, errors: ErrorEntry[]): Checked | null {
  if (!isObj(item)) return errors.push(err(`${at}: must be an object.`)), null;
  const before = errors.length;
  if (item.environment !== "production" && item.environment !== "development") errors.push(err(`${at}environment: required, "production" or "development".`));
  const mpid = typeof item.mpid === "number" && Number.isSafeInteger(item.mpid) ? String(item.mpid) : typeof item.mpid === "string" && /^-?\d{1,19}$/.test(item.mpid) ? item.mpid : undefined;
  if (item.mpid !== undefined && item.mpid !== null && mpid === undefined) errors.push(err(`${at}mpid: must be an integer.`));
  const userIdentities: Obj = {};
  const deviceInfo: Obj = {};
  if (isObj(item.identities)) {
    for (const [k, v] of Object.entries(item.identities)) {
      if (typeof v !== "string" || v === "") continue;
      if (k in DEVICE_KEYS) deviceInfo[DEVICE_KEYS[k]!] = v;
      else if (k in BATCH_TO_IDSYNC) userIdentities[k] = v;
      else errors.push(err(`${at}identities.${k}: unknown identity type.`));
    }
  }
  if (!mpid && Object.keys(userIdentities).length + Object.keys(deviceInfo).length === 0) errors.push(err(`${at}: mpid or identities is required.`));
  const list = isObj(item.calculated_attributes) ? item.calculated_attributes.workspace : undefined;
  if (!Array.isArray(list) || list.length === 0) errors.push(err(`${at}calculated_attributes.workspace: required, a non-empty list.`));
  else if (list.length > SEED_MAX_PER_USER) errors.push(err(`${at}calculated_attributes.workspace: at most ${SEED_MAX_PER_USER} seeds.`));
  const userAttributes: Record<string, string> = {};
  const ua = isObj(item.user_attributes) ? item.user_attributes.workspace : undefined;
  if (ua !== undefined && !Array.isArray(ua)) errors.push(err(`${at}user_attributes.workspace: must be a list.`));
  for (const a of Array.isArray(ua) ? ua : []) {
    if (!isObj(a) || typeof a.attribute_name !== "string" || a.attribute_name === "" || !["string", "number", "boolean"].includes(typeof a.attribute_value)) {
      errors.push(err(`${at}user_attributes.workspace: each item needs attribute_name and a string, number or boolean attribute_value.`));
      break;
    }
    userAttributes[a.attribute_name] = String(a.attribute_value);
  }
  const seeds: Checked["seeds"] = [];
  for (const s of Array.isArray(list) ? list.slice(0, SEED_MAX_PER_USER) : []) {
    const name = isObj(s) && typeof s.attribute_name === "string" ? s.attribute_name : "";
    const def = defs.get(name);
    if (!isObj(s) || !def) { errors.push(err(`${name || at + "calculated_attributes.workspace"}: No matching calculated attribute definition found`)); continue; }
    if (s.calculation_type !== def.calc) { errors.push(err(`${name}: calculation_type must be ${def.calc}`)); continue; }
    if (def.windowed) { errors.push(err(`${name}: calculated attributes with a 'within' time period cannot be seeded`)); continue; }
    const cutoff = typeof s.cutoff_date === "string" && /^\d{4}-\d{2}-\d{2}$/.test(s.cutoff_date) ? parseIsoDate(s.cutoff_date) : null;
    if (cutoff === null) { errors.push(err(`${name}: cutoff_date must be a date (yyyy-MM-dd)`)); continue; }
    if (def.cutoff !== null && def.cutoff !== cutoff) { errors.push(err(`${name}: cutoff_date does not match the definition's seeding cutoff`)); continue; }
    const acc = seedAcc(def.calc, (isObj(s.seed) ? s.seed : {}) as SeedValue, cutoff);
    if (typeof acc === "string") { errors.push(err(`${name}: ${acc}`)); continue; }
    seeds.push({ name, seed: { calc: def.calc, cutoff, acc } });
  }
  return errors.length > before ? null : { ...(mpid ? { mpid } : {}), userIdentities, deviceInfo, userAttributes, seeds };
}

export const seedingRoutes = new Hono<AppEnv>();
// The body limit (SEED_MAX_BODY_BYTES) is put in front where the app mounts this router (withBodyLimit).
for (const path of ["/calculatedattributes", "/calculatedattributes/", "/bulkcalculatedattributes"]) seedingRoutes.use(path, inputAuth(), inputRateLimit());

async function seed(c: import("hono").Context<AppEnv>, bulk: boolean) {
  const input = c.get("input");
  const body = parseJsonBody(await c.req.text());
  const items = bulk ? body : [body];
  if (!Array.isArray(items) || items.length === 0) throw new ValidationError([err("The body must be a non-empty JSON array of users.")]);
  if (items.length > SEED_BULK_MAX_USERS) throw new ValidationError([err(`At most ${SEED_BULK_MAX_USERS} users per request.`)]);
  const rows = await listCalculatedAttributes(createDb(c.env.DB), input.workspaceId);
  const defs = new Map<string, CaDef>();
  for (const r of rows) {
    const d = (r.activeDefinition ?? r.draftDefinition) as Definition | null;
    if (d) defs.set(r.name, { name: r.name, calc: d.calculation_type, cutoff: d.seeding ? parseIsoDate(d.seeding.cutoff_date) : null, windowed: d.time_period.type === "within" });
  }
  const errors: ErrorEntry[] = [];
  const checked = items.map((it, i) => checkItem(it, bulk ? `[${i}].` : "", defs, errors));
  if (errors.length) throw new ValidationError(errors.slice(0, 100));
  const ctx = await identityContextFor(c.env, input);
  const { specs } = await calculatedSpecs(c.env, input.workspaceId);
  for (const item of checked as Checked[]) {
    const resolved = await resolveBatch(
      ctx,
      { ...(item.mpid ? { mpid: item.mpid } : {}), user_identities: item.userIdentities, device_info: item.deviceInfo },
      { workspaceId: input.workspaceId, batchId: `seed:${uuid()}`, ts: Date.now(), source: { input: input.id, rank: 1 }, userAttributes: item.userAttributes, messageIds: [], events: [], modules: { calculatedAttributes: { version: "", specs } } },
      { create: true },
    );
    if (!resolved) throw new ValidationError([err("The user could not be resolved.")]);
    await profile(ctx, resolved.mpid).seedCalculated(resolved.mpid, input.workspaceId, item.seeds, specs);
  }
  return c.body(null, 202);
}

seedingRoutes.post("/calculatedattributes", (c) => seed(c, false));
seedingRoutes.post("/calculatedattributes/", (c) => seed(c, false));
seedingRoutes.post("/bulkcalculatedattributes", (c) => seed(c, true));
