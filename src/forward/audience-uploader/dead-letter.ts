/**
 * Dead letters of audience uploads: the changes of a request the partner refused for good (or that used up its
 * attempts), in R2 with a row in the bounded D1 index — the same store as forward jobs' (src/forward/dead-letters.ts),
 * replayed through the same Platform API routes: replay hands the changes back to the connection's uploader.
 */
import { putDeadLetterObjects } from "../../db/dead-letter-objects";
import { indexDeadLetterStatements } from "../../db/queries/dead-letters";
import type { AudienceMember } from "../../integrations/runtime/audience-types";
import { uuid } from "../../lib/ids";

/** The payload of an audience dead letter (what replay needs). */
export type AudienceUploadPayload = {
  v: 1;
  type: "audience_upload";
  connectionId: number;
  audienceId: number;
  changes: { action: "add" | "delete"; ts: number; member: AudienceMember }[];
};

export function isAudienceUpload(v: unknown): v is AudienceUploadPayload {
  const p = v as AudienceUploadPayload | null;
  return p?.type === "audience_upload" && Number.isSafeInteger(p.connectionId) && Array.isArray(p.changes);
}

/** Stores one dead letter (payload first, then the index row). */
export async function deadLetterUpload(
  env: Pick<Env, "DB" | "DEAD_LETTERS">,
  d: { workspaceId: number; outputId: number; reason: "permanent" | "exhausted"; attempts: number; statusCode: number | null; response: string | null; payload: AudienceUploadPayload },
): Promise<string> {
  const now = Date.now();
  const id = `aud-${uuid()}`;
  const base = { id, connectionId: d.payload.connectionId, outputId: d.outputId, workspaceId: d.workspaceId, inputId: null, batchId: null, reason: d.reason, attempts: d.attempts, statusCode: d.statusCode, response: d.response, createdAt: now };
  // Needles "*": the erasure scan reads the object itself (the payload is not a batch).
  await putDeadLetterObjects(env.DEAD_LETTERS, [{ record: { ...base, payload: d.payload, replayedAt: null }, meta: { n: "*" } }]);
  await env.DB.batch(indexDeadLetterStatements(env.DB, [{ ...base, events: d.payload.changes.length, replayOf: null }]));
  return id;
}
