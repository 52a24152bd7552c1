/** AppsFlyer server-to-server in-app events (partners.md §5, seed 002 "AppsFlyer event"). One event per request. */
import { z } from "zod";
import type { OutboundBatch } from "../../pipeline/outbound";
import type { Drop, IntegrationDefinition, PartnerRequest, TransformResult } from "../runtime/types";
import { consentOf, deviceInfo, identityOf, integrationAttributes, ipOf, platformOf } from "../runtime/mapping";
import { appsflyerDsr } from "./dsr";
import { toAppsFlyerEvents } from "./events";
import { type AppsFlyerConfig, configSchema } from "./settings";

/** mParticle module id of AppsFlyer; the kits store the AppsFlyer ID as integration attribute `appsflyer_id`. */
export const APPSFLYER_MODULE_ID = 92;
export const APPSFLYER_ID_KEY = "appsflyer_id";
/** Legacy (Dev Key) and current (S2S key) hosts; partners.md §5. */
export const API2 = "https://api2.appsflyer.com/inappevent/";
export const API3 = "https://api3.appsflyer.com/inappevent/";
/** "one event per request, JSON payload <= 1 KB" (partners.md §5). */
export const MAX_PAYLOAD_BYTES = 1024;

/** Apple's ATTrackingManager.AuthorizationStatus raw values, the `att` format AppsFlyer expects. */
const ATT: Record<string, number> = { not_determined: 0, restricted: 1, denied: 2, authorized: 3 };

const consentDefault = z.enum(["unspecified", "granted", "denied"]).default("unspecified");

const connectionSchema = z.object({
  appleAppId: z
    .string()
    .regex(/^\d+$/, "digits only: remove the 'id' prefix")
    .optional()
    .describe("Apple App ID without the 'id' prefix (id12345 → 12345). Required for iOS data; the request path uses id<App ID>."),
  androidAppId: z
    .string()
    .min(1)
    .optional()
    .describe("Android package name. Defaults to the batch's application_info.package."),
  customerUserIdType: z
    .enum(["customer_id", "mpid", "none"])
    .default("customer_id")
    .describe("Identity sent as customer_user_id: the Customer ID, the mParticle ID, or nothing."),
  consentMapping: z
    .array(z.object({ purpose: z.string().min(1), field: z.enum(["ad_user_data", "ad_personalization"]) }))
    .default([])
    .describe("User Consent Data Mapping: GDPR consent purposes whose state sets ad_user_data / ad_personalization."),
  defaultAdUserData: consentDefault.describe("ad_user_data when no mapped consent purpose is present on the batch."),
  defaultAdPersonalization: consentDefault.describe("ad_personalization when no mapped consent purpose is present on the batch."),
});

type Config = AppsFlyerConfig;
type Connection = z.output<typeof connectionSchema>;

const str = (v: unknown) => (typeof v === "string" && v !== "" ? v : undefined);

/** `yyyy-MM-dd HH:mm:ss.SSS` in UTC (AppsFlyer eventTime). */
export function eventTime(ms: number): string {
  return new Date(ms).toISOString().replace("T", " ").slice(0, 23);
}

/** Consent fields from the mapped purposes, else the defaults; booleans, absent when unspecified. */
function consent(batch: OutboundBatch, conn: Connection) {
  const { gdpr } = consentOf(batch);
  const out: { ad_user_data?: boolean; ad_personalization?: boolean } = {};
  for (const m of conn.consentMapping) {
    const v = gdpr[m.purpose.trim().toLowerCase()];
    if (v !== undefined) out[m.field] = v;
  }
  if (out.ad_user_data === undefined && conn.defaultAdUserData !== "unspecified") out.ad_user_data = conn.defaultAdUserData === "granted";
  if (out.ad_personalization === undefined && conn.defaultAdPersonalization !== "unspecified") out.ad_personalization = conn.defaultAdPersonalization === "granted";
  return out;
}

/** Fields shared by every event of a batch (identity, device, consent). */
function batchFields(batch: OutboundBatch, conn: Connection, afId: string, legacy: boolean): Record<string, unknown> {
  const dev = deviceInfo(batch);
  const app = (batch.application_info ?? {}) as Record<string, unknown>;
  const ios = platformOf(batch) === "ios";
  const cuid = conn.customerUserIdType === "none" ? undefined : identityOf(batch, conn.customerUserIdType);
  const c = consent(batch, conn);
  const f: Record<string, unknown> = { appsflyer_id: afId };
  if (cuid) f.customer_user_id = cuid;
  if (ipOf(batch)) f.ip = ipOf(batch);
  if (ios) {
    if (str(dev.ios_advertising_id)) f.idfa = dev.ios_advertising_id;
    if (str(dev.ios_idfv)) f.idfv = dev.ios_idfv;
    const att = ATT[String(dev.att_authorization_status)];
    if (att !== undefined) f.att = att;
    if (str(app.package)) f.bundleIdentifier = app.package;
  } else if (str(dev.android_advertising_id)) f.advertising_id = dev.android_advertising_id;
  if (str(app.application_version)) f.app_version_name = app.application_version;
  if (c.ad_user_data !== undefined || c.ad_personalization !== undefined) {
    f.consent_data = {
      is_user_subject_to_gdpr: true,
      ...(c.ad_user_data !== undefined ? { has_consent_for_data_usage: c.ad_user_data } : {}),
      ...(c.ad_personalization !== undefined ? { has_consent_for_ads_personalization: c.ad_personalization } : {}),
    };
  }
  if (legacy) f.af_events_api = "true";
  return f;
}

/** The AppsFlyer app id of the batch (`id<Apple App ID>` or the package name), or why there is none. */
function appIdOf(batch: OutboundBatch, conn: Connection): { appId: string } | { reason: string } {
  const p = platformOf(batch);
  if (p === "ios") return conn.appleAppId ? { appId: `id${conn.appleAppId}` } : { reason: "iOS data but no Apple App ID configured" };
  if (p === "android") {
    const pkg = conn.androidAppId ?? str((batch.application_info as Record<string, unknown> | undefined)?.package);
    return pkg ? { appId: pkg } : { reason: "Android data without application_info.package or a configured package name" };
  }
  return { reason: `platform "${p}" is not iOS or Android` };
}

const enc = new TextEncoder();

/** Pure transform: one POST per forwardable event; batches without an AppsFlyer ID are dropped with a reason. */
export function transform({ batches, config, connection }: { batches: OutboundBatch[]; config: Config; connection: Connection }): PartnerRequest[] | TransformResult {
  const requests: PartnerRequest[] = [];
  const dropped: Drop[] = [];
  const legacy = !config.s2sKey;
  const headers = { "Content-Type": "application/json", authentication: config.s2sKey ?? config.devKey };
  batches.forEach((batch, job) => {
    const events = toAppsFlyerEvents(batch);
    if (!events.length) return;
    const afId = str(integrationAttributes(batch, APPSFLYER_MODULE_ID)[APPSFLYER_ID_KEY]);
    if (!afId) return void dropped.push({ job, reason: `no AppsFlyer ID (integration_attributes["${APPSFLYER_MODULE_ID}"].${APPSFLYER_ID_KEY})` });
    const app = appIdOf(batch, connection);
    if ("reason" in app) return void dropped.push({ job, reason: app.reason });
    const url = `${legacy ? API2 : API3}${encodeURIComponent(app.appId)}`;
    const shared = batchFields(batch, connection, afId, legacy);
    for (const e of events) {
      const body = JSON.stringify({
        ...shared,
        eventName: e.name,
        eventValue: Object.keys(e.values).length ? JSON.stringify(e.values) : "",
        eventTime: eventTime(e.timeMs),
        ...(e.currency ? { eventCurrency: e.currency } : {}),
      });
      if (enc.encode(body).byteLength > MAX_PAYLOAD_BYTES) {
        dropped.push({ job, event: e.index, reason: `AppsFlyer payload over ${MAX_PAYLOAD_BYTES} bytes (${e.name})` });
        continue;
      }
      requests.push({ method: "POST", url, headers, body, jobs: [job], items: [{ job, event: e.index }] });
    }
  });
  // A bare array when nothing was dropped (both forms are valid transform results).
  return dropped.length ? { requests, dropped } : requests;
}

export const appsflyer: IntegrationDefinition<typeof configSchema, typeof connectionSchema> = {
  slug: "appsflyer",
  moduleId: APPSFLYER_MODULE_ID,
  title: "AppsFlyer (server-to-server)",
  kinds: ["event", "dsr"],
  configSchema,
  connectionSchema,
  secretSettings: ["devKey", "s2sKey", "apiToken"],
  platforms: ["ios", "android"],
  eventTypes: ["custom_event", "commerce_event"],
  maxBatchesPerCall: 100,
  transform,
  dsr: appsflyerDsr,
};
