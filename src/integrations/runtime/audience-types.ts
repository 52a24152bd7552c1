/**
 * The audience output contract (issue 20, docs/audience-outputs.md): what a partner module gives the
 * per-connection uploader. Partner modules build requests and read answers; the uploader (a Durable Object
 * driven by the audience-changes queue and alarms) owns coalescing, cadence, retries, dead letters, faults,
 * backfill and counters. Partner code never touches env, storage or queues.
 */
import type { z } from "zod";
import type { Outcome, PartnerResponse } from "./types";

export type { Outcome, PartnerResponse };

/**
 * A member as the uploader hands it to a partner. Identity keys are the Events API batch names
 * (`email`, `customer_id`, `mobile_number`, `other`, `facebook`, `twitter`, …); device ids are the batch's
 * `device_info` names (`ios_advertising_id` = IDFA, `android_advertising_id` = AAID/GAID, `ios_idfv`,
 * `android_uuid`, `roku_advertising_id`, `fire_advertising_id`, … — src/identity/identity-types.ts
 * DEVICE_INFO_TO_IDSYNC). `user_attributes` are the workspace's attributes when the membership last changed
 * (may be `{}`: left out of messages over 48 KB). An erasure's removal carries the last known member.
 */
export type AudienceMember = {
  mpid: string;
  user_identities: Record<string, string>;
  device_identities: Record<string, string>;
  user_attributes: Record<string, unknown>;
  /**
   * The user's audiences in the workspace right after the change this member came with (ids, ascending), for
   * partners that write the whole set (Braze's SegmentMembership string). Absent on changes made before it existed.
   */
  audience_memberships?: number[];
};

/** One coalesced change: the latest action per user inside the window (an add then a delete sends nothing). */
export type MembershipChange = { action: "add" | "delete"; member: AudienceMember };

/** The mParticle audience being uploaded. `external_name` is the name partners see. */
export type AudienceRef = { id: number; name: string; external_name: string; workspace_id: number };

/** Partner-side state the uploader keeps per audience connection (JSON), e.g. Facebook's custom audience ids. */
export type AudienceState = Record<string, unknown>;

/** One HTTP request of an upload. `rows` = members it carries (counted as uploads/adds/removes). */
export type AudienceRequest = {
  method: "POST" | "PUT" | "GET" | "DELETE" | "PATCH";
  /** The partner's real URL; the runtime rewrites its origin to PARTNER_API_ORIGIN when set. */
  url: string;
  headers: Record<string, string>;
  body?: string;
  action: "add" | "delete";
  /** MPIDs of the members this request carries, in body order (for per-row rejections). */
  mpids: string[];
};

/** A member a partner cannot take (e.g. Braze without external id): counted and skipped, never retried. */
export type SkippedMember = { mpid: string; reason: string };

export type AudienceUploadInput<C, S> = {
  audience: AudienceRef;
  /** Output (account-level) settings, secrets decrypted. */
  config: C;
  /** Per-connection settings. */
  connection: S;
  state: AudienceState;
  /** Coalesced changes, adds and deletes mixed, at most `maxRowsPerUpload` of them. */
  changes: MembershipChange[];
  now: number;
};

/** Side-effecting steps (create/delete partner-side audiences) get a sender; the runtime applies origin and timeout. */
export type AudienceCallContext<C, S> = {
  audience: AudienceRef;
  config: C;
  connection: S;
  state: AudienceState;
  now: number;
  send(request: Omit<AudienceRequest, "action" | "mpids">): Promise<PartnerResponse>;
  /**
   * Members this connection uploaded as added (and not removed since), in MPID order after `after`, at most
   * `limit` (≤ 10,000) per call — for a partner whose documented disconnect removes members one by one.
   * Optional for callers; the uploader always provides it.
   */
  uploadedMembers?(after: string, limit: number): Promise<AudienceMember[]>;
};

/** Result of a side-effecting step: new state, or an outcome the uploader treats like an upload's. */
export type AudienceStepResult = { state: AudienceState } | { outcome: Outcome };

/** How long changes may wait before an upload, per the partner's documented cadence (seed / audience-outputs.md). */
export type AudienceCadence = {
  /** Upload when the oldest pending change is this old… */
  maxWaitSeconds: number;
  /** …or when this many changes are pending. */
  maxPending: number;
  /** At least this long between two uploads of one action (X: 6 h). Absent = no minimum. */
  minIntervalSeconds?: number;
};

export type AudiencePartner<C extends z.ZodType = z.ZodType, S extends z.ZodType = z.ZodType> = {
  /** The service name in `/v1/services` (the event integration's slug where the partner has one). */
  slug: string;
  title: string;
  configSchema: C;
  connectionSchema: S;
  /** Names of configuration settings that are secret: encrypted at rest, never returned by the API. */
  secretSettings: string[];
  cadence: AudienceCadence;
  /** Most members one upload input carries (the partner's batch size, e.g. Facebook 10,000). */
  maxRowsPerUpload: number;
  /** First connect (and after a reset): create partner-side objects; answers the state to keep. */
  connect?(ctx: AudienceCallContext<z.output<C>, z.output<S>>): Promise<AudienceStepResult>;
  /** Pure: the requests for one upload, and members skipped. */
  upload(input: AudienceUploadInput<z.output<C>, z.output<S>>):
    | { requests: AudienceRequest[]; skipped: SkippedMember[] }
    | Promise<{ requests: AudienceRequest[]; skipped: SkippedMember[] }>;
  /**
   * The answer to one upload request. Auth/permission errors must be `permanent` with a reason starting
   * "auth:" or "permission:" — the uploader marks the connection faulted and keeps the changes pending.
   * `partial` with failed items = rows the partner rejected (item.job = index into request.mpids).
   */
  classify?(response: PartnerResponse, request: AudienceRequest): Outcome;
  /** The mParticle audience was deleted or the connection removed: the partner's documented behaviour. */
  disconnect?(ctx: AudienceCallContext<z.output<C>, z.output<S>>, reason: "audience_deleted" | "disconnected"): Promise<AudienceStepResult>;
};
