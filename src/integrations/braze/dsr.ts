/**
 * Braze DSR forwarding: erasure through POST /users/delete (partners.md §3) — the configured external id
 * (`external_ids`) and the MPID user alias the event output creates without an external id
 * (`user_aliases` {alias_label: "mparticle_id"}). The body takes exactly one id kind, ≤ 50 ids per request.
 * Braze has no access / portability API: those requests are skipped.
 */
import { chunk } from "../runtime/batching";
import { type DsrCapability, type PartnerRequest, subjectIdsOf } from "../runtime/types";
import { classifyBraze } from "./classify";
import { type BrazeConfig, INSTANCES } from "./settings";

/** /users/delete takes at most 50 ids per request (partners.md §3). */
export const MAX_DELETE_IDS = 50;

export const brazeDsr: DsrCapability<BrazeConfig> = {
  requestTypes: ["erasure"],
  domain: () => "braze.com",
  requests({ subject, config }) {
    const type = config.externalIdentityType;
    const url = `${INSTANCES[config.instance]}/users/delete`;
    const headers = { "Content-Type": "application/json", Authorization: `Bearer ${config.apiKey}` };
    const bodies = [
      ...chunk(subjectIdsOf(subject, type), { maxItems: MAX_DELETE_IDS }).map((ids) => ({ external_ids: ids })),
      ...chunk(subject.mpids, { maxItems: MAX_DELETE_IDS }).map((ids) => ({ user_aliases: ids.map((m) => ({ alias_name: m, alias_label: "mparticle_id" })) })),
    ];
    if (!bodies.length) return { skip: `no ${type} identity and no MPID to delete by` };
    return bodies.map((b): PartnerRequest => ({ method: "POST", url, headers, body: JSON.stringify(b), jobs: [] }));
  },
  classify: (res, req) => classifyBraze(res, req),
};
