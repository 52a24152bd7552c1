/**
 * Dead letters (our addition to the Platform API): list by connection and time, inspect (payload + the
 * partner's answer), replay one, replay all of a connection, discard.
 */
import { Hono } from "hono";
import { z } from "zod";
import { type DeadLetter, getDeadLetter, listDeadLetters } from "../../db/queries/dead-letters";
import { ConflictError, db, found, ok, type PlatformContext, type PlatformEnv } from "./common";
import { discardOne, loadDeadLetter, replayOne } from "../../forward/dead-letters";
import { unreplayable } from "../../forward/replay";
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
  let events = d.events;
  let replayOf = d.replayOf;
  // A legacy row (payload still in D1) has no events / replay_of columns filled: read from its payload.
  if (d.payload !== "") {
    try {
      const p = JSON.parse(d.payload);
      const job = p?.type === "dead_letter" ? p.job : p;
      events = Array.isArray(job?.batch?.events) ? job.batch.events.length : null;
      replayOf = job?.replayOf ?? null;
    } catch {
      // an unreadable payload is still listed
    }
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

/** A dead letter of the account with its payload (404 when its index row or its R2 object is gone). */
async function deadLetterOf(c: PlatformContext) {
  const d = found(await getDeadLetter(db(c), c.get("account").id, c.req.param("id")!), "Dead letter");
  return { d, record: found(await loadDeadLetter(c.env, d), "Dead letter") };
}

deadLettersRoutes.get("/:id", async (c) => {
  const { d, record } = await deadLetterOf(c);
  return ok(c, { ...summary(d), payload: record.payload });
});

deadLettersRoutes.post("/:id/replay", async (c) => {
  const { d, record } = await deadLetterOf(c);
  const why = unreplayable(record);
  if (why) throw new ConflictError(`Cannot replay: ${why}.`);
  const now = Date.now();
  await replayOne(c.env, d, record, now);
  return ok(c, { ...summary(d), replayed_at: now }, 202);
});

deadLettersRoutes.delete("/:id", async (c) => {
  const d = found(await getDeadLetter(db(c), c.get("account").id, c.req.param("id")), "Dead letter");
  await discardOne(c.env, d);
  return c.body(null, 204);
});
