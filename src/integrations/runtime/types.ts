/** The integration definition shape (ARCHITECTURE.md "Integrations"): declarative data plus a pure transform. */
import type { z } from "zod";
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
  transform(input: TransformInput<z.output<C>, z.output<S>>): PartnerRequest[] | TransformResult | Promise<PartnerRequest[] | TransformResult>;
  /** Partner-specific classification (200-with-errors, multistatus); defaults to `classifyHttp`. */
  classify?(response: PartnerResponse, request: PartnerRequest): Outcome;
};

/** Normalises a transform's return value to `{requests, dropped}`. */
export function toTransformResult(r: PartnerRequest[] | TransformResult): TransformResult {
  return Array.isArray(r) ? { requests: r, dropped: [] } : r;
}
