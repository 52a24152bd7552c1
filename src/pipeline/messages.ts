/** Queue message shapes (ARCHITECTURE.md "Queues"). Versioned so a deploy can read older messages. */
import type { OutboundBatch, SourceChannel } from "./outbound";

/** One accepted batch, or one part of a batch that was split to fit the queue message limit. */
export type IngestItem = {
  batchId: string;
  /** Index of this part's first event in the original batch. */
  eventOffset: number;
  /** Present when the batch was split: this part's index and the number of parts. */
  part?: { index: number; count: number };
  batch: Record<string, unknown> & { events?: { event_type: string; data?: Record<string, unknown> | null }[] };
};

export type IngestMessage = {
  v: 1;
  type: "ingest";
  inputId: number;
  workspaceId: number;
  organizationId: number;
  /** Optional for messages queued before it existed. */
  accountId?: number;
  /** Input protection level (seed 004) and attribute source-type rank, from the input at receipt. */
  protection?: "create_update" | "update_only" | "read_only";
  sourceRank?: number;
  receivedAt: number;
  channel: SourceChannel;
  historical: boolean;
  ip?: string;
  userAgent?: string;
  /** Browser traffic sent `Sec-GPC: 1` (Global Privacy Control); the privacy stage maps it per workspace. */
  gpc?: boolean;
  /**
   * "add_only": received with the input's public key alone (browser routes), so the batch's identities may
   * add values but never replace what a profile holds (src/identity/public-key.ts). Absent: full power.
   */
  identityWrites?: "add_only";
  /** Set on the rows of a CSV import (src/imports/): the import's id, carried to outputs as `source_info.import_id`. */
  importId?: string;
  /** Service-limit corrections made at the edge (counted once, on the first message of a request). */
  limitCorrections: number;
  items: IngestItem[];
};

/** An accepted alias request: its effect is applied by the ingest consumer (mparticle-api.md §3.6). */
export type AliasMessage = {
  v: 1;
  type: "alias";
  scope: string;
  workspaceId: number;
  inputId: number;
  sourceMpid: string;
  destinationMpid: string;
  start: number;
  end: number;
};

export type ForwardJob = {
  v: 1;
  type: "forward";
  connectionId: number;
  outputId: number;
  /**
   * The connection's generation with `connectionId` and `outputId`: its `created_at` (editing settings keeps it).
   * The forward consumer delivers only while the connection still has all three (docs/security.md "Ids and
   * generations"); absent on jobs queued before it existed, which are checked by output id alone.
   */
  connectionCreatedAt?: number;
  workspaceId: number;
  inputId: number;
  /** Set when a dead letter is replayed. */
  replayOf?: string;
  /** Delivery attempts this job used before it was queued again on its own, out of a group (src/forward/job-groups.ts). */
  priorAttempts?: number;
  /** The connection's rules already ran on `batch` (src/forward/connection-rules.ts): not run again on resend or replay. */
  rulesApplied?: true;
  batch: OutboundBatch;
};

/**
 * Why a forward job became a dead letter: the partner refused it, retries ran out, the configuration is broken,
 * the connection it was queued for was deleted or replaced by another with the same id, or the output's stored
 * secret settings cannot be decrypted with the configured keys (they must be entered again).
 */
export type DeadLetterReason = "permanent" | "exhausted" | "configuration" | "connection_deleted" | "connection_recreated" | "secret_undecryptable";

/** What the forward consumer sends to `forward-dlq` (a raw ForwardJob may also arrive there via max_retries). */
export type DeadLetterMessage = {
  v: 1;
  type: "dead_letter";
  reason: DeadLetterReason;
  attempts: number;
  statusCode?: number;
  response?: string;
  job: ForwardJob;
};
