/**
 * Submit bodies of the three DSR API versions (mparticle-api.md §8.2): zod schemas (also the OpenAPI
 * request bodies) and their normalization to one internal form with internal identity names.
 */
import { z } from "zod";
import { normalizeMpid } from "../schema/batch-fields";
import { canonicalIdentities, EXTENSION_TO_INTERNAL, OPENDSR_TO_INTERNAL, RAW_FORMAT } from "./dsr-identities";
import { invalidRequest, mpidNotAlone } from "./dsr-errors";
import type { DsrIdentity } from "./dsr-types";

export type ApiVersion = "1.0" | "2.0" | "3.0";
export type RequestType = "access" | "portability" | "erasure";
export type Regulation = "gdpr" | "ccpa";

/** mParticle's processor extension key (clients may also key it by our own processor domain). */
export const MPARTICLE_EXTENSION = "opendsr.mparticle.com";
/** At most 50 identities per request (DSR API v3 page, "subject_identities"). */
export const DSR_MAX_IDENTITIES = 50;
/** Longest identity value accepted (ours; mParticle documents none). */
export const DSR_MAX_IDENTITY_VALUE_LENGTH = 1024;
/** Most status_callback_urls per request (ours; mParticle documents none). */
export const DSR_MAX_CALLBACK_URLS = 10;
/** Largest submit body (ours: 50 identities fit many times over). */
export const DSR_MAX_BODY_BYTES = 64 * 1024;

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** Longest status callback URL (ours). */
export const DSR_MAX_CALLBACK_URL_LENGTH = 2048;
/**
 * Hosts a status callback may reach over plain http (local development). Every other callback must be https:
 * the DSR API pages say callbacks "are signed and issued over TLS". The test partner origin
 * (PARTNER_API_ORIGIN) is allowed too.
 */
export const HTTP_CALLBACK_HOSTS: ReadonlySet<string> = new Set(["localhost", "127.0.0.1", "[::1]"]);

function isHttpUrl(s: string): boolean {
  if (s.length > DSR_MAX_CALLBACK_URL_LENGTH) return false;
  try {
    const u = new URL(s);
    return u.protocol === "https:" || u.protocol === "http:";
  } catch {
    return false;
  }
}

/** Why `url` cannot be a status callback (null when it can): https, or http to a local host or an allowed origin. */
export function callbackUrlProblem(url: string, httpOrigins: readonly string[]): string | null {
  const u = new URL(url);
  if (u.protocol === "https:") return null;
  if (HTTP_CALLBACK_HOSTS.has(u.hostname) || httpOrigins.includes(u.origin)) return null;
  return "must be an https URL (callbacks are issued over TLS; http only for localhost and 127.0.0.1)";
}

const value = z.string().trim().min(1).max(DSR_MAX_IDENTITY_VALUE_LENGTH);
const common = {
  subject_request_id: z.string().regex(GUID, "must be a UUID v4 string").describe("Controller-chosen UUID v4, unique per workspace"),
  subject_request_type: z.enum(["access", "portability", "erasure"]),
  submitted_time: z.string().refine((s) => ISO_TIME.test(s) && !Number.isNaN(Date.parse(s)), "must be an ISO 8601 date-time").describe("When the data subject submitted the request"),
  api_version: z.string().nullish(),
  status_callback_urls: z
    .array(z.string().refine(isHttpUrl, "must be an https URL (http only for localhost and 127.0.0.1)"))
    .max(DSR_MAX_CALLBACK_URLS)
    .nullish()
    .describe("Receivers of the status callbacks: https, or http to localhost / 127.0.0.1"),
  group_id: z.string().trim().min(1).max(255).nullish().describe("Relates requests; GET /requests?group_id= lists them"),
};
const regulation = z.enum(["gdpr", "ccpa"]);
const skip = z.boolean().nullish().describe("Start processing at the next cron pass instead of after the 7-day waiting period");

/** v1/v2 identity object. */
const ArrayIdentity = z.object({ identity_type: z.string().min(1), identity_value: value, identity_format: z.string().nullish().describe('Only "raw"') }).loose();
/** v3 dictionary entry. */
const DictIdentity = z.object({ value, encoding: z.string().nullish().describe('Only "raw"') }).loose();

const V2Extension = z
  .object({
    mpids: z.array(z.union([z.number(), z.string()])).max(DSR_MAX_IDENTITIES).nullish(),
    identities: z.array(ArrayIdentity).max(DSR_MAX_IDENTITIES).nullish(),
    skip_waiting_period: skip,
  })
  .loose();
const V3Extension = z.object({ subject_identities: z.record(z.string(), DictIdentity).nullish(), skip_waiting_period: skip }).loose();

const extensions = <T extends z.ZodType>(ext: T) => z.object({ [MPARTICLE_EXTENSION]: ext.optional() }).catchall(z.unknown()).nullish();

/** v1 (OpenGDPR) body: no `regulation`. */
const SubmitV1 = z.object({ ...common, subject_identities: z.array(ArrayIdentity).max(DSR_MAX_IDENTITIES).nullish(), extensions: extensions(V2Extension) }).loose();
/** v2 body. */
const SubmitV2 = SubmitV1.extend({ regulation });
/** v3 body: identities as a dictionary keyed by type. */
const SubmitV3 = z.object({ ...common, regulation, subject_identities: z.record(z.string(), DictIdentity).nullish(), extensions: extensions(V3Extension) }).loose();
/** The submit body schema of each version (validation and the OpenAPI request bodies). */
export const SUBMIT_SCHEMAS: Record<ApiVersion, z.ZodType> = { "1.0": SubmitV1, "2.0": SubmitV2, "3.0": SubmitV3 };

export type ParsedSubmit = {
  subjectRequestId: string;
  requestType: RequestType;
  regulation: Regulation | null;
  submittedTime: string;
  groupId: string | null;
  callbackUrls: string[];
  skipWaitingPeriod: boolean;
  /** Canonical internal identities (MPIDs as `{type:"mpid"}`). */
  identities: DsrIdentity[];
};

function valueAt(input: unknown, path: PropertyKey[]): unknown {
  let v = input;
  for (const k of path) v = v !== null && typeof v === "object" ? (v as Record<PropertyKey, unknown>)[k] : undefined;
  return v;
}

function issueMessages(error: z.ZodError, input: unknown, prefix = ""): string[] {
  return error.issues.map((i) => {
    const path = prefix + i.path.map(String).join(".");
    if (i.path.length > 0 && valueAt(input, i.path) === undefined) return `${path} field is required.`;
    return path ? `${path}: ${i.message}` : i.message;
  });
}

type Collected = { ids: DsrIdentity[]; problems: string[]; mpidGiven: boolean };

function addIdentity(out: Collected, where: string, type: string, val: string, format: string | null | undefined, extension: boolean): void {
  if (format != null && format.toLowerCase() !== RAW_FORMAT) {
    out.problems.push(`${where}: identity format "${format}" is not supported; only "raw" identities are accepted.`);
    return;
  }
  const key = type.trim().toLowerCase();
  const internal = extension ? (EXTENSION_TO_INTERNAL[key] ?? OPENDSR_TO_INTERNAL[key]) : OPENDSR_TO_INTERNAL[key];
  if (!internal) {
    const hint = !extension && EXTENSION_TO_INTERNAL[key] ? ` ("${key}" is accepted in the ${MPARTICLE_EXTENSION} extension)` : "";
    out.problems.push(`${where}: unsupported identity type "${type}"${hint}.`);
    return;
  }
  if (internal === "mpid") return addMpid(out, where, val);
  out.ids.push({ type: internal, value: val });
}

function addMpid(out: Collected, where: string, raw: unknown): void {
  const mpid = normalizeMpid(raw);
  if (!mpid) {
    out.problems.push(`${where}: an MPID must be a non-zero signed 64-bit integer.`);
    return;
  }
  out.mpidGiven = true;
  out.ids.push({ type: "mpid", value: mpid });
}

function pickExtension(ext: Record<string, unknown> | null | undefined, processorDomain: string): unknown {
  if (!ext) return undefined;
  return ext[MPARTICLE_EXTENSION] ?? ext[processorDomain];
}

/** Context of a submit: our processor domain (an extension key) and the origins callbacks may reach over http. */
export type SubmitContext = { processorDomain: string; httpCallbackOrigins?: readonly string[] };

/** Validates and normalizes a submit body of `version`; throws a DsrError (400) naming every problem. */
export function parseSubmit(version: ApiVersion, body: unknown, ctx: SubmitContext): ParsedSubmit {
  const { processorDomain } = ctx;
  const parsed = SUBMIT_SCHEMAS[version].safeParse(body);
  if (!parsed.success) throw invalidRequest(issueMessages(parsed.error, body));
  const b = parsed.data as z.output<typeof SubmitV3> & z.output<typeof SubmitV1>;
  const out: Collected = { ids: [], problems: [], mpidGiven: false };

  const major = version[0];
  if (b.api_version != null && b.api_version !== version && b.api_version !== major) out.problems.push(`api_version must be "${version}" on this endpoint (got "${b.api_version}").`);
  (b.status_callback_urls ?? []).forEach((url, i) => {
    const problem = callbackUrlProblem(url, ctx.httpCallbackOrigins ?? []);
    if (problem) out.problems.push(`status_callback_urls.${i}: ${problem}`);
  });

  let skipWaitingPeriod = false;
  const rawExt = pickExtension(b.extensions as Record<string, unknown> | null | undefined, processorDomain);
  if (version === "3.0") {
    for (const [type, id] of Object.entries((b.subject_identities ?? {}) as Record<string, z.output<typeof DictIdentity>>)) addIdentity(out, `subject_identities.${type}`, type, id.value, id.encoding, false);
    if (rawExt !== undefined) {
      const ext = V3Extension.safeParse(rawExt);
      if (!ext.success) throw invalidRequest(issueMessages(ext.error, rawExt, `extensions.${MPARTICLE_EXTENSION}.`));
      for (const [type, id] of Object.entries(ext.data.subject_identities ?? {})) addIdentity(out, `extensions.${MPARTICLE_EXTENSION}.subject_identities.${type}`, type, id.value, id.encoding, true);
      skipWaitingPeriod = ext.data.skip_waiting_period === true;
    }
  } else {
    (b.subject_identities as z.output<typeof ArrayIdentity>[] | null | undefined)?.forEach((id, i) => addIdentity(out, `subject_identities.${i}`, id.identity_type, id.identity_value, id.identity_format, false));
    if (rawExt !== undefined) {
      const ext = V2Extension.safeParse(rawExt);
      if (!ext.success) throw invalidRequest(issueMessages(ext.error, rawExt, `extensions.${MPARTICLE_EXTENSION}.`));
      ext.data.mpids?.forEach((m, i) => addMpid(out, `extensions.${MPARTICLE_EXTENSION}.mpids.${i}`, m));
      ext.data.identities?.forEach((id, i) => addIdentity(out, `extensions.${MPARTICLE_EXTENSION}.identities.${i}`, id.identity_type, id.identity_value, id.identity_format, true));
      skipWaitingPeriod = ext.data.skip_waiting_period === true;
    }
  }
  if (out.problems.length > 0) throw invalidRequest(out.problems);
  const identities = canonicalIdentities(out.ids);
  if (identities.length === 0) throw invalidRequest([`subject_identities field is required (or identities in the ${MPARTICLE_EXTENSION} extension).`]);
  if (identities.length > DSR_MAX_IDENTITIES) throw invalidRequest([`At most ${DSR_MAX_IDENTITIES} identities are allowed in one request (got ${identities.length}).`]);
  if (version === "3.0" && out.mpidGiven && identities.length > 1) throw mpidNotAlone();

  return {
    subjectRequestId: b.subject_request_id.toLowerCase(),
    requestType: b.subject_request_type,
    regulation: version === "1.0" ? null : (b.regulation ?? null),
    submittedTime: b.submitted_time,
    groupId: b.group_id ?? null,
    callbackUrls: [...new Set(b.status_callback_urls ?? [])],
    skipWaitingPeriod,
    identities,
  };
}
