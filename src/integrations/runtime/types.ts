/** The integration definition shape (ARCHITECTURE.md "Integrations"): declarative data plus a pure transform. */
import type { z } from "zod";
import type { OutboundBatch } from "../../pipeline/outbound";

export type IntegrationKind = "event" | "audience" | "dsr";

/** One HTTP request to a partner, and the indexes of the batches (jobs) whose delivery it carries. */
export type PartnerRequest = {
  method: "POST" | "PUT" | "GET" | "DELETE" | "PATCH";
  url: string;
  headers: Record<string, string>;
  body?: string;
  jobs: number[];
};

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
  | { kind: "permanent"; reason: string };

export type TransformInput<C, S> = {
  /** Outbound batches, one per forward job, in job order. */
  batches: OutboundBatch[];
  config: C;
  connection: S;
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
  transform(input: TransformInput<z.output<C>, z.output<S>>): PartnerRequest[] | Promise<PartnerRequest[]>;
  /** Partner-specific classification (200-with-errors, multistatus); defaults to `classifyHttp`. */
  classify?(response: PartnerResponse, request: PartnerRequest): Outcome;
};
