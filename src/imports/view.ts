/** The public view of an import (Events API `GET /v2/imports/{id}` and the Platform API). */
import type { ImportRow } from "../db/schema";

const iso = (ms: number | null) => (ms ? new Date(ms).toISOString() : null);

export function importView(r: ImportRow) {
  return {
    import_id: r.id,
    feed_id: r.inputId,
    filename: r.filename,
    format: r.format,
    status: r.status,
    bytes: r.bytes,
    rows_read: r.rowsRead,
    rows_accepted: r.rowsAccepted,
    rows_rejected: r.rowsRejected,
    content_sha256: r.contentHash,
    transformation_id: r.transformationId ?? null,
    error: r.errorCode ? { code: r.errorCode, message: r.errorMessage, line: r.errorLine } : null,
    created_at: iso(r.createdAt),
    started_at: iso(r.startedAt),
    finished_at: iso(r.finishedAt),
  };
}
