/**
 * CSV imports through a CSV feed's key and secret (Basic auth, as the Events API; docs/csv-import.md):
 * POST /v2/imports?filename= (the file as the body, streamed to R2), multipart (?multipart=true, PUT …/parts/{n},
 * POST …/complete), POST /v2/imports/drop?filename= (a file put in the bucket directly), GET /v2/imports/{id}.
 */
import { type Context, Hono } from "hono";
import { createDb } from "../db";
import { importById, importWithHash, updateImport } from "../db/queries/imports";
import type { ImportRow } from "../db/schema";
import type { AppEnv } from "../env";
import { AppError, ForbiddenError, NotFoundError, PayloadTooLargeError, UnavailableError, ValidationError } from "../lib/errors";
import { log } from "../lib/log";
import { createImport, importTransformation, isCsvFeed, newImportId, startImport, uploadKey } from "../imports/create";
import { importFromDrop } from "../imports/drop";
import { formatOf } from "../imports/formats";
import { IMPORT_MAX_PARTS, IMPORT_MAX_UPLOAD_BYTES } from "../imports/limits";
import { streamHashed, toHex } from "../imports/upload";
import { importView } from "../imports/view";
import { inputAuth } from "../middleware/input-auth";
import { bodyLimit, inputRateLimit } from "../middleware/limits";

/** Body limit of the routes that take no file (multipart start, complete, drop): none is read. */
export const IMPORT_CONTROL_MAX_BODY_BYTES = 1024;

/** Mounted at /v2/imports, before the Events API's /v2 middleware (whose 256 KB body limit is not this API's). */
export const importsRoutes = new Hono<AppEnv>();

importsRoutes.use("*", inputAuth({ kinds: ["feed"] }), csvFeedOnly(), inputRateLimit());

/**
 * POST /v2/imports/drop (the dev command for files put in the bucket directly): its own router, mounted before
 * `importsRoutes` behind the 1 KB limit of a route that reads no body (the uploads' 95 MB limit is not its).
 */
export const importsDropRoutes = new Hono<AppEnv>();

function csvFeedOnly() {
  return async function csvFeed(c: Context<AppEnv>, next: () => Promise<void>) {
    if (!isCsvFeed(c.get("input"))) throw new ForbiddenError("Only a CSV feed (module custom_csv) can upload imports.");
    await next();
  };
}

/** The request's Content-Length, required (R2 stores a stream of known length) and at most IMPORT_MAX_UPLOAD_BYTES. */
function declaredLength(c: Context<AppEnv>): number {
  const raw = c.req.header("content-length");
  const n = raw === undefined ? NaN : Number(raw);
  if (!Number.isSafeInteger(n) || n < 0) throw new AppError(411, "LENGTH_REQUIRED", "Content-Length is required (the file is streamed to storage).");
  if (n > IMPORT_MAX_UPLOAD_BYTES) throw new PayloadTooLargeError(IMPORT_MAX_UPLOAD_BYTES);
  if (n === 0) throw new ValidationError([{ code: "BAD_REQUEST", message: "The file is empty." }]);
  return n;
}

const duplicate = (existing: ImportRow) =>
  new AppError(409, "DUPLICATE_FILE", `The same content was imported already (import ${existing.id}, ${existing.status}); add force=true to import it again.`);

async function ownImport(c: Context<AppEnv>): Promise<ImportRow> {
  const row = await importById(createDb(c.env.DB), c.req.param("id")!);
  if (!row || row.inputId !== c.get("input").id) throw new NotFoundError("Import not found.");
  return row;
}

/** Queues the first step; when the queue refuses, the import is marked failed and 503 asks the client to retry. */
async function start(c: Context<AppEnv>, row: ImportRow) {
  try {
    await startImport(c.env, row.id);
  } catch (err) {
    log.error("import hand-off failed", { import_id: row.id, error: String(err) });
    await updateImport(createDb(c.env.DB), row.id, { status: "failed", errorCode: "queue_unavailable", errorMessage: "could not be queued; upload again.", finishedAt: Date.now() });
    throw new UnavailableError("Could not queue the import right now; retry later.");
  }
  return c.json({ import_id: row.id, status: "queued" }, 202);
}

importsRoutes.post("/", async (c) => {
  const input = c.get("input");
  const filename = c.req.query("filename") ?? "";
  const format = formatOf(filename);
  if ("error" in format) throw new ValidationError([{ code: "BAD_REQUEST", message: format.error }]);
  const transformationId = await importTransformation(c.env, c.get("input"), c.req.query("transformation_id"));
  const db = createDb(c.env.DB);
  const id = newImportId();
  const key = uploadKey(input.id, id, filename);
  if (c.req.query("multipart") === "true") {
    if (Number(c.req.header("content-length") ?? 0) > IMPORT_CONTROL_MAX_BODY_BYTES) throw new PayloadTooLargeError(IMPORT_CONTROL_MAX_BODY_BYTES);
    const upload = await c.env.IMPORTS.createMultipartUpload(key);
    await createImport(db, { id, workspaceId: input.workspaceId, inputId: input.id, filename, objectKey: key, format: format.format, status: "uploading", uploadId: upload.uploadId, transformationId });
    return c.json({ import_id: id, upload_id: upload.uploadId, status: "uploading" }, 201);
  }
  const length = declaredLength(c);
  let stored: { sha256: string };
  try {
    stored = await streamHashed(c.req.raw.body!, length, (s) => c.env.IMPORTS.put(key, s));
  } catch (err) {
    log.warn("import upload failed", { input_id: input.id, error: String(err) });
    await c.env.IMPORTS.delete(key).catch(() => {});
    throw new ValidationError([{ code: "BAD_REQUEST", message: "The upload was interrupted or shorter than its Content-Length; nothing was stored." }]);
  }
  const existing = await importWithHash(db, input.id, stored.sha256, id);
  if (existing && c.req.query("force") !== "true") {
    await c.env.IMPORTS.delete(key);
    throw duplicate(existing);
  }
  const row = await createImport(db, { id, workspaceId: input.workspaceId, inputId: input.id, filename, objectKey: key, format: format.format, status: "queued", contentHash: stored.sha256, bytes: length, transformationId });
  return start(c, row);
});

importsRoutes.put("/:id/parts/:n{[0-9]+}", async (c) => {
  const row = await ownImport(c);
  if (row.status !== "uploading" || !row.uploadId) throw new AppError(409, "NOT_UPLOADING", `Import ${row.id} is ${row.status}: parts are taken only while it is uploading.`);
  const n = Number(c.req.param("n"));
  if (n < 1 || n > IMPORT_MAX_PARTS) throw new ValidationError([{ code: "BAD_REQUEST", message: `Part numbers go from 1 to ${IMPORT_MAX_PARTS}.` }]);
  const length = declaredLength(c);
  const upload = c.env.IMPORTS.resumeMultipartUpload(row.objectKey, row.uploadId);
  let part: { result: R2UploadedPart; sha256: string };
  try {
    part = await streamHashed(c.req.raw.body!, length, (s) => upload.uploadPart(n, s));
  } catch (err) {
    log.warn("import part upload failed", { import_id: row.id, part: n, error: String(err) });
    throw new ValidationError([{ code: "BAD_REQUEST", message: "The part upload was interrupted or shorter than its Content-Length; upload the part again." }]);
  }
  await c.env.IMPORT_JOB.getByName(row.id).putPart(n, part.result.etag, part.sha256, length);
  return c.json({ import_id: row.id, part_number: n, etag: part.result.etag, bytes: length }, 200);
});

importsRoutes.post("/:id/complete", async (c) => {
  const row = await ownImport(c);
  if (row.status !== "uploading" || !row.uploadId) throw new AppError(409, "NOT_UPLOADING", `Import ${row.id} is ${row.status}.`);
  const parts = await c.env.IMPORT_JOB.getByName(row.id).parts();
  if (!parts.length) throw new ValidationError([{ code: "BAD_REQUEST", message: "No part was uploaded." }]);
  if (parts.some((p, i) => p.n !== i + 1)) throw new ValidationError([{ code: "BAD_REQUEST", message: `Parts must be numbered 1..${parts.length} without gaps.` }]);
  // Content hash of a multipart file: SHA-256 over its parts' SHA-256s (same file, same part size → same hash).
  const hash = `parts:${toHex(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(parts.map((p) => p.sha256).join(""))))}`;
  const db = createDb(c.env.DB);
  const existing = await importWithHash(db, row.inputId, hash, row.id);
  const upload = c.env.IMPORTS.resumeMultipartUpload(row.objectKey, row.uploadId);
  if (existing && c.req.query("force") !== "true") {
    await upload.abort();
    await updateImport(db, row.id, { status: "cancelled", errorCode: "duplicate", errorMessage: `same content as import ${existing.id}`, finishedAt: Date.now() });
    throw duplicate(existing);
  }
  try {
    await upload.complete(parts.map((p) => ({ partNumber: p.n, etag: p.etag })));
  } catch (err) {
    throw new ValidationError([{ code: "BAD_REQUEST", message: `The parts cannot be joined: ${(err as Error).message}` }]);
  }
  const bytes = parts.reduce((s, p) => s + p.size, 0);
  const queued = await updateImport(db, row.id, { status: "queued", contentHash: hash, uploadId: null, bytes }, ["uploading"]);
  if (!queued) throw new AppError(409, "NOT_UPLOADING", `Import ${row.id} was cancelled.`);
  return start(c, queued);
});

importsDropRoutes.post("/drop", inputAuth({ kinds: ["feed"] }), csvFeedOnly(), inputRateLimit(), async (c) => {
  const input = c.get("input");
  const filename = c.req.query("filename") ?? "";
  const format = formatOf(filename);
  if ("error" in format) throw new ValidationError([{ code: "BAD_REQUEST", message: format.error }]);
  const key = `drop/${input.id}/${filename}`;
  const id = await importFromDrop(c.env, { bucket: "IMPORTS", object: { key }, action: "PutObject" });
  if (!id) throw new NotFoundError(`No file ${key} in the imports bucket.`);
  const row = (await importById(createDb(c.env.DB), id))!;
  if (row.status !== "queued") return c.json({ import_id: row.id, status: row.status }, 200);
  return start(c, row);
});

importsRoutes.get("/:id", async (c) => c.json(importView(await ownImport(c))));
