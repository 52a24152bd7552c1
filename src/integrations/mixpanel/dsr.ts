/**
 * Mixpanel DSR forwarding: erasure through the GDPR API v3 data deletions (partners.md §1):
 * POST {mixpanel.com | eu.mixpanel.com | in.mixpanel.com}/api/app/data-deletions/v3.0/?token=<project token>,
 * `Authorization: Bearer <GDPR OAuth token>`, JSON `{distinct_ids, compliance_type}`, ≤ 2000 ids per request.
 * `distinct_ids` = the identity the event output sends as distinct_id. Access and portability are skipped:
 * Mixpanel's retrievals deliver the export to the Mixpanel account, not to the DSR's `results_url`, and
 * mParticle forwards erasure requests only.
 */
import { chunk } from "../runtime/batching";
import { classifyHttp } from "../runtime/classify";
import { type DsrCapability, type Outcome, type PartnerRequest, type PartnerResponse, subjectIdsOf } from "../runtime/types";
import type { MixpanelConfig } from "./settings";

/** GDPR API hosts by the output's residency server (partners.md §1). */
export const GDPR_HOSTS = { us: "https://mixpanel.com", eu: "https://eu.mixpanel.com", in: "https://in.mixpanel.com" } as const;
export const DELETIONS_PATH = "/api/app/data-deletions/v3.0/";
/** "You can add up to 2000 distinct IDs" per deletion request (partners.md §1). */
export const MAX_DELETE_IDS = 2000;

/** 2xx is not enough: the GDPR API answers `{"status":"ok","results":{"task_id"}}`; a 2xx with `status: "error"` is a refusal. */
export function classifyMixpanelDsr(res: PartnerResponse): Outcome {
  const outcome = classifyHttp(res);
  if (outcome.kind !== "ok") return outcome;
  try {
    const body = JSON.parse(res.body) as { status?: unknown; error?: unknown };
    if (body && body.status === "error") return { kind: "permanent", reason: `Mixpanel refused the deletion: ${String(body.error ?? "error")}` };
  } catch {
    // a non-JSON 2xx body: the status code decides
  }
  return outcome;
}

export const mixpanelDsr: DsrCapability<MixpanelConfig> = {
  requestTypes: ["erasure"],
  domain: () => "mixpanel.com",
  requests({ subject, config }) {
    const type = config.externalIdentityType;
    const unique = subjectIdsOf(subject, type);
    if (!unique.length) return { skip: `no ${type} identity: Mixpanel deletes by distinct_id only` };
    if (!config.gdprToken) return { fail: "no GDPR OAuth token configured: Mixpanel's GDPR API needs the gdprToken setting" };
    const url = `${GDPR_HOSTS[config.server]}${DELETIONS_PATH}?token=${encodeURIComponent(config.token)}`;
    const headers = { "Content-Type": "application/json", Authorization: `Bearer ${config.gdprToken}` };
    // OpenDSR v1 requests have no regulation: they are GDPR requests (OpenGDPR).
    const compliance_type = subject.regulation === "ccpa" ? "CCPA" : "GDPR";
    return chunk(unique, { maxItems: MAX_DELETE_IDS }).map(
      (distinct_ids): PartnerRequest => ({ method: "POST", url, headers, body: JSON.stringify({ distinct_ids, compliance_type }), jobs: [] }),
    );
  },
  classify: (res) => classifyMixpanelDsr(res),
};
