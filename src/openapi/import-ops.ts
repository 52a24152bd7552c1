/** CSV import operations (src/routes/imports.ts, src/routes/platform/imports.ts; docs/csv-import.md). */
import { z } from "zod";
import { IMPORT_MAX_UPLOAD_BYTES } from "../imports/limits";
import { IMPORT_CONTROL_MAX_BODY_BYTES } from "../routes/imports";
import { IMPORTS_PLATFORM_MAX_BODY_BYTES } from "../routes/platform/imports";
import { op, type Operation } from "./operation";

const Upload = z.object({
  filename: z.string().describe("File name: …-custom_event.csv, -commerce_event.csv, -screen_view.csv, -eventless.csv (the suffix decides the event type), the same with .csv.gz, or a .zip of such CSV files."),
  multipart: z.enum(["true", "false"]).optional().describe("true: start a multipart upload (no body); answers 201 {import_id, upload_id}."),
  force: z.enum(["true", "false"]).optional().describe("true: import even when a file with the same content was imported by this feed (else 409)."),
  transformation_id: z.string().optional().describe("A field transformation of the feed's workspace that maps each row (the custom manifest of a foreign file); docs/field-transformations.md."),
});
const Force = z.object({ force: z.enum(["true", "false"]).optional().describe("true: import even when the same content was imported by this feed (else 409).") });
const Drop = z.object({ filename: z.string().describe("Name of a file put in the IMPORTS bucket under drop/{feed id}/.") });

const AUTH = "Auth: a CSV feed's key and secret (Basic; a feed created with module custom_csv). ";
const STATUS = "Status: queued, uploading, running, completed, failed (error {code, message, line}), cancelled; counts rows_read, rows_accepted, rows_rejected; bytes.";

export const importOperations: Operation[] = [
  {
    method: "post", path: "/v2/imports", tag: "CSV imports", summary: "Upload a CSV file (streamed to storage) and start its import", auth: "basic", raw: true, status: 202, query: Upload, maxBodyBytes: IMPORT_MAX_UPLOAD_BYTES,
    description: `${AUTH}The body is the file (Content-Length required; 411 without it, 413 over ${IMPORT_MAX_UPLOAD_BYTES} bytes: use multipart). Answers 202 {import_id, status: "queued"} once stored and queued; 409 when this feed imported the same content (SHA-256) and force is not true; 400 for a file name whose suffix names no event type.`,
  },
  { method: "put", path: "/v2/imports/{id}/parts/{n}", tag: "CSV imports", summary: "Upload part n (1…10,000) of a multipart import", auth: "basic", raw: true, maxBodyBytes: IMPORT_MAX_UPLOAD_BYTES, description: `${AUTH}Each part at most ${IMPORT_MAX_UPLOAD_BYTES} bytes; all parts but the last of one size, at least 5 MiB (R2). Uploading a part again replaces it.` },
  { method: "post", path: "/v2/imports/{id}/complete", tag: "CSV imports", summary: "Join the uploaded parts and start the import", auth: "basic", raw: true, status: 202, query: Force, maxBodyBytes: IMPORT_CONTROL_MAX_BODY_BYTES, description: `${AUTH}Parts must be numbered 1…n without gaps. The content hash of a multipart file is the SHA-256 of its parts' SHA-256s.` },
  { method: "post", path: "/v2/imports/drop", tag: "CSV imports", summary: "Import a file already put in the imports bucket under drop/{feed id}/", auth: "basic", raw: true, status: 202, query: Drop, maxBodyBytes: IMPORT_CONTROL_MAX_BODY_BYTES, description: `${AUTH}Sends the message an R2 event notification sends in production (local development has none). Once per object version.` },
  { method: "get", path: "/v2/imports/{id}", tag: "CSV imports", summary: "Status and counts of an import of this feed", auth: "basic", raw: true, maxBodyBytes: IMPORT_CONTROL_MAX_BODY_BYTES, description: `${AUTH}${STATUS}` },
  op("get", "/partnerfeeds/{id}/imports", "CSV imports", "The newest 100 imports of a CSV feed", { maxBodyBytes: IMPORTS_PLATFORM_MAX_BODY_BYTES, description: STATUS }),
  op("get", "/imports/{id}", "CSV imports", "Status and counts of an import", { maxBodyBytes: IMPORTS_PLATFORM_MAX_BODY_BYTES, description: STATUS }),
  op("post", "/imports/{id}/cancel", "CSV imports", "Cancel an import (rows queued before stay imported)", { maxBodyBytes: IMPORTS_PLATFORM_MAX_BODY_BYTES, description: "409 when it already completed, failed or was cancelled." }),
  op("get", "/imports/{id}/rejected", "CSV imports", "The first 1,000 rejected rows as CSV (file, line, reason, row); total in X-Total-Count", { maxBodyBytes: IMPORTS_PLATFORM_MAX_BODY_BYTES, raw: true }),
];
