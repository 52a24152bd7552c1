/**
 * AppsFlyer DSR forwarding: erasure through AppsFlyer's OpenDSR API (partners.md §5):
 * POST https://hq1.appsflyer.com/api/gdpr/v1/opendsr_requests, `Authorization: Bearer <API V2 token>`, one
 * OpenDSR request per app (`property_id`) and subject identity — each with its own `subject_request_id`,
 * derived from ours so a retry repeats it — as the reference forwarder does (one identity per request).
 * Identities by the app's platform: iOS IDFA / IDFV, Android Google / Fire advertising id, and the customer
 * id as `customer_user_id` (what the event output sends by default). The AppsFlyer ID lives in the kit's
 * integration attributes, not in the identity index, so it cannot be sent. Access and portability are
 * skipped: AppsFlyer's report would go to the AppsFlyer account, not to the DSR's `results_url`, and
 * mParticle forwards erasure requests only.
 */
import { sha256Bytes } from "../../lib/crypto";
import { classifyHttp } from "../runtime/classify";
import type { DsrCapability, DsrSubject, Outcome, PartnerRequest, PartnerResponse } from "../runtime/types";
import type { AppsFlyerConfig } from "./settings";

export const OPENDSR_URL = "https://hq1.appsflyer.com/api/gdpr/v1/opendsr_requests";

/** Our identity type (IDSync names) → AppsFlyer OpenDSR `identity_type`, per app platform. */
export const IDENTITY_TYPES: Record<"ios" | "android", Record<string, string>> = {
  ios: { ios_idfa: "ios_advertising_id", ios_idfv: "idfv", customerid: "customer_user_id" },
  android: { android_aaid: "android_advertising_id", fire_aid: "fire_advertising_id", customerid: "customer_user_id" },
};

/**
 * Answers that mean the erasure is in AppsFlyer's hands (APIErrorData `af_gdpr_code`): e213 "Request already
 * exists" (a retry of ours: the id is derived) and e215 "One or more subject-identities already exist in an
 * open request". e511 "Internal problem. Wait 60 mins and try again" is retryable.
 */
const ACCEPTED_CODES = new Set(["e213", "e215"]);
const RETRY_CODE = "e511";
const RETRY_CODE_SECONDS = 3600;

/** The app's platform: `id<digits>` is an iOS app, anything else an Android package. */
export const platformOfApp = (appId: string): "ios" | "android" => (/^id\d+$/.test(appId) ? "ios" : "android");

/** A UUID (version 4 layout) derived from `seed`: the same request gets the same `subject_request_id`. */
export function derivedUuid(seed: string): string {
  const b = sha256Bytes(seed).slice(0, 16);
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function afCode(body: string): string | undefined {
  try {
    const v = JSON.parse(body) as { af_gdpr_code?: unknown; error?: { af_gdpr_code?: unknown } };
    const code = v?.error?.af_gdpr_code ?? v?.af_gdpr_code;
    return typeof code === "string" ? code : undefined;
  } catch {
    return undefined;
  }
}

/** AppsFlyer OpenDSR answers: 201 created; the `af_gdpr_code`s above; otherwise the shared HTTP rules. */
export function classifyAppsFlyerDsr(res: PartnerResponse): Outcome {
  if (res.status !== undefined && res.status >= 400) {
    const code = afCode(res.body);
    if (code && ACCEPTED_CODES.has(code)) return { kind: "ok" };
    if (code === RETRY_CODE) return { kind: "retryable", reason: `HTTP ${res.status} ${code}`, retryAfterSeconds: RETRY_CODE_SECONDS };
  }
  return classifyHttp(res);
}

/** The OpenDSR bodies for one subject: one per configured app and identity that app's platform takes. */
export function openDsrBodies(subject: DsrSubject, appIds: string[]): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const appId of appIds) {
    const platform = platformOfApp(appId);
    const types = IDENTITY_TYPES[platform];
    const seen = new Set<string>();
    for (const i of subject.identities) {
      const type = types[i.type];
      if (!type || seen.has(`${type}\u0000${i.value}`)) continue;
      seen.add(`${type}\u0000${i.value}`);
      out.push({
        subject_request_id: derivedUuid(`${subject.subjectRequestId}\u0000${appId}\u0000${type}\u0000${i.value}`),
        subject_request_type: "erasure",
        submitted_time: subject.submittedTime,
        subject_identities: [{ identity_type: type, identity_value: i.value, identity_format: "raw" }],
        property_id: appId,
        platform,
      });
    }
  }
  return out;
}

export const appsflyerDsr: DsrCapability<AppsFlyerConfig> = {
  requestTypes: ["erasure"],
  domain: () => "appsflyer.com",
  requests({ subject, config }) {
    const known = subject.identities.some((i) => i.type in IDENTITY_TYPES.ios || i.type in IDENTITY_TYPES.android);
    if (!known) return { skip: "no IDFA, IDFV, Google or Fire advertising id, or customer id: nothing AppsFlyer erases by" };
    if (!config.dsrAppIds.length) return { fail: "no app ids configured: AppsFlyer's OpenDSR API needs the dsrAppIds setting (property_id)" };
    const bodies = openDsrBodies(subject, config.dsrAppIds);
    if (!bodies.length) return { skip: "no identity of the configured apps' platforms (iOS: IDFA, IDFV; Android: Google or Fire advertising id)" };
    if (!config.apiToken) return { fail: "no API V2 token configured: AppsFlyer's OpenDSR API needs the apiToken setting" };
    const headers = { "Content-Type": "application/json", Authorization: `Bearer ${config.apiToken}` };
    return bodies.map((b): PartnerRequest => ({ method: "POST", url: OPENDSR_URL, headers, body: JSON.stringify(b), jobs: [] }));
  },
  classify: (res) => classifyAppsFlyerDsr(res),
};
