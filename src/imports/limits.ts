/**
 * Limits of CSV imports. The seed's "CSV import" guide (mParticle) gives the file rules: fewer than 50 columns,
 * rows under 80 KB, one event type per file named by its suffix. The others are ours (docs/csv-import.md).
 */

/** Columns per file: "Each CSV file must contain fewer than 50 columns" (seed 002, CSV import). */
export const IMPORT_MAX_COLUMNS = 49;
/** Bytes per row: "Each row size should be under 80 KB" (seed 002); a longer record stops the import (it cannot be told from an unclosed quote). */
export const IMPORT_MAX_ROW_BYTES = 80 * 1024;
/** One upload request (and one multipart part): under the 100 MB request body cap of most Workers plans. */
export const IMPORT_MAX_UPLOAD_BYTES = 95 * 1024 * 1024;
/** Parts of one multipart upload (R2 allows 10,000): 9.5 TB at 95 MB each; ours. */
export const IMPORT_MAX_PARTS = 10_000;
/** Inflated bytes of one compressed file (all zip entries together, or the gzip member): zip-bomb size cap; ours. */
export const IMPORT_MAX_INFLATED_BYTES = 20 * 1024 ** 3;
/** Inflated ÷ compressed bytes beyond which a compressed file is refused as a zip bomb (CSV rarely passes 20:1); ours. */
export const IMPORT_MAX_RATIO = 200;
/** The ratio is judged only after this many inflated bytes (tiny files compress oddly); ours. */
export const IMPORT_RATIO_GRACE_BYTES = 1024 * 1024;
/** CSV entries of one zip file; ours. */
export const IMPORT_MAX_ZIP_ENTRIES = 1_000;
/** Rejected rows kept per import (with line and reason), downloadable as CSV (issue 24). */
export const IMPORT_REJECTED_KEPT = 1_000;
/** Wall time of one parse step before it checkpoints and queues its continuation (queue consumers may run 15 min). */
export const IMPORT_STEP_MS = 25_000;
/**
 * Rows sent to the import-ingest queue, and checkpointed, together (one IMPORT_RATE_LIMITER unit; a crash redoes at
 * most this many, as duplicates). 2,000 rather than 500: a quarter of the checkpoints and rate-limit calls, about
 * 1 MB of ingest messages held at once; ours.
 */
export const IMPORT_FLUSH_ROWS = 2_000;
/**
 * Bytes of ingest messages the `import-ingest` queue may hold before a parse step waits for its consumers (about 25,000
 * rows of 600 bytes): an import runs at most this far ahead of the pipeline, and Miniflare's in-memory queue broker
 * holds at most this much locally; ours (src/imports/pace.ts).
 */
export const IMPORT_MAX_BACKLOG_BYTES = 16 * 1024 * 1024;
/** How often a step waiting for the `import-ingest` backlog reads it again. */
export const IMPORT_BACKLOG_WAIT_MS = 10;
/** A step gives the event loop a turn after a send at least this often (src/imports/pace.ts: local runs have no I/O). */
export const IMPORT_TURN_MS = 50;
/** The D1 status row is updated at most this often while an import runs (plus at every step's end). */
export const IMPORT_PROGRESS_MS = 5_000;
/** Seconds a step waits when the workspace's import rate (IMPORT_RATE_LIMITER) is used up: the limiter's period. */
export const IMPORT_RATE_WAIT_SECONDS = 10;

/** Caps a decompression obeys (tests pass smaller ones). */
export type InflateCaps = { maxBytes: number; maxRatio: number; graceBytes: number; maxEntries: number };
export const DEFAULT_INFLATE_CAPS: InflateCaps = { maxBytes: IMPORT_MAX_INFLATED_BYTES, maxRatio: IMPORT_MAX_RATIO, graceBytes: IMPORT_RATIO_GRACE_BYTES, maxEntries: IMPORT_MAX_ZIP_ENTRIES };
