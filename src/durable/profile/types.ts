/** What UserProfile takes and answers (its RPC types), shared by its parts and modules. */
import type { Identity } from "../../identity/identity-types";
import type { StrategyConfig } from "../../identity/strategy";
import type { KeepTypes } from "../../identity/public-key";
import type { ConsentInput, ConsentState } from "../../privacy/consent";
import type { AttributeValue } from "../profile-merge";
import type { ProfileIdentity } from "./identities";
import type { ConsentResult } from "./consent";
import type { EventDetail, HistoryEvent, ProfileEvent } from "./events";
import type { ModuleInputs, ModuleResults, ModuleViews } from "./modules";

export type { ProfileIdentity };

export type { EventDetail, HistoryEvent, ProfileEvent };

export type ProfileIngest = {
  mpid: string;
  workspaceId: number;
  batchId: string;
  /** Time of the batch's data (latest event time, else receipt): orders attribute writes. */
  ts: number;
  /** Identities to record (already cleared of unique values other profiles hold). */
  identities: Identity[];
  /** Keep several values per user identity type (best match strategy). */
  multiValued?: boolean;
  /** Types whose held value this batch may not replace (batches received with the public key: "all"). */
  keep?: KeepTypes;
  source?: { input: number; rank: number };
  userAttributes?: Record<string, AttributeValue>;
  deletedUserAttributes?: string[];
  /** `source_message_id` per event (null when absent), in event order. */
  messageIds: (string | null)[];
  /** History entries for the events of this batch (message id, type, name, time, detail), in event order. */
  events?: ProfileEvent[];
  /** Consent records of the batch the workspace accepts, and the GPC record (`src/privacy/consent.ts`). */
  consent?: ConsentInput;
  /** What each per-batch module needs from the workspace's configuration (`modules.ts`), keyed by module name. */
  modules?: Partial<ModuleInputs>;
  /** "workspace": the object reads `modules` itself from the configuration cache (`module-inputs.ts`); ignored when `modules` is given. */
  moduleInputs?: "workspace";
};

export type ProfileView = {
  mpid: string;
  createdAt: number;
  lastSeen: number;
  identities: ProfileIdentity[];
  attributes: Record<string, AttributeValue>;
  attributeSources: Record<string, { ts: number; source: number | null; rank: number }>;
  /** The workspace's consent state of the user (empty object when none). */
  consent: ConsentState;
  /** What each per-batch module shows of the user in this workspace, keyed by module name. */
  modules: ModuleViews;
};

export type ProfileIngestResult = {
  status: "ok";
  createdAt: number;
  identities: ProfileIdentity[];
  attributes: Record<string, AttributeValue>;
  duplicates: number[];
  /** Identity values this batch replaced (to release from the index). */
  replaced: Identity[];
  /** What each per-batch module answered for this batch, keyed by module name. */
  modules: ModuleResults;
} & ConsentResult;

/** What `ingestIf` checks before applying a batch (atomically: the object runs one call at a time). */
export type IngestExpectation = {
  /** Identities the profile must already hold (it must exist). */
  holds: Identity[];
  /** When set, the profile must also be eligible to answer a request carrying `holds` under this strategy. */
  eligibleFor?: StrategyConfig;
};

export type IngestIfResult = { status: "ok"; result: ProfileIngestResult } | { status: "mismatch"; exists: boolean; identities: Identity[] };
