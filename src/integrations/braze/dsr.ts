/**
 * Braze DSR forwarding: erasure through POST /users/delete (partners.md §3) — the configured external id
 * (`external_ids`) and the MPID user alias the event output creates without an external id
 * (`user_aliases` {alias_label: "mparticle_id"}). The body takes exactly one id kind, ≤ 50 ids per request.
 * Braze has no access / portability API: those requests are skipped.
 */
import { BATCH_TO_IDSYNC } from "../../identity/identity-types";
import type { DsrCapability, PartnerRequest } from "../runtime/types";
import { classifyBraze } from "./classify";
import { type BrazeConfig, INSTANCES } from "./settings";

/** /users/delete takes at most 50 ids per request (partners.md §3). */
export const MAX_DELETE_IDS = 50;

function chunks<T>(list: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

export const brazeDsr: DsrCapability<BrazeConfig> = {
  requestTypes: ["erasure"],
  domain: () => "braze.com",
  requests({ subject, config }) {
    const type = config.externalIdentityType;
    const externalIds =
      type === "mpid" ? subject.mpids : subject.identities.filter((i) => i.type === (BATCH_TO_IDSYNC[type] ?? type)).map((i) => i.value);
    const url = `${INSTANCES[config.instance]}/users/delete`;
    const headers = { "Content-Type": "application/json", Authorization: `Bearer ${config.apiKey}` };
    const bodies = [
      ...chunks([...new Set(externalIds)], MAX_DELETE_IDS).map((ids) => ({ external_ids: ids })),
      ...chunks(subject.mpids, MAX_DELETE_IDS).map((ids) => ({ user_aliases: ids.map((m) => ({ alias_name: m, alias_label: "mparticle_id" })) })),
    ];
    if (!bodies.length) return { skip: `no ${type} identity and no MPID to delete by` };
    return bodies.map((b): PartnerRequest => ({ method: "POST", url, headers, body: JSON.stringify(b), jobs: [] }));
  },
  classify: (res, req) => classifyBraze(res, req),
};
