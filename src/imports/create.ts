/** Creating an import and starting it: shared by the upload routes and R2 event notifications. */
import type { Db } from "../db";
import { insertImport } from "../db/queries/imports";
import type { ImportRow } from "../db/schema";
import { ValidationError } from "../lib/errors";
import { uuid } from "../lib/ids";
import { FT_ID } from "../schema/field-transformation";
import { fieldTransformation } from "../transforms";
import { runMessage } from "./messages";
import type { ImportFormat } from "./formats";

/** The module name of a CSV feed (`POST /v1/workspace/{id}/partnerfeeds` with `"module": "custom_csv"`). */
export const CSV_FEED_MODULE = "custom_csv";

/** Whether an input is a CSV feed. */
export function isCsvFeed(input: { kind: string; settings: Record<string, unknown> }): boolean {
  return input.kind === "feed" && input.settings.partner === CSV_FEED_MODULE;
}

/** The field transformation a CSV feed's settings name as its custom manifest (`custom_manifest`), if any. */
export function feedManifest(settings: Record<string, unknown>): string | null {
  return typeof settings.customManifest === "string" && settings.customManifest ? settings.customManifest : null;
}

/**
 * The field transformation an upload names (`?transformation_id=`), else the feed's custom manifest, checked to exist
 * in the feed's workspace before anything is stored (400 otherwise); null when none is named.
 */
export async function importTransformation(env: Env, input: { workspaceId: number; settings: Record<string, unknown> }, requested: string | undefined): Promise<string | null> {
  const id = requested || feedManifest(input.settings);
  if (!id) return null;
  if (!FT_ID.test(id) || !(await fieldTransformation(env, input.workspaceId, id))) {
    throw new ValidationError([{ code: "BAD_REQUEST", message: `transformation_id: no field transformation ${id.slice(0, 140)} in this feed's workspace.` }]);
  }
  return id;
}

/** Key of an uploaded file in the IMPORTS bucket. */
export const uploadKey = (inputId: number, importId: string, filename: string) => `feeds/${inputId}/${importId}/${filename}`;

export function newImportId(): string {
  return uuid();
}

export async function createImport(
  db: Db,
  v: { id?: string; workspaceId: number; inputId: number; filename: string; objectKey: string; format: ImportFormat; status: "uploading" | "queued"; contentHash?: string | null; uploadId?: string | null; bytes?: number; transformationId?: string | null },
): Promise<ImportRow> {
  const now = Date.now();
  return insertImport(db, { id: v.id ?? newImportId(), workspaceId: v.workspaceId, inputId: v.inputId, filename: v.filename, objectKey: v.objectKey, format: v.format, status: v.status, contentHash: v.contentHash ?? null, uploadId: v.uploadId ?? null, bytes: v.bytes ?? 0, transformationId: v.transformationId ?? null, createdAt: now, updatedAt: now });
}

/** Queues the first step of an import (production and local alike; R2 notifications reach the same consumer). */
export async function startImport(env: Env, importId: string): Promise<void> {
  await env.IMPORT.send(JSON.stringify(runMessage(importId)), { contentType: "text" });
}
