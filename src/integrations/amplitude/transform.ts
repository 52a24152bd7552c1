/** Amplitude transform (pure): HTTP V2 API events, packed across batches up to Amplitude's limits. */
import type { OutboundBatch } from "../../pipeline/outbound";
import { chunkJsonArray, type SerializedItem } from "../runtime/batching";
import { deviceInfo, eventTimeMs, identityOf, ipOf, platformOf, type Platform, userAgentOf } from "../runtime/mapping";
import type { Drop, PartnerRequest, RequestItem, TransformInput, TransformResult } from "../runtime/types";
import { parseUserAgent } from "../runtime/user-agent";
import { HANDLERS } from "./events";
import { type AmplitudeConfig, type AmplitudeConnection, ENDPOINTS, MAX_EVENTS_PER_REQUEST, MAX_REQUEST_BYTES } from "./settings";

/** Device id sources per platform, in order (seed 002 "Device/User ID Mapping"). */
const DEVICE_ID_SOURCES: Partial<Record<Platform, string[]>> = {
  android: ["android_uuid", "android_advertising_id"],
  ios: ["ios_advertising_id", "ios_idfv"],
  tvos: ["ios_advertising_id", "ios_idfv"],
  roku: ["roku_advertising_id", "roku_publisher_id"],
  firetv: ["fire_advertising_id"],
};

const str = (v: unknown) => (typeof v === "string" && v ? v : undefined);
const compact = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null && v !== ""));

/** Fields shared by every event of a batch: ids, device, app, web user agent. */
function common(batch: OutboundBatch, userId: string | undefined, deviceId: string | undefined, config: AmplitudeConfig) {
  const d = deviceInfo(batch);
  const app = (batch.application_info ?? {}) as Record<string, unknown>;
  const platform = platformOf(batch);
  const fields: Record<string, unknown> = {
    user_id: userId,
    device_id: deviceId,
    platform: str(d.platform),
    os_name: platform === "ios" || platform === "android" ? str(d.platform) : undefined,
    os_version: str(d.os_version),
    device_brand: str(d.device_manufacturer) ?? str(d.brand),
    device_manufacturer: str(d.device_manufacturer),
    device_model: str(d.device_model),
    carrier: str(d.network_carrier),
    country: str(d.device_country),
    language: str(d.locale_language),
    app_version: str(app.application_version),
    ip: ipOf(batch),
    idfa: str(d.ios_advertising_id),
    idfv: str(d.ios_idfv),
    adid: str(d.android_advertising_id),
    android_id: str(d.android_uuid),
  };
  const webUser: Record<string, unknown> = {};
  if (platform === "web") {
    const ua = parseUserAgent(userAgentOf(batch));
    // Like Amplitude's SDK: os_name / os_version carry the browser; the OS goes to user properties.
    fields.os_name = ua.browser;
    fields.os_version = ua.browserVersion;
    webUser.web_os_name = ua.os;
    webUser.web_os_version = ua.osVersion;
    if (config.extractDeviceFamily) {
      fields.device_brand = ua.deviceBrand ?? ua.os;
      fields.device_model = ua.deviceModel ?? ua.os;
    }
  }
  return { fields: compact(fields), webUser: compact(webUser) };
}

/** User properties: the batch's user attributes and identities (by type). */
function userProperties(batch: OutboundBatch): Record<string, unknown> {
  const out: Record<string, unknown> = { ...batch.user_attributes };
  for (const id of batch.user_identities) out[id.identity_type] = id.identity;
  return out;
}

/** Builds the Amplitude requests for a group of outbound batches. */
export function transformAmplitude({ batches, config, connection }: TransformInput<AmplitudeConfig, AmplitudeConnection>): TransformResult {
  const items: SerializedItem<RequestItem>[] = [];
  const dropped: Drop[] = [];
  batches.forEach((batch, job) => {
    const platform = platformOf(batch);
    if (platform === "web" && !connection.forwardWebRequestsServerSide) return; // the client-side kit forwards web data
    const userId = identityOf(batch, config.userIdentification);
    const deviceId = platform === "web" ? undefined : (DEVICE_ID_SOURCES[platform] ?? []).map((f) => str(deviceInfo(batch)[f])).find(Boolean);
    if (!userId && !deviceId) {
      dropped.push({ job, reason: platform === "web" ? `web batch without ${config.userIdentification} user id` : `no ${config.userIdentification} user id and no device id` });
      return;
    }
    const { fields, webUser } = common(batch, userId, deviceId, config);
    const user = { ...userProperties(batch), ...webUser };
    let sent = 0;
    batch.events.forEach((ev, e) => {
      const out = HANDLERS[ev.event_type]?.(ev, config) ?? [];
      out.forEach((a, k) => {
        const session = ev.data.session_start_unixtime_ms;
        const event = {
          ...fields,
          event_type: a.event_type,
          time: eventTimeMs(ev),
          insert_id: out.length > 1 ? `${ev.data.event_id}-${k}` : String(ev.data.event_id),
          ...(typeof session === "number" ? { session_id: session } : {}),
          ...(a.event_properties ? { event_properties: a.event_properties } : {}),
          user_properties: { ...user, ...a.user_properties },
          ...a.revenue,
        };
        items.push({ json: JSON.stringify(event), meta: { job, event: e } });
        sent++;
      });
    });
    if (!sent) {
      // Identities and attributes are forwarded even without events (seed 002).
      const identify = { ...fields, event_type: "$identify", time: batch.timestamp_unixtime_ms, insert_id: `${batch.batch_id}-identify`, user_properties: { $set: user } };
      items.push({ json: JSON.stringify(identify), meta: { job } });
    }
  });
  const url = ENDPOINTS[config.organization];
  const head = `{"api_key":${JSON.stringify(config.apiKey)},"events":`;
  const requests: PartnerRequest[] = chunkJsonArray(items, MAX_EVENTS_PER_REQUEST, MAX_REQUEST_BYTES, head.length + 3).map(({ body, metas }) => ({
    method: "POST",
    url,
    headers: { "Content-Type": "application/json", Accept: "*/*" },
    body: `${head}${body}}`,
    jobs: [...new Set(metas.map((m) => m.job))],
    items: metas,
  }));
  return { requests, dropped };
}
