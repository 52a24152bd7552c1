/**
 * Consent forwarding rules of a connection (seed 002 "Connections and forwarding rules"), evaluated per
 * user in the fan-out against the user's consent state after the batch. Pure.
 *
 * - `action: "block"`: do not forward when the user's record for regulation + purpose has `consented` equal
 *   to the rule's. A missing record does not match: data flows (the seed: "if the consent state is missing
 *   or false for that purpose, data will flow").
 * - `action: "forward"`: only forward when the record exists and has `consented` equal to the rule's. A
 *   missing record does not meet the condition: data does not flow (mParticle's "Only forward if …"; for
 *   GDPR this is the opt-in reading: no recorded consent is no consent).
 * Several rules must all allow forwarding.
 */
import { z } from "zod";
import type { ConsentRule } from "../db/schema";
import { CCPA_PURPOSE, normalizePurpose } from "./config";
import { type ConsentState, recordOf } from "./consent";

/** Rules per connection (our bound). */
export const MAX_CONSENT_RULES = 20;

/** A rule as accepted by the Platform API (purpose trimmed and lowercased; CCPA only `data_sale_opt_out`). */
export const consentRuleSchema = z
  .strictObject({
    regulation: z.enum(["gdpr", "ccpa"]).describe("Regulation of the purpose."),
    purpose: z.string().transform(normalizePurpose).pipe(z.string().min(1).max(100)).describe("Consent purpose (CCPA: data_sale_opt_out)."),
    consented: z.boolean().describe("The `consented` value the rule tests for."),
    action: z.enum(["forward", "block"]).describe("forward: only forward when the user's record has this value; block: do not forward when it has."),
  })
  .refine((r) => r.regulation !== "ccpa" || r.purpose === CCPA_PURPOSE, { message: `CCPA rules use the purpose ${CCPA_PURPOSE}.`, path: ["purpose"] });

export const consentRulesSchema = z.array(consentRuleSchema).max(MAX_CONSENT_RULES);

/** Whether the connection's rules let this user's data through. */
export function consentAllows(rules: readonly ConsentRule[] | null | undefined, state: ConsentState): boolean {
  if (!rules?.length) return true;
  return rules.every((rule) => {
    const matches = recordOf(state, rule.regulation, normalizePurpose(rule.purpose))?.consented === rule.consented;
    return rule.action === "block" ? !matches : matches;
  });
}

/**
 * Rules read from D1 (JSON column). A malformed entry (written around the API) makes `invalid` true: the
 * fan-out then forwards nothing on the connection (a broken compliance rule must not let data through).
 */
export function storedRules(raw: unknown): { rules: ConsentRule[]; invalid: boolean } {
  if (raw === null || raw === undefined) return { rules: [], invalid: false };
  if (!Array.isArray(raw)) return { rules: [], invalid: true };
  const rules: ConsentRule[] = [];
  let invalid = false;
  for (const r of raw) {
    const p = consentRuleSchema.safeParse(r);
    if (p.success) rules.push(p.data);
    else invalid = true;
  }
  return { rules, invalid };
}
