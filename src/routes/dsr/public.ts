/** Discovery (§8.3), the signing certificate, and access/portability results (`results_url`). */
import type { Context } from "hono";
import type { WorkspaceEnv } from "../../middleware/workspace-auth";
import { exportOf, VERSION_INFO } from "../../privacy/dsr";
import { DsrError, notFound, requestNotFound, resultsGone } from "../../privacy/dsr-errors";
import { DISCOVERY_IDENTITY_TYPES, RAW_FORMAT } from "../../privacy/dsr-identities";
import { certificatePem } from "../../privacy/dsr-signing";
import { findById } from "../../privacy/dsr-store";
import { isEmptyExport } from "../../privacy/export-limits";
import type { ApiVersion } from "../../privacy/dsr-submit";
import { originOf } from "./respond";

/** The request types every version supports. */
export const SUBJECT_REQUEST_TYPES = ["access", "erasure", "portability"] as const;

/** GET /v{n}/discovery: what we accept and where the certificate is (public, like the spec's discovery). */
export const discovery = (version: ApiVersion) => (c: Context) =>
  c.json({
    api_version: version,
    supported_identities: DISCOVERY_IDENTITY_TYPES.map((t) => ({ identity_type: t, identity_format: RAW_FORMAT })),
    supported_subject_request_types: SUBJECT_REQUEST_TYPES,
    processor_certificate: `${originOf(c)}${VERSION_INFO[version].certPath}`,
  });

/** GET /dsr/opendsr_cert.pem, /gdpr/opengdpr_cert.pem: the certificate that verifies our signatures. */
export const certificate = (c: Context) => {
  const pem = certificatePem(c.env as Env);
  if (!pem) {
    const m = "The DSR signing certificate is not configured (Worker secret DSR_CERTIFICATE).";
    throw new DsrError(503, m, [{ domain: "Server", reason: "ServiceUnavailableException", message: m }]);
  }
  return c.body(pem, 200, { "Content-Type": "application/x-pem-file", "Cache-Control": "public, max-age=3600" });
};

/** GET /dsr/results/{id}: the export of a completed access/portability request for 7 days, then 410; 404 when nothing matched. */
export const results = async (c: Context<WorkspaceEnv>) => {
  const row = await findById(c.env, c.get("workspace").id, c.req.param("id") ?? "");
  if (!row) throw requestNotFound();
  if (row.requestType === "erasure") throw notFound("Erasure requests have no results.");
  if (row.status !== "completed") throw notFound(`The request is ${row.status}; results are available once it is completed.`);
  if (row.resultsExpiresAt !== null && Date.now() >= row.resultsExpiresAt) throw resultsGone();
  // §8.3: "404 if no matching records" — no export (none produced, or removed by a later erasure) or an empty one.
  const exported = exportOf(row);
  if (exported === undefined || isEmptyExport(exported)) throw notFound("No records match the subject of this request.");
  return new Response(JSON.stringify(exported), {
    headers: {
      "Content-Type": "application/json; charset=UTF-8",
      "Content-Disposition": `attachment; filename="dsr-${row.subjectRequestId}.json"`,
      "Cache-Control": "no-store",
    },
  });
};
