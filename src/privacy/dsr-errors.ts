/**
 * OpenDSR error bodies (mparticle-api.md §8.5): `{"code":400,"message":…,"errors":[{"domain","reason","message"}]}`.
 * mParticle documents this unwrapped shape for every version (the OpenGDPR/OpenDSR spec wraps it in
 * `{"error":{…}}` and marks the wrapper optional); we answer unwrapped on v1, v2 and v3 alike.
 */
import type { ContentfulStatusCode } from "hono/utils/http-status";

export type DsrErrorDetail = { domain: string; reason: string; message: string };
export type DsrErrorBody = { code: number; message: string; errors: DsrErrorDetail[] };

/** An error of the DSR API: its status, top-level message and details decide the answer. */
export class DsrError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    message: string,
    readonly details: DsrErrorDetail[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  /** The JSON body of the answer. */
  body(): DsrErrorBody {
    return { code: this.status, message: this.message, errors: this.details };
  }
}

const detail = (domain: string, reason: string, message: string): DsrErrorDetail => ({ domain, reason, message });

/** 400 for invalid data; one detail per problem found. */
export function invalidRequest(messages: string[]): DsrError {
  const list = messages.length > 0 ? messages : ["Invalid data was detected."];
  return new DsrError(400, list[0]!, list.map((m) => detail("Validation", "IllegalArgumentException", m)));
}

/** 400: the workspace already has a request with this subject_request_id. */
export const alreadyExists = () => new DsrError(400, "Subject request already exists.", [detail("Validation", "InvalidOperationException", "Subject request already exists.")]);

/** 400 (v3): an `mpid` identity must be alone. */
export const mpidNotAlone = () => {
  const m = "If an mpid is provided, it must be the only identity in the request.";
  return new DsrError(400, m, [detail("Validation", "IllegalArgumentException", m)]);
};

/** 400: DELETE of a request that is no longer pending. */
export const notCancellable = (status: string) => {
  const m = `Only pending requests can be cancelled; this request is ${status}.`;
  return new DsrError(400, m, [detail("Validation", "InvalidOperationException", m)]);
};

/** 404 with `message`. */
export const notFound = (message: string) => new DsrError(404, message, [detail("Request", "NotFoundException", message)]);

/** 404: no request with this id in the caller's workspace. */
export const requestNotFound = () => notFound("The specified subject request id could not be found.");

/** 409: an in-progress request with the same identities, extensions and type exists. */
export const inProgressDuplicate = (subjectRequestId: string) => {
  const m = "There is an in progress request with the same identities, extensions and type.";
  return new DsrError(409, m, [detail("Validation", "ConflictException", `${m} (subject_request_id ${subjectRequestId})`)]);
};

/** 410: results_url past its 7 days. */
export const resultsGone = () => {
  const m = "The results of this request have expired.";
  return new DsrError(410, m, [detail("Request", "GoneException", m)]);
};

/** 503: the response could not be signed (key material missing or unusable); nothing was stored. */
export const signingUnavailable = (why: string) => {
  const m = `DSR requests cannot be accepted: ${why}`;
  return new DsrError(503, m, [detail("Server", "ServiceUnavailableException", m)], { "Retry-After": "300" });
};
