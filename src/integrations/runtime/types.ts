/** The integration definition shape (ARCHITECTURE.md "Integrations"): declarative data plus a pure transform. */
import type { z } from "zod";
import { BATCH_TO_IDSYNC } from "../../identity/identity-types";
import type { OutboundBatch } from "../../pipeline/outbound";

export type IntegrationKind = "event" | "audience" | "dsr";

/**
 * Where one item of a request body came from: the job (batch index in the transform input) and, for an
 * event, its index in that batch's `events` (absent = batch-level data such as user attributes).
 * `group` names the body array when a request has several (Braze: "attributes", "events", "purchases").
 */
export type RequestItem = { job: number; event?: number; group?: string };

/** One HTTP request to a partner, and the indexes of the batches (jobs) whose delivery it carries. */
export type PartnerRequest = {
  method: "POST" | "PUT" | "GET" | "DELETE" | "PATCH";
  url: string;
  headers: Record<string, string>;
  body?: string;
  jobs: number[];
  /** The body's items in the order the partner indexes them (per `group`), for per-item answers. */
  items?: RequestItem[];
};

/** Something transform could not send (e.g. a required identity is missing): dropped and counted, never retried. */
export type Drop = { job: number; /** absent = the whole batch */ event?: number; reason: string };

/** Full transform result: the requests plus what was dropped. A bare array means nothing was dropped. */
export type TransformResult = { requests: PartnerRequest[]; dropped: Drop[] };

/** One item the partner refused inside an otherwise answered request (207, 200-with-errors, 400 + indices). */
export type ItemFailure = { item: RequestItem; reason: string };

/** What the partner answered; `error` is set instead of `status` for network errors and timeouts. */
export type PartnerResponse = {
  status?: number;
  headers: Record<string, string>;
  body: string;
  error?: string;
};

export type Outcome =
  | { kind: "ok" }
  | { kind: "retryable"; retryAfterSeconds?: number; reason: string }
  | { kind: "permanent"; reason: string }
  /**
   * Per-item answer: `failed` items are permanent (dead letters with the partner's reason). The other items
   * were accepted (`rest: "ok"`, e.g. Mixpanel failed_records, Braze 2xx errors) or must be sent again
   * without the failed ones (`rest: "resend"`, e.g. Amplitude 400 with invalid-event indices).
   */
  | { kind: "partial"; failed: ItemFailure[]; rest: "ok" | "resend"; reason: string };

export type TransformInput<C, S> = {
  /** Outbound batches, one per forward job, in job order. */
  batches: OutboundBatch[];
  config: C;
  connection: S;
  /** Current time in ms (the consumer passes Date.now(); fixtures a fixed value). */
  now?: number;
};

/** An output integration. `transform` is pure: no fetch, no env. */
export type IntegrationDefinition<C extends z.ZodType = z.ZodType, S extends z.ZodType = z.ZodType> = {
  slug: string;
  /** mParticle module id, where the partner has one. */
  moduleId?: number;
  title: string;
  kinds: IntegrationKind[];
  /** Output (account-level) configuration settings. */
  configSchema: C;
  /** Per-connection settings. */
  connectionSchema: S;
  /** Names of configuration settings that are secret: encrypted at rest, never returned by the API. */
  secretSettings: string[];
  /** Input platforms it accepts ("*" = all). */
  platforms: string[] | "*";
  /** Event types it forwards ("*" = all). */
  eventTypes: string[] | "*";
  /** Most batches (jobs) one transform call may receive; the runtime groups jobs accordingly. */
  maxBatchesPerCall: number;
  /**
   * How consent changes reach this output (seed 002 "Forwarding consent state to partners"): the raw
   * batch's `system_notifications` (Webhook), or "Consent Given" / "Consent Rejected" custom events
   * (Amplitude, Mixpanel). Absent: neither (the batch still carries the user's `consent_state`).
   */
  consentForwarding?: "system_notifications" | "custom_events";
  /**
   * Takes custom mappings: its connection settings carry `fieldTransformationId` (runtime/custom-mappings.ts) and
   * each outbound batch is reshaped by that field transformation before `transform`. `"object"`: the output is sent
   * as it is (any JSON object: the webhook); `"batch"`: the output stands in for the outbound batch, completed with
   * the fields it leaves out and checked for their types (partners).
   */
  customMappings?: "object" | "batch";
  /** Receives data plan validation results as the batch's `validation_results` (docs/data-plans.md); others never see them. */
  validationResults?: boolean;
  transform(input: TransformInput<z.output<C>, z.output<S>>): PartnerRequest[] | TransformResult | Promise<PartnerRequest[] | TransformResult>;
  /** Partner-specific classification (200-with-errors, multistatus); defaults to `classifyHttp`. */
  classify?(response: PartnerResponse, request: PartnerRequest): Outcome;
  /** Data subject request forwarding (issue 6), for partners with a deletion / DSR API. */
  dsr?: DsrCapability<z.output<C>>;
};

/** The subject of a data subject request, as forwarded to partners. */
export type DsrSubject = {
  subjectRequestId: string;
  requestType: "access" | "portability" | "erasure";
  regulation: "gdpr" | "ccpa" | null;
  /** ISO 8601 time the controller submitted the request. */
  submittedTime: string;
  /** Every identity of the subject's profiles and of the request (internal IDSync names), without `mpid`. */
  identities: { type: string; value: string }[];
  mpids: string[];
};

/**
 * Partner requests for a DSR; or why there is nothing to send (`skip`, reported `skipped`); or why it cannot
 * be sent as configured (`fail`, reported `failed`, e.g. a missing credential).
 */
export type DsrRequests = PartnerRequest[] | { skip: string } | { fail: string };

/** What an integration does with a DSR: pure request building, like `transform` (no fetch, no env). */
export type DsrCapability<C> = {
  /** Request types the partner has an API for; other types are reported `skipped`. */
  requestTypes: DsrSubject["requestType"][];
  /** Domain reported in the v3 `extensions` status. */
  domain(config: C): string;
  /** The partner requests for this subject (see `DsrRequests`). */
  requests(input: { subject: DsrSubject; config: C; now: number }): DsrRequests | Promise<DsrRequests>;
  /** Answer classification; defaults to `classifyHttp`. */
  classify?(response: PartnerResponse, request: PartnerRequest): Outcome;
};

/**
 * The subject's values of the identity a partner keys users by (`type`: a batch or IDSync identity name, or
 * "mpid" for the subject's MPIDs), without duplicates.
 */
export function subjectIdsOf(subject: DsrSubject, type: string): string[] {
  const idsync = BATCH_TO_IDSYNC[type] ?? type;
  return [...new Set(type === "mpid" ? subject.mpids : subject.identities.filter((i) => i.type === idsync).map((i) => i.value))];
}

/** Normalises a transform's return value to `{requests, dropped}`. */
export function toTransformResult(r: PartnerRequest[] | TransformResult): TransformResult {
  return Array.isArray(r) ? { requests: r, dropped: [] } : r;
}
