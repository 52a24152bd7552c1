/**
 * Connection health and bulk replay (our addition): /v1/connections/{id}/counters, /alerts,
 * /deadletters, /deadletters/replay; and /v1/workspaces/{id}/alerts.
 */
import { Hono } from "hono";
import { connectionCountersBetween, connectionInAccount, latestAlerts } from "../../db/queries/dead-letters";
import { workspaceInAccount } from "../../db/queries/workspaces";
import { replayConnection } from "../../forward/dead-letters";
import { hourBucket } from "../../lib/time";
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
    })),
  );
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
