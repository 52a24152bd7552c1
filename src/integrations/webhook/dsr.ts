/**
 * Webhook DSR forwarding: one signed JSON notification per data subject request, in the OpenDSR request
 * format (subject_request_id, subject_request_type, submitted_time, subject_identities[]), so a receiver
 * can act on it like on any OpenDSR request. Every request type is forwarded; the receiver decides.
 */
import { hmacSha256Hex } from "../../lib/crypto";
import { OPENDSR_TO_INTERNAL } from "../../privacy/dsr-identities";
import type { DsrCapability, DsrSubject } from "../runtime/types";
import { SIGNATURE_HEADER } from "./signature";

/** Header that tells a DSR notification from an event batch on the same URL. */
export const MESSAGE_TYPE_HEADER = "X-Edge-CDP-Message-Type";

/** Internal identity name → the OpenDSR top-level name (others keep their internal name, as in the extension). */
const INTERNAL_TO_OPENDSR: Record<string, string> = Object.fromEntries(
  Object.entries(OPENDSR_TO_INTERNAL)
    .filter(([k]) => k !== "roku_publishing_id")
    .map(([k, v]) => [v, k]),
);

/** The notification body (OpenDSR request format plus our MPIDs in `extensions`). */
export function webhookDsrBody(subject: DsrSubject): Record<string, unknown> {
  return {
    message_type: "data_subject_request",
    subject_request_id: subject.subjectRequestId,
    subject_request_type: subject.requestType,
    regulation: subject.regulation,
    submitted_time: subject.submittedTime,
    subject_identities: subject.identities.map((i) => ({ identity_type: INTERNAL_TO_OPENDSR[i.type] ?? i.type, identity_value: i.value, identity_format: "raw" })),
    extensions: { "edge-cdp": { mpids: subject.mpids } },
  };
}

export const webhookDsr: DsrCapability<{ url: string; sharedSecret?: string }> = {
  requestTypes: ["access", "portability", "erasure"],
  domain: (config) => new URL(config.url).hostname,
  async requests({ subject, config }) {
    const body = JSON.stringify(webhookDsrBody(subject));
    const headers: Record<string, string> = { "Content-Type": "application/json", "User-Agent": "edge-cdp-webhook/1", [MESSAGE_TYPE_HEADER]: "dsr" };
    if (config.sharedSecret) headers[SIGNATURE_HEADER] = `sha256=${await hmacSha256Hex(config.sharedSecret, body)}`;
    return [{ method: "POST", url: config.url, headers, body, jobs: [] }];
  },
};
