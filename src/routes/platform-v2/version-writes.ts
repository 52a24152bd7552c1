/** Turning version bodies into version writes: numbering, block settings, size and quarantine checks. */
import type { Db } from "../../db";
import { connectionInWorkspace, type VersionRow, type VersionWrite } from "../../db/queries/data-plans";
import { blockingOf, MAX_VERSION_DOCUMENT_BYTES, type VersionBody, type VersionPatch } from "../../dataplans/api";
import { AppError, ValidationError } from "../../lib/errors";

/** 413: a version document over what one row holds. */
export class DocumentTooLargeError extends AppError {
  constructor(version: number, bytes: number) {
    super(413, "PAYLOAD_TOO_LARGE", `Version ${version}: its version_document takes ${bytes} bytes; at most ${MAX_VERSION_DOCUMENT_BYTES}.`);
  }
}

const bad = (message: string) => new ValidationError([{ code: "BAD_REQUEST", message }]);

/** The document as stored (JSON text), or 413. */
function documentText(version: number, doc: unknown): string {
  const text = JSON.stringify(doc);
  const bytes = new TextEncoder().encode(text).byteLength;
  if (bytes > MAX_VERSION_DOCUMENT_BYTES) throw new DocumentTooLargeError(version, bytes);
  return text;
}

/** Checks a body's `data_plan_id` (when given) names this plan. */
export function checkPlanId(given: string | undefined, planId: string): void {
  if (given !== undefined && given !== planId) throw bad(`data_plan_id "${given}" does not match the plan's id "${planId}" (ids come from the name and never change).`);
}

/** 400 unless every quarantine connection named is a connection of the workspace. */
export async function checkQuarantine(db: Db, workspaceId: number, ids: (number | null | undefined)[]): Promise<void> {
  for (const id of new Set(ids.filter((x): x is number => typeof x === "number"))) {
    if (!(await connectionInWorkspace(db, workspaceId, id))) throw bad(`quarantine_connection_id ${id} is not a connection of workspace ${workspaceId}.`);
  }
}

/** Writes for new versions: numbers default to the next free ones; a number given twice is refused. */
export function newVersionWrites(planId: string, bodies: VersionBody[], taken: number[], by: string | null): VersionWrite[] {
  const used = new Set(taken);
  let next = Math.max(0, ...taken, ...bodies.map((b) => b.version ?? 0)) + 1;
  return bodies.map((b) => {
    checkPlanId(b.data_plan_id, planId);
    const version = b.version ?? next++;
    if (used.has(version)) throw bad(`Version ${version} is given twice or exists already.`);
    used.add(version);
    return {
      version,
      description: b.version_description ?? null,
      activatedEnvironment: b.activated_environment ?? "none",
      blocking: blockingOf(b),
      quarantineConnectionId: b.quarantine_connection_id ?? null,
      document: documentText(version, b.version_document),
      by,
    };
  });
}

/** The write for a PATCH of an existing version: fields given replace the stored ones. */
export function patchedVersionWrite(planId: string, row: VersionRow, patch: VersionPatch, by: string | null): VersionWrite {
  checkPlanId(patch.data_plan_id, planId);
  if (patch.version !== undefined && patch.version !== row.version) throw bad(`version ${patch.version} does not match the version patched (${row.version}).`);
  const doc = patch.version_document ?? (JSON.parse(row.document) as VersionBody["version_document"]);
  return {
    version: row.version,
    description: patch.version_description !== undefined ? patch.version_description : row.description,
    activatedEnvironment: patch.activated_environment ?? row.activatedEnvironment,
    blocking: patch.blocking || patch.version_document ? blockingOf({ blocking: patch.blocking, version_document: patch.version_document ?? doc }, row.blocking) : row.blocking,
    quarantineConnectionId: patch.quarantine_connection_id !== undefined ? patch.quarantine_connection_id : row.quarantineConnectionId,
    document: patch.version_document ? documentText(row.version, doc) : row.document,
    by,
  };
}
