/** The shapes a data subject request's processing passes around (src/privacy/dsr-processing.ts and its steps). */

/** An identity of a data subject request: internal identity type names as in src/identity/identity-types.ts (email, customerid, ios_idfa, other, …) or "mpid". */
export type DsrIdentity = { type: string; value: string };
export type PartnerDsrStatus = {
  domain: string;
  name: string;
  status: "pending" | "skipped" | "sent" | "failed";
  status_message: string | null;
};
export type DsrWork = {
  id: string;
  workspaceId: number;
  subjectRequestId: string;
  requestType: "access" | "portability" | "erasure";
  regulation: "gdpr" | "ccpa" | null;
  identities: DsrIdentity[]; // as stored on the request (the API engineer normalizes OpenDSR types to internal names)
  mpids: string[]; // [] on the first call; then what the previous step returned
  partnerStatus: PartnerDsrStatus[]; // [] on the first call; then what the previous step returned
  attempt: number; // 1 on the first call, +1 per later call
  /** The API version the request came in with; v3 (the default) requires the subject to resolve to one MPID. */
  apiVersion?: "1.0" | "2.0" | "3.0";
};
export type DsrStep = {
  done: boolean; // true when nothing is left to do (all partners sent/skipped or failed for good)
  mpids: string[];
  identities: DsrIdentity[];
  partnerStatus: PartnerDsrStatus[];
  results?: unknown; // access/portability: the JSON export (profile, identities, attributes, consent, devices, stored events)
  /** Set when the request cannot be carried out at all (with `done`): why; the request completes showing it. */
  failed?: string;
};
