/**
 * Files written to the IMPORTS bucket directly (any S3-compatible tool) under `drop/{feed id}/{file name}`: an R2
 * event notification names the object; the import is created here, once per object version (its id is derived
 * from key and ETag, so a notification delivered twice starts one import). The feed's custom manifest, if it names one,
 * maps its rows (a deleted one fails the import when it runs).
 */
import { createDb } from "../db";
import { importById, inputContextById } from "../db/queries/imports";
import { sha256HexSync } from "../lib/crypto";
import { log } from "../lib/log";
import { createImport, feedManifest, isCsvFeed } from "./create";
import { formatOf } from "./formats";
import type { R2Notification } from "./messages";

const DROP = /^drop\/(\d+)\/([^/]+)$/;

/** The import of a dropped file (created if new), or null when the object is not an importable drop. */
export async function importFromDrop(env: Env, n: R2Notification): Promise<string | null> {
  const m = DROP.exec(n.object.key);
  if (!m || !/PutObject|CompleteMultipartUpload|CopyObject/.test(n.action)) return null; // our own uploads (feeds/…) start themselves
  const [, feedId, filename] = m;
  const db = createDb(env.DB);
  const input = await inputContextById(db, Number(feedId));
  const format = formatOf(filename!);
  if (!input || input.status !== "active" || !isCsvFeed(input) || "error" in format) {
    log.warn("dropped file ignored: not a CSV feed's importable file", { key: n.object.key, input_id: Number(feedId), error: "error" in format ? format.error : "not an active custom_csv feed" });
    return null;
  }
  const head = await env.IMPORTS.head(n.object.key);
  if (!head) return null;
  const id = `drop-${sha256HexSync(`${n.object.key}\n${head.etag}`).slice(0, 32)}`;
  if (await importById(db, id)) return id;
  await createImport(db, { id, workspaceId: input.workspaceId, inputId: input.id, filename: filename!, objectKey: n.object.key, format: format.format, status: "queued", bytes: head.size, transformationId: feedManifest(input.settings) });
  return id;
}
