/** DSR API (OpenDSR v2/v3, OpenGDPR v1) operations, with the zod schemas the submit route validates with. */
import { z } from "zod";
import { VERSION_INFO } from "../privacy/dsr";
import { type ApiVersion, SUBMIT_SCHEMAS } from "../privacy/dsr-submit";
import { type Operation, op } from "./operation";

const TAG = "DSR API (OpenDSR)";
const AUTH = "HTTP Basic with the workspace key and secret (workspace credentials, not input keys).";
const ERRORS =
  'Errors: `{"code":400,"message":…,"errors":[{"domain","reason","message"}]}` (400 invalid data, duplicate subject_request_id, v3 mpid not alone, a status_callback_url that is not https (http only to localhost / 127.0.0.1); 401; 404; 405 with Allow for other methods; 409 in-progress duplicate; 429 with Retry-After per workspace and, before authentication, per client IP; 503 when the signing key is not configured).';
const SIGNED = (h: string) => `The answer is signed: \`${h}-Processor-Domain\` and \`${h}-Signature\` (base64 RSA-SHA256 over the exact body; certificate at processor_certificate of discovery).`;

function versionOps(version: ApiVersion): Operation[] {
  const { base, headerPrefix } = VERSION_INFO[version];
  const v = `v${version[0]}`;
  const basic = { tag: TAG, auth: "basic" as const, raw: true };
  return [
    { ...basic, method: "post", path: base, summary: `Submit a data subject request (${v})`, body: SUBMIT_SCHEMAS[version], status: 201, description: `${AUTH} ${SIGNED(headerPrefix)} ${ERRORS}` },
    { ...basic, method: "get", path: base, summary: `Statuses of a group's requests (${v})`, query: z.object({ group_id: z.string() }), description: `${AUTH} An array of status objects.` },
    { ...basic, method: "get", path: `${base}/{id}`, summary: `Status of a request (${v})`, description: `${AUTH} ${SIGNED(headerPrefix)} 404 outside the caller's workspace.` },
    { ...basic, method: "delete", path: `${base}/{id}`, summary: `Cancel a pending request (${v})`, status: 202, description: `${AUTH} 400 unless the request is pending.` },
    { tag: TAG, auth: "none", raw: true, method: "get", path: `/${v}/discovery`, summary: `Discovery: identity types, request types, certificate URL (${v})` },
  ];
}

export const dsrOperations: Operation[] = [
  ...(["1.0", "2.0", "3.0"] as ApiVersion[]).flatMap(versionOps),
  { tag: TAG, auth: "none", raw: true, method: "get", path: VERSION_INFO["3.0"].certPath, summary: "The PEM certificate that verifies OpenDSR (v2/v3) signatures" },
  { tag: TAG, auth: "none", raw: true, method: "get", path: VERSION_INFO["1.0"].certPath, summary: "The PEM certificate that verifies OpenGDPR (v1) signatures" },
  {
    tag: TAG,
    auth: "basic",
    raw: true,
    method: "get",
    path: "/dsr/results/{id}",
    summary: "results_url: the export of a completed access/portability request (7 days, then 410)",
    description: `${AUTH} 404 when no records match the subject (or a later erasure removed them). The export is capped at 640 KB; \`truncated\` then says what was left out.`,
  },
  // Platform API, under both /workspaces and the singular /workspace alias.
  ...["/workspaces", "/workspace"].flatMap((base) => [
    op("get", `${base}/{id}/credentials`, "Workspace credentials", "List the workspace's DSR API credentials (keys, never secrets)"),
    op("post", `${base}/{id}/credentials`, "Workspace credentials", "Issue DSR API credentials for the workspace (secret shown once)", { status: 201 }),
    op("delete", `${base}/{id}/credentials/{credentialId}`, "Workspace credentials", "Revoke a workspace credential", { status: 204 }),
  ]),
];
