/** Shapes of the access / portability export (DSR `results`), shared by UserProfile and the export builder. */
import type { AttributeValue } from "../durable/profile-merge";

export type ExportedIdentity = { type: string; value: string; first_seen_ms: number; last_seen_ms: number };

/** One profile as UserProfile.exportAll() returns it (internal identity names, times in ms). */
export type ProfileExport = {
  mpid: string;
  created_ms: number;
  last_seen_ms: number;
  user_identities: ExportedIdentity[];
  device_identities: ExportedIdentity[];
  user_attributes: { name: string; value: AttributeValue; updated_ms: number; source_input_id: number | null }[];
  /** The stored event history (bounded per profile): ids, types, names and times. */
  events: { id: string; batch_id: string; event_type: string; name: string | null; timestamp_ms: number }[];
  alias_roles: { source: { start: number; end: number; destination: string }[]; destination: boolean };
  /** Rows of every other table of the profile (e.g. consent), limited to the workspace where possible. */
  other: Record<string, Record<string, string | number | null>[]>;
};

/**
 * A batch that could not be delivered and is kept as a dead letter, as it concerns the subject. `batches` is
 * empty with `batches_omitted` when the export's size cap left only this summary.
 */
export type ExportedDeadLetter = { id: string; created_ms: number; reason: string; output_id: number | null; batch_count: number; batches: unknown[]; batches_omitted?: true };

/** What the size cap (export-limits.ts) left out of an export; present only when something was. */
export type ExportTruncation = {
  max_bytes: number;
  note: string;
  omitted: { dead_letter_batches: number; dead_letters: number; events: number; other_rows: number; values_shortened: number; attributes: number; profiles: number };
  /** MPIDs of profiles left out entirely. */
  omitted_mpids: string[];
};

/** The DSR `results` document of an access or portability request. */
export type DsrExport = {
  format: "edge-cdp.dsr-export.v1";
  subject_request_id: string;
  subject_request_type: "access" | "portability";
  regulation: "gdpr" | "ccpa" | null;
  workspace_id: number;
  generated_at: string;
  profiles: ProfileExport[];
  dead_letters: ExportedDeadLetter[];
  truncated?: ExportTruncation;
};
