/**
 * Dead letters (our addition to the Platform API): list by connection and time, inspect (payload + the
 * partner's answer), replay one, replay all of a connection, discard.
 */
import { Hono } from "hono";
import { z } from "zod";
import { type DeadLetter, discardDeadLetter, getDeadLetter, listDeadLetters, markReplayed } from "../../db/queries/dead-letters";
import { ConflictError, db, found, ok, type PlatformContext, type PlatformEnv } from "./common";
import { replayDeadLetters, unreplayable } from "../../forward/replay";
import { ValidationError } from "../../lib/errors";
import { timeParam } from "../../lib/time-query";

/** Most dead letters one list call returns. */
export const LIST_MAX = 500;

export const DeadLetterQuery = z.object({
  connection_id: z.coerce.number().int().positive().optional(),
  workspace_id: z.coerce.number().int().positive().optional(),
  from: timeParam.optional(),
  to: timeParam.optional(),
  status: z.enum(["pending", "replayed", "all"]).default("all"),
  limit: z.coerce.number().int().min(1).max(LIST_MAX).default(100),
});

function summary(d: DeadLetter) {
  let events: number | null = null;
  let replayOf: string | null = null;
  try {
    const p = JSON.parse(d.payload);
    const job = p?.type === "dead_letter" ? p.job : p;
    events = Array.isArray(job?.batch?.events) ? job.batch.events.length : null;
    replayOf = job?.replayOf ?? null;
  } catch {
    // an unreadable payload is still listed
  }
  return {
    id: d.id,
    connection_id: d.connectionId,
    input_id: d.inputId,
    output_id: d.outputId,
    workspace_id: d.workspaceId,
    batch_id: d.batchId,
    reason: d.reason,
    attempts: d.attempts,
    status_code: d.statusCode,
    response: d.response,
    events,
    replay_of: replayOf,
    created_at: d.createdAt,
    replayed_at: d.replayedAt,
  };
}

/** Parses the list query (400 naming the parameter). */
export function listQuery(c: PlatformContext) {
  const r = DeadLetterQuery.safeParse(c.req.query());
  if (!r.success) throw new ValidationError(r.error.issues.map((i) => ({ code: "BAD_REQUEST", message: `${i.path.join(".")}: ${i.message}` })));
  return r.data;
}

export const deadLettersRoutes = new Hono<PlatformEnv>();

deadLettersRoutes.get("/", async (c) => {
  const q = listQuery(c);
  const rows = await listDeadLetters(db(c), c.get("account").id, { connectionId: q.connection_id, workspaceId: q.workspace_id, from: q.from, to: q.to, status: q.status, limit: q.limit });
  return ok(c, rows.map(summary));
});

deadLettersRoutes.get("/:id", async (c) => {
  const d = found(await getDeadLetter(db(c), c.get("account").id, c.req.param("id")), "Dead letter");
  let payload: unknown = d.payload;
  try {
    payload = JSON.parse(d.payload);
  } catch {
    // kept as text
  }
  return ok(c, { ...summary(d), payload });
});

deadLettersRoutes.post("/:id/replay", async (c) => {
  const d = found(await getDeadLetter(db(c), c.get("account").id, c.req.param("id")), "Dead letter");
  const why = unreplayable(d);
  if (why) throw new ConflictError(`Cannot replay: ${why}.`);
  const now = Date.now();
  await markReplayed(db(c), await replayDeadLetters(c.env, [d]), now);
  return ok(c, { ...summary(d), replayed_at: now }, 202);
});

deadLettersRoutes.delete("/:id", async (c) => {
  const d = found(await getDeadLetter(db(c), c.get("account").id, c.req.param("id")), "Dead letter");
  await discardDeadLetter(db(c), d.id);
  return c.body(null, 204);
});
