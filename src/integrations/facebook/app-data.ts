/** CAPI `app_data` for app events: ATT → advertiser_tracking_enabled, and the `extinfo` array (iOS needs os_version). */
import type { OutboundBatch } from "../../pipeline/outbound";
import { deviceInfo, type Platform } from "../runtime/mapping";

const s = (v: unknown) => (v === undefined || v === null ? "" : String(v));

/**
 * advertiser_tracking_enabled: from `att_authorization_status` when present (authorized → 1, else 0), else
 * from `limit_ad_tracking` (false → 1, true → 0); absent when neither is known.
 */
export function advertiserTrackingEnabled(batch: OutboundBatch): 0 | 1 | undefined {
  const d = deviceInfo(batch);
  if (typeof d.att_authorization_status === "string" && d.att_authorization_status) return d.att_authorization_status.toLowerCase() === "authorized" ? 1 : 0;
  if (typeof d.limit_ad_tracking === "boolean") return d.limit_ad_tracking ? 0 : 1;
  return undefined;
}

/** app_data for iOS / tvOS / Android batches. */
export function appData(batch: OutboundBatch, platform: Platform): Record<string, unknown> {
  const d = deviceInfo(batch);
  const app = (batch.application_info ?? {}) as Record<string, unknown>;
  const ate = advertiserTrackingEnabled(batch);
  const extinfo = [
    platform === "android" ? "a2" : "i2",
    s(app.package),
    s(app.application_version),
    s(app.application_build_number ?? app.application_version),
    s(d.os_version),
    s(d.device_model),
    s(d.locale_language) + (d.locale_country ? `_${s(d.locale_country)}` : ""),
    "",
    s(d.network_carrier),
    s(d.screen_width),
    s(d.screen_height),
    s(d.screen_dpi),
    "",
    "",
    "",
    "",
  ];
  return { ...(ate !== undefined ? { advertiser_tracking_enabled: ate } : {}), application_tracking_enabled: 1, extinfo };
}
