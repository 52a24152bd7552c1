/**
 * Connections: each with its status; one connection's hourly forwarded / failed / filtered counts (drawn by uPlot,
 * bundled: static/console/chart.js), its dead letters (replay and delete for admins, through the Platform API's
 * dead-letter code) and its settings (secret settings are write-only: never shown).
 */
import { Hono } from "hono";
import { html } from "hono/html";
import { createDb } from "../../db";
import { setConnectionFault } from "../../db/queries/audience-connections";
import { connectionOfWorkspace, connectionsOfWorkspace } from "../../db/queries/console-scope";
import { connectionCountersBetween, getDeadLetter, listDeadLetters } from "../../db/queries/dead-letters";
import { discardOne, loadDeadLetter, replayOne } from "../../forward/dead-letters";
import { unreplayable } from "../../forward/replay";
import { AppError, NotFoundError } from "../../lib/errors";
import { hourBucket } from "../../lib/time";
import { adminOnly } from "../../middleware/console-auth";
import { csrfField, href, isAdmin, page, type ViewContext, type ViewEnv, when } from "./layout";

/** Hours the chart covers. */
export const CHART_HOURS = 48;
/** Dead letters listed per connection. */
const DEAD_LETTERS_SHOWN = 100;

const status = (s: string) => html`<span class="badge ${s}">${s}</span>`;
/** What feeds a connection: its input, or its audience (audience connections, docs/audience-outputs.md). */
const source = (r: { kind: string; inputName: string | null; audienceId: number | null }) => (r.kind === "audience" ? `Audience ${r.audienceId}` : (r.inputName ?? ""));

export const connectionsView = new Hono<ViewEnv>();

connectionsView.get("/", async (c) => {
  const rows = await connectionsOfWorkspace(createDb(c.env.DB), c.get("workspace").id);
  return page(c, {
    title: "Connections",
    active: "/connections",
    body: html`<table class="list"><thead><tr><th>Id</th><th>Input</th><th>Output</th><th>Integration</th><th>Development</th><th>Production</th></tr></thead><tbody>
${rows.map((r) => html`<tr><td><a href="${href(c, `/connections/${r.id}`)}">${r.id}</a></td><td>${source(r)}${r.fault ? html` <span class="badge faulted">faulted</span>` : ""}</td><td>${r.outputName}</td><td>${r.integration}</td><td>${status(r.statusDevelopment)}</td><td>${status(r.statusProduction)}</td></tr>`)}
</tbody></table>${rows.length ? "" : html`<p class="empty">No connections in this workspace.</p>`}`,
  });
});

async function connectionOf(c: ViewContext) {
  const id = Number(c.req.param("id"));
  const conn = Number.isSafeInteger(id) ? await connectionOfWorkspace(createDb(c.env.DB), c.get("workspace").id, id) : null;
  if (!conn) throw new NotFoundError(`Connection ${c.req.param("id")} not found in this workspace.`);
  return conn;
}

connectionsView.get("/:id{[0-9]+}", async (c) => {
  const conn = await connectionOf(c);
  const db = createDb(c.env.DB);
  const now = Date.now();
  const [counters, letters] = await Promise.all([
    connectionCountersBetween(db, conn.id, hourBucket(now - (CHART_HOURS - 1) * 3600_000), hourBucket(now)),
    listDeadLetters(db, c.get("workspace").accountId, { connectionId: conn.id, status: "all", limit: DEAD_LETTERS_SHOWN }),
  ]);
  // Every hour of the window (zero where nothing was counted), so the chart's time axis is the whole window.
  const byHour = new Map(counters.map((r) => [r.hour, r]));
  const series = Array.from({ length: CHART_HOURS }, (_, i) => {
    const hour = hourBucket(now - (CHART_HOURS - 1 - i) * 3600_000);
    const r = byHour.get(hour);
    return { hour, forwarded: r?.forwardedEvents ?? 0, failed: r ? r.errorsRetryable + r.errorsPermanent : 0, filtered: r ? r.filteredEvents + r.consentDroppedEvents : 0 };
  });
  const admin = isAdmin(c);
  return page(c, {
    title: `Connection ${conn.id}: ${source(conn)} → ${conn.outputName}`,
    active: "/connections",
    scripts: ["/assets/console/uPlot.iife.min.js", "/assets/console/chart.js"],
    body: html`<p>Integration <strong>${conn.integration}</strong> · development ${status(conn.statusDevelopment)} · production ${status(conn.statusProduction)}</p>
${conn.fault ? html`<p class="fault" id="fault">Faulted: <code>${conn.fault}</code>. Uploads stopped; pending changes are kept.
${admin ? html`<form method="post" action="${href(c, `/connections/${conn.id}/resume`)}">${csrfField(c)}<button type="submit" class="resume">Resume</button></form>` : html`<span class="muted">admins resume</span>`}</p>` : ""}
<h2>Last ${CHART_HOURS} hours</h2>
<div id="chart" class="chart" data-series="${JSON.stringify(series)}"></div>
<table class="list small"><thead><tr><th>Hour (UTC)</th><th>Forwarded events</th><th>Failed</th><th>Filtered</th></tr></thead><tbody>${series.filter((s) => s.forwarded || s.failed || s.filtered).map((s) => html`<tr><td>${s.hour}</td><td>${s.forwarded}</td><td>${s.failed}</td><td>${s.filtered}</td></tr>`)}</tbody></table>
<h2>Dead letters</h2>
${letters.length ? "" : html`<p class="empty">No dead letters.</p>`}
<table class="list" id="dead-letters"><thead><tr><th>Created</th><th>Reason</th><th>Status</th><th>Partner answer</th><th>State</th><th></th></tr></thead><tbody>
${letters.map((d) => html`<tr data-id="${d.id}"><td>${when(d.createdAt)}</td><td>${d.reason}</td><td>${d.statusCode ?? ""}</td><td><code>${(d.response ?? "").slice(0, 300)}</code></td><td class="state">${d.replayedAt ? `replayed ${when(d.replayedAt)}` : "pending"}</td>
<td>${admin ? html`<form method="post" action="${href(c, `/connections/${conn.id}/dead-letters/${d.id}/replay`)}">${csrfField(c)}<button type="submit" class="replay">Replay</button></form>
<form method="post" action="${href(c, `/connections/${conn.id}/dead-letters/${d.id}/delete`)}">${csrfField(c)}<button type="submit" class="delete">Delete</button></form>` : html`<span class="muted">admins replay</span>`}</td></tr>`)}
</tbody></table>
<h2>Settings</h2>
<h3>Connection</h3><pre class="json">${JSON.stringify(conn.settings, null, 2)}</pre>
<h3>Output</h3><pre class="json">${JSON.stringify(conn.outputSettings, null, 2)}</pre>
<p>Secret settings: ${conn.sealedSecrets ? "set (write-only: change them through the Platform API)" : "none"}.</p>`,
  });
});

async function deadLetterOf(c: ViewContext) {
  const conn = await connectionOf(c);
  const d = await getDeadLetter(createDb(c.env.DB), c.get("workspace").accountId, c.req.param("dl") ?? "");
  if (!d || d.connectionId !== conn.id) throw new NotFoundError("Dead letter not found.");
  return { conn, d };
}

connectionsView.post("/:id{[0-9]+}/dead-letters/:dl/replay", adminOnly(), async (c) => {
  const { conn, d } = await deadLetterOf(c);
  // The payload lives in R2 (src/forward/dead-letters.ts), as the Platform API's replay reads it.
  const record = await loadDeadLetter(c.env, d);
  if (!record) throw new NotFoundError("Dead letter not found.");
  const why = unreplayable(record);
  if (why) throw new AppError(409, "CONFLICT", `Cannot replay: ${why}.`);
  await replayOne(c.env, d, record, Date.now());
  return c.redirect(href(c, `/connections/${conn.id}`), 303);
});

connectionsView.post("/:id{[0-9]+}/dead-letters/:dl/delete", adminOnly(), async (c) => {
  const { conn, d } = await deadLetterOf(c);
  await discardOne(c.env, d);
  return c.redirect(href(c, `/connections/${conn.id}`), 303);
});

// Audience connections faulted by their partner (auth or permission answer): uploads again (POST /v1/connections/{id}/resume does the same).
connectionsView.post("/:id{[0-9]+}/resume", adminOnly(), async (c) => {
  const conn = await connectionOf(c);
  if (conn.kind !== "audience") throw new AppError(409, "CONFLICT", "Only audience connections are faulted and resumed.");
  await setConnectionFault(createDb(c.env.DB), conn.id, null);
  await c.env.AUDIENCE_UPLOADER.getByName(String(conn.id)).resume(conn.id);
  return c.redirect(href(c, `/connections/${conn.id}`), 303);
});
