/**
 * Data subject requests (OpenDSR v1/v2/v3, mparticle-api.md §8): settings, the life cycle's timing, and the
 * JSON views (status, callback) of a `dsr_requests` row. Storage is in `dsr-store.ts`, the cron pass in
 * `dsr-cron.ts`, callbacks in `dsr-callbacks.ts`, processing (erasure/export) in `dsr-processing.ts`.
 */
import type { dsrRequests } from "../db/schema";
import { DAY_MS } from "../lib/time";
import type { PartnerDsrStatus } from "./dsr-types";
import type { ApiVersion, RequestType } from "./dsr-submit";

export type DsrRow = typeof dsrRequests.$inferSelect;
export type DsrStatus = "pending" | "in_progress" | "completed" | "cancelled";

/** Default waiting period before an erasure is processed: 7 days (mparticle-api.md §8.2 `skip_waiting_period`). */
export const DEFAULT_WAITING_PERIOD_SECONDS = 7 * 86_400;
/**
 * Processing window after the waiting period: expected completion = start + 14 days, the top of mParticle's
 * ranges (erasure 7–21 days, 1–14 days with skip_waiting_period).
 */
export const DSR_PROCESSING_WINDOW_MS = 14 * DAY_MS;
/** results_url answers for 7 days after completion, then 410 (§8.3). */
export const DSR_RESULTS_TTL_MS = 7 * DAY_MS;

/** Integer setting from a `[vars]` string, or the default when empty or invalid. */
export function intVar(raw: string | undefined, fallback: number, min = 0): number {
  const n = Number(raw?.trim() || Number.NaN);
  return Number.isInteger(n) && n >= min ? n : fallback;
}

/** The waiting period (DSR_WAITING_PERIOD_SECONDS), in ms. */
export function waitingPeriodMs(env: Env): number {
  return intVar(env.DSR_WAITING_PERIOD_SECONDS, DEFAULT_WAITING_PERIOD_SECONDS) * 1000;
}

/**
 * The processor domain of the X-OpenDSR-Processor-Domain header: DSR_PROCESSOR_DOMAIN, else the host name the
 * request came to, without a port (receivers check it against the certificate's name, and certificates name
 * hosts, not ports).
 */
export function processorDomain(env: Env, origin: string): string {
  const configured = env.DSR_PROCESSOR_DOMAIN?.trim();
  if (configured) return configured;
  try {
    return new URL(origin).hostname;
  } catch {
    return origin;
  }
}

/**
 * When processing may start and when it is expected to end. Erasures wait the waiting period unless
 * `skip_waiting_period`; access and portability export without deleting anything, so they start at the
 * next cron pass (the window to cancel them is until then).
 */
export function schedule(env: Env, type: RequestType, skipWaitingPeriod: boolean, now: number): { processAfter: number; expectedCompletionAt: number } {
  const processAfter = type === "erasure" && !skipWaitingPeriod ? now + waitingPeriodMs(env) : now;
  return { processAfter, expectedCompletionAt: processAfter + DSR_PROCESSING_WINDOW_MS };
}

/** The access/portability export held in the `results` column, or undefined when there is none (yet, or any more). */
export function exportOf(row: Pick<DsrRow, "results">): unknown {
  if (row.results === null) return undefined;
  try {
    return JSON.parse(row.results) as unknown;
  } catch {
    return undefined;
  }
}

const iso = (ms: number) => new Date(ms).toISOString();

/** The versions' resource paths and signature headers. */
export const VERSION_INFO: Record<ApiVersion, { base: string; headerPrefix: "X-OpenDSR" | "X-OpenGDPR"; certPath: string }> = {
  "1.0": { base: "/v1/opengdpr_requests", headerPrefix: "X-OpenGDPR", certPath: "/gdpr/opengdpr_cert.pem" },
  "2.0": { base: "/v2/requests", headerPrefix: "X-OpenDSR", certPath: "/dsr/opendsr_cert.pem" },
  "3.0": { base: "/v3/requests", headerPrefix: "X-OpenDSR", certPath: "/dsr/opendsr_cert.pem" },
};

/** Path of a request's export (authenticated with the workspace credentials). */
export const resultsPath = (id: string) => `/dsr/results/${id}`;

export type StatusBody = {
  controller_id: string;
  expected_completion_time: string | null;
  subject_request_id: string;
  group_id: string | null;
  request_status: DsrStatus;
  api_version: string;
  results_url: string | null;
  extensions: PartnerDsrStatus[] | null;
};

/** GET status body (§8.3); `origin` makes results_url absolute. */
export function statusBody(row: DsrRow, origin: string): StatusBody {
  const status = row.status as DsrStatus;
  const hasResults = status === "completed" && row.requestType !== "erasure";
  return {
    controller_id: String(row.workspaceId),
    expected_completion_time: status === "cancelled" ? null : iso(row.expectedCompletionAt),
    subject_request_id: row.subjectRequestId,
    group_id: row.groupId,
    request_status: status,
    api_version: row.apiVersion,
    results_url: hasResults ? `${origin}${resultsPath(row.id)}` : null,
    extensions: row.partnerStatus.length > 0 ? (row.partnerStatus as PartnerDsrStatus[]) : null,
  };
}

/** Callback body (§8.4, plus the OpenDSR spec's `status_callback_url`): exactly what is signed and POSTed. */
export function callbackBody(row: DsrRow, url: string): string {
  const s = statusBody(row, row.origin);
  return JSON.stringify({
    controller_id: s.controller_id,
    expected_completion_time: s.expected_completion_time,
    status_callback_url: url,
    subject_request_id: s.subject_request_id,
    request_status: s.request_status,
    api_version: s.api_version,
    results_url: s.results_url,
    extensions: s.extensions,
  });
}

/** Submit response body (§8.2). */
export function submitBody(row: DsrRow): Record<string, string> {
  return {
    expected_completion_time: iso(row.expectedCompletionAt),
    received_time: iso(row.receivedAt),
    encoded_request: row.encodedRequest,
    subject_request_id: row.subjectRequestId,
    controller_id: String(row.workspaceId),
  };
}

/** Cancel response body (§8.3): `received_time` is when the cancellation was received. */
export function cancelBody(row: DsrRow, now: number): Record<string, string | null> {
  return { expected_completion_time: null, received_time: iso(now), subject_request_id: row.subjectRequestId, controller_id: String(row.workspaceId) };
}
