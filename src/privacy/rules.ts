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
import type { ConsentRule } from "../db/schema";
import { normalizePurpose } from "../schema/consent-rules";
import { type ConsentState, recordOf } from "./consent";

export { consentRuleSchema, consentRulesSchema, MAX_CONSENT_RULES, storedRules } from "../schema/consent-rules";

/** Whether the connection's rules let this user's data through. */
export function consentAllows(rules: readonly ConsentRule[] | null | undefined, state: ConsentState): boolean {
  if (!rules?.length) return true;
  return rules.every((rule) => {
    const matches = recordOf(state, rule.regulation, normalizePurpose(rule.purpose))?.consented === rule.consented;
    return rule.action === "block" ? !matches : matches;
  });
}
