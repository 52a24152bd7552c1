/** What audience evaluation reads of a profile (`ProfileSnapshot`), from its parts; several workspaces merged. */
import type { Buckets, ProfileSnapshot } from "../../audiences";
import type { ConsentState } from "../../privacy/consent";
import type { ProfileParts } from "./module";

/**
 * The snapshot of one evaluation. An audience of several workspaces reads their attributes and consent
 * merged; its calculated attribute leaves read the values of the workspace being evaluated (`calculated`).
 */
export function profileSnapshot(
  parts: ProfileParts,
  buckets: (counter: string) => Buckets,
  calculatedOf: (workspaceId: number) => unknown,
  workspaceId: number,
  identities: { type: string; value: string }[],
): ProfileSnapshot {
  const merged = <T>(ids: number[], one: (w: number) => Record<string, T>) => (ids.length === 1 ? one(ids[0]!) : (Object.assign({}, ...ids.map(one)) as Record<string, T>));
  const calc = (w: number) => {
    const v = calculatedOf(w);
    return v && typeof v === "object" ? (v as Record<string, unknown>) : {};
  };
  // One snapshot serves one evaluation pass: each view is built once per set of workspaces, not once per leaf.
  const once = <T>(fn: (ids: number[]) => T) => {
    const memo = new Map<string, T>();
    return (ids: number[]): T => {
      const key = ids.join(",");
      let v = memo.get(key);
      if (v === undefined) memo.set(key, (v = fn(ids)));
      return v;
    };
  };
  return {
    attributes: once((ids) => merged(ids, (w) => parts.attributes.view(w).attributes)),
    calculated: once((ids) => merged(ids.includes(workspaceId) ? [workspaceId] : ids, calc)),
    identities,
    consent: once((ids) => mergeConsent(ids.map((w) => parts.consent.state(w)))),
    buckets,
  };
}

/** Consent of several workspaces as one state (the newer record of a purpose wins). */
export function mergeConsent(states: ConsentState[]): ConsentState {
  if (states.length === 1) return states[0]!;
  const out: ConsentState = {};
  for (const s of states) {
    for (const [p, r] of Object.entries(s.gdpr ?? {})) if (!out.gdpr?.[p] || out.gdpr[p]!.timestamp_unixtime_ms < r.timestamp_unixtime_ms) (out.gdpr ??= {})[p] = r;
    const c = s.ccpa?.data_sale_opt_out;
    if (c && (!out.ccpa?.data_sale_opt_out || out.ccpa.data_sale_opt_out.timestamp_unixtime_ms < c.timestamp_unixtime_ms)) out.ccpa = { data_sale_opt_out: c };
  }
  return out;
}
