/**
 * Connection health and bulk replay (our addition): /v1/connections/{id}/counters, /alerts,
 * /deadletters, /deadletters/replay, /resume (audience connections); and /v1/workspaces/{id}/alerts.
 */
import { Hono } from "hono";
import { connectionCountersBetween, connectionInAccount, latestAlerts } from "../../db/queries/dead-letters";
import { workspaceInAccount } from "../../db/queries/workspaces";
import { replayConnection } from "../../forward/dead-letters";
import { hourBucket } from "../../lib/time";
import { setConnectionFault } from "../../db/queries/audience-connections";
import { ValidationError } from "../../lib/errors";
import { timeRange } from "../../lib/time-query";
import { db, found, idParam, ok, type PlatformContext, type PlatformEnv } from "./common";

/**
 * Dead letters one "replay all" call queues at most; the answer says when more remain. Each costs an R2 get,
 * put and delete: 1,000 keeps a call within 3,000 subrequests.
 */
export const REPLAY_ALL_MAX = 1_000;
const ALERTS_MAX = 200;

async function connectionOf(c: PlatformContext) {
  return found(await connectionInAccount(db(c), c.get("account").id, idParam(c, "id")), "Connection");
}

/** Longest window one counters call reads (one row per hour). */
export const CONNECTION_COUNTERS_MAX_DAYS = 31;

function alertView(a: Awaited<ReturnType<typeof latestAlerts>>[number]) {
  return { id: a.id, connection_id: a.connectionId, output_id: a.outputId, workspace_id: a.workspaceId, environment: a.environment, kind: a.kind, status_code: a.statusCode, message: a.message, response: a.response, created_at: a.createdAt };
}

const limitParam = (c: PlatformContext) => Math.min(ALERTS_MAX, Math.max(1, Number(c.req.query("limit")) || 50));

export const connectionsRoutes = new Hono<PlatformEnv>();

connectionsRoutes.get("/:id{[0-9]+}/counters", async (c) => {
  const conn = await connectionOf(c);
  const w = timeRange((name) => c.req.query(name), { maxDays: CONNECTION_COUNTERS_MAX_DAYS });
  const rows = await connectionCountersBetween(db(c), conn.id, hourBucket(w.from), hourBucket(w.to));
  return ok(
    c,
    rows.map((r) => ({
      connection_id: r.connectionId,
      hour: r.hour,
      inbound_batches: r.inboundBatches,
      inbound_events: r.inboundEvents,
      forwarded_batches: r.forwardedBatches,
      forwarded_events: r.forwardedEvents,
      filtered_events: r.filteredEvents,
      consent_dropped_events: r.consentDroppedEvents,
      retries: r.retries,
      errors: { retryable: r.errorsRetryable, permanent: r.errorsPermanent },
      dead_lettered: r.deadLettered,
      ...(conn.kind === "audience" ? { adds: r.audienceAdds, removes: r.audienceRemoves, uploads: r.audienceUploads, rows_rejected: r.audienceRowsRejected } : {}),
    })),
  );
});

// Our addition (issue 20): an audience connection faulted by its partner (auth or permission answer) uploads again.
connectionsRoutes.post("/:id{[0-9]+}/resume", async (c) => {
  const conn = await connectionOf(c);
  if (conn.kind !== "audience") throw new ValidationError([{ code: "BAD_REQUEST", message: `connection ${conn.id} is an event connection: only audience connections are faulted and resumed` }]);
  await setConnectionFault(db(c), conn.id, null);
  await c.env.AUDIENCE_UPLOADER.getByName(String(conn.id)).resume(conn.id);
  return ok(c, { connection_id: conn.id, faulted: false, resumed_from: conn.fault }, 202);
});

connectionsRoutes.get("/:id{[0-9]+}/alerts", async (c) => ok(c, (await latestAlerts(db(c), { connectionId: (await connectionOf(c)).id }, limitParam(c))).map(alertView)));

connectionsRoutes.post("/:id{[0-9]+}/deadletters/replay", async (c) => {
  const conn = await connectionOf(c);
  const { replayed, remaining } = await replayConnection(c.env, c.get("account").id, conn, REPLAY_ALL_MAX);
  return ok(c, { connection_id: conn.id, replayed, remaining }, 202);
});

/** Mounted under /workspaces and /workspace. */
export const workspaceAlertsRoutes = new Hono<PlatformEnv>();

workspaceAlertsRoutes.get("/:wid{[0-9]+}/alerts", async (c) => {
  const ws = found(await workspaceInAccount(db(c), c.get("account").id, idParam(c, "wid")), "Workspace");
  return ok(c, (await latestAlerts(db(c), { workspaceId: ws.id }, limitParam(c))).map(alertView));
});
