/** System Alerts: the workspace's delivery alerts (as GET /v1/workspaces/{id}/alerts), newest first, with what to do. */
import { Hono } from "hono";
import { html } from "hono/html";
import { createDb } from "../../db";
import { latestAlerts } from "../../db/queries/dead-letters";
import { href, page, type ViewEnv, when } from "./layout";

/** Alerts shown. */
const ALERTS_SHOWN = 200;

/** What to do about each kind of alert (src/db/schema.ts systemAlerts.kind). */
export const ALERT_ADVICE: Record<string, string> = {
  delivery_retryable: "The partner answered with a temporary error or did not answer; deliveries are retried with backoff. Check the partner's status; nothing to do unless it persists.",
  delivery_permanent: "The partner refused the data (a 4xx answer). Check the output's credentials and the connection's settings, fix them, then replay the dead letters.",
  dead_letter: "Deliveries ran out of retries or were refused. Fix the cause, then replay the connection's dead letters.",
  configuration: "The output or connection is misconfigured. Correct its settings; the affected jobs are in the dead letters, ready to replay.",
  dropped: "The integration could not send some events (missing required identities or fields). Check the connection's mapping or the data sent.",
  connection_deleted: "Jobs of a deleted connection were dead-lettered. Nothing to do unless the connection was deleted by mistake.",
  connection_recreated: "Jobs queued for an earlier connection with this id were dead-lettered. Replay them if they should reach the new one.",
  secret_undecryptable: "No configured key opens the output's secret settings. Restore the key in CONFIG_ENCRYPTION_KEYS or write the secrets again.",
  audience_fault: "The partner refused the audience output's credentials or permissions: uploads stopped, pending changes are kept. Fix the output's settings, then resume the connection (its page, or POST /v1/connections/{id}/resume).",
};

export const alertsView = new Hono<ViewEnv>();

alertsView.get("/", async (c) => {
  const rows = await latestAlerts(createDb(c.env.DB), { workspaceId: c.get("workspace").id }, ALERTS_SHOWN);
  return page(c, {
    title: "System Alerts",
    active: "/alerts",
    body: html`${rows.length ? "" : html`<p class="empty">No alerts. Deliveries are healthy.</p>`}
<table class="list" id="alerts"><thead><tr><th>Time</th><th>Connection</th><th>Kind</th><th>Message</th><th>What to do</th></tr></thead><tbody>
${rows.map((a) => html`<tr><td>${when(a.createdAt)}</td><td><a href="${href(c, `/connections/${a.connectionId}`)}">${a.connectionId}</a></td><td>${a.kind}${a.statusCode ? ` (${a.statusCode})` : ""}</td><td>${a.message}</td><td>${ALERT_ADVICE[a.kind] ?? "See docs/console.md."}</td></tr>`)}
</tbody></table>`,
  });
});
