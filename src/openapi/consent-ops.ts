/** Consent operations (our addition to the Platform API): a connection's consent forwarding rules. */
import { PutConsentRules } from "../routes/platform/consent-rules";
import { op, type Operation } from "./operation";

export const consentOperations: Operation[] = [
  op("get", "/connections/{id}/consent_rules", "Consent", "A connection's consent forwarding rules"),
  op("put", "/connections/{id}/consent_rules", "Consent", "Replace a connection's consent forwarding rules", {
    body: PutConsentRules,
    description: 'Rules are evaluated per user with the consent state after each batch. "block": not forwarded when the record matches; a missing record forwards. "forward": forwarded only when the record exists and matches.',
  }),
];
