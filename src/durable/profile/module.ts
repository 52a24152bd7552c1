/**
 * The extension point of UserProfile: a per-batch module (calculated attributes, audiences…) is one file
 * exporting a `ProfileModuleDef`, registered with one line in `modules.ts`. Each module owns its tables
 * (its own schema version, recorded with the core's in `meta`), runs once per batch inside the batch's
 * transaction after identities, attributes, history and consent, may ask for an alarm, and may add to the
 * profile view. Keep its evaluation a pure function over plain data (unit-tested without workerd); the
 * module class is the thin shell that reads and writes its tables.
 */
import type { AttributeValue } from "../profile-merge";
import type { ConsentState } from "../../privacy/consent";
import type { Attributes } from "./attributes";
import type { Consent } from "./consent";
import type { History } from "./history";
import type { Identities, ProfileIdentity } from "./identities";
import type { ProfileStore } from "./store";
import type { ProfileEvent } from "./events";

/** The profile's core parts, handed to each module when the object starts. */
export type ProfileParts = { store: ProfileStore; identities: Identities; attributes: Attributes; consent: Consent; history: History };

/** One batch as a module sees it, after the core parts applied it. */
export type BatchContext<In> = {
  batchId: string;
  /** This module's input from the ingest consumer (`ProfileIngest.modules[name]`); undefined when none was sent. */
  config: In | undefined;
  now: number;
  workspaceId: number;
  /**
   * The batch's events that were not duplicates, in batch order; none when this batch part was ingested before
   * (a redelivery), so modules count each event once.
   */
  events: ProfileEvent[];
  /**
   * False when the batch was recognised by its events' `source_message_id`s (every event has one; claims last
   * 30 days). True otherwise: a redelivery is then recognised only by the history's row of the batch part, which
   * a history cut may have dropped, so a module that counts keeps a key of its own.
   */
  keyed: boolean;
  /** The workspace's live user attributes after this batch. */
  attributes: Record<string, AttributeValue>;
  identities: ProfileIdentity[];
  consent: ConsentState;
  /** Answers of the modules registered before this one (by name). */
  earlier: Readonly<Record<string, unknown>>;
};

/** An alarm as a module sees it (the object's alarm runs every module's `alarm` in registration order). */
export type AlarmContext = { now: number; earlier: Readonly<Record<string, unknown>> };

/** A module's running instance inside one object. */
export interface ProfileModule<In, Out, View> {
  /** Applies one batch (inside the batch's transaction; throwing rolls the whole batch back). */
  ingest(ctx: BatchContext<In>): Out;
  /** The earliest time this module needs its alarm (ms), or null. Asked after every batch and alarm. */
  nextAlarm?(): number | null;
  /** Runs when the alarm fires at or after `nextAlarm()` (inside a transaction); answers like `ingest` for later modules. */
  alarm?(ctx: AlarmContext): unknown;
  /**
   * What this module shows in the profile view of a workspace (Profile API). Runs inside a transaction and may
   * write: with `config` (the same input a batch gets) it may bring its state up to date first.
   */
  view(workspaceId: number, now: number, config: In | undefined): View;
}

/** A module definition: its name, its tables and how to start it. */
export type ProfileModuleDef<Name extends string, In, Out, View> = {
  readonly name: Name;
  /** Schema versions of the module's tables (append a version per change; never edit a shipped one). */
  readonly schema: readonly (readonly string[])[];
  create(parts: ProfileParts): ProfileModule<In, Out, View>;
};

/** Any module definition (the registry's element type). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- every module's own type parameters
export type AnyModuleDef = ProfileModuleDef<string, any, any, any>;
