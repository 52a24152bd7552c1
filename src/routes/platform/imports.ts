/**
 * CSV imports through the Platform API (docs/csv-import.md): GET /v1/partnerfeeds/{feedId}/imports, GET /v1/imports/{id},
 * POST /v1/imports/{id}/cancel, GET /v1/imports/{id}/rejected (the first 1,000 rejected rows as CSV; the total in
 * X-Total-Count). No route reads a body: each declares IMPORTS_PLATFORM_MAX_BODY_BYTES.
 */
import { Hono } from "hono";
import { feedInAccount } from "../../db/queries/feeds";
import { importInAccount, importsOfInput, updateImport } from "../../db/queries/imports";
import { AppError } from "../../lib/errors";
import { csvLine } from "../../imports/csv-line";
import { importView } from "../../imports/view";
import { bodyLimit } from "../../middleware/limits";
import { db, found, idParam, ok, type PlatformEnv } from "./common";

/** None of these routes reads a body. */
export const IMPORTS_PLATFORM_MAX_BODY_BYTES = 1024;

/** Mounted under /partnerfeeds. */
export const feedImportsRoutes = new Hono<PlatformEnv>();
feedImportsRoutes.get("/:id{[0-9]+}/imports", async (c) => {
  const feed = found(await feedInAccount(db(c), c.get("account").id, idParam(c, "id")), "Feed");
  return ok(c, (await importsOfInput(db(c), feed.id)).map(importView));
});

/** Mounted under /imports. */
export const importsPlatformRoutes = new Hono<PlatformEnv>();
importsPlatformRoutes.use("*", bodyLimit({ maxBytes: IMPORTS_PLATFORM_MAX_BODY_BYTES }));

const importOf = async (c: Parameters<typeof db>[0]) => found(await importInAccount(db(c), c.get("account").id, c.req.param("id")!), "Import");

importsPlatformRoutes.get("/:id", async (c) => ok(c, importView(await importOf(c))));

importsPlatformRoutes.post("/:id/cancel", async (c) => {
  const row = await importOf(c);
  const cancelled = await updateImport(db(c), row.id, { status: "cancelled", finishedAt: Date.now() });
  if (!cancelled) throw new AppError(409, "ALREADY_FINISHED", `Import ${row.id} is ${row.status}: it can no longer be cancelled.`);
  if (row.status === "uploading" && row.uploadId) await c.env.IMPORTS.resumeMultipartUpload(row.objectKey, row.uploadId).abort().catch(() => {});
  return ok(c, importView(cancelled));
});

importsPlatformRoutes.get("/:id/rejected", async (c) => {
  const row = await importOf(c);
  const rows = await c.env.IMPORT_JOB.getByName(row.id).rejected();
  const lines = [csvLine(["file", "line", "reason", "row"]), ...rows.map((r) => csvLine([r.file, r.line, r.reason, r.row]))];
  c.header("X-Total-Count", String(row.rowsRejected));
  c.header("Content-Type", "text/csv; charset=utf-8");
  return c.body(`${lines.join("\r\n")}\r\n`);
});
