/**
 * Live Stream: a sample of the workspace's inbound batches and outbound deliveries, in real time, over a WebSocket
 * to the workspace's LiveStream object (src/durable/live-stream.ts). Filters, pause/resume and the details pane
 * run in the page (static/console/live.js).
 */
import { Hono } from "hono";
import { html } from "hono/html";
import { createDb } from "../../db";
import { connectionsOfWorkspace, inputsOfWorkspace } from "../../db/queries/console-scope";
import { LIVE_MAX_PER_SECOND } from "../../durable/live-stream";
import { checkSameOrigin } from "../../middleware/console-auth";
import { LIVE_CHECK_MS } from "../../pipeline/live-sample";
import { page, type ViewEnv } from "./layout";

export const liveView = new Hono<ViewEnv>();

liveView.get("/", async (c) => {
  const db = createDb(c.env.DB);
  const [ins, conns] = await Promise.all([inputsOfWorkspace(db, c.get("workspace").id), connectionsOfWorkspace(db, c.get("workspace").id)]);
  const outputs = [...new Map(conns.filter((x) => x.kind === "event").map((x) => [x.outputId, x.outputName])).entries()];
  return page(c, {
    title: "Live Stream",
    active: "/live",
    scripts: ["/assets/console/live.js"],
    body: html`<p class="note" id="sampling">A sample, as mParticle's: at most one batch per pipeline invocation and ${LIVE_MAX_PER_SECOND} per second per workspace reach this page; new viewers are seen by the pipeline within ${LIVE_CHECK_MS / 1000} s. <span id="skipped"></span></p>
<form class="filters" id="filters">
  <label>Input <select name="input"><option value="">All</option>${ins.map((i) => html`<option value="${i.id}">${i.name}</option>`)}</select></label>
  <label>Output <select name="output"><option value="">All</option><option value="-">Inbound only</option>${outputs.map(([id, name]) => html`<option value="${id}">${name}</option>`)}</select></label>
  <label>Environment <select name="environment"><option value="development" selected>Development</option><option value="production">Production</option><option value="">Both</option></select></label>
  <label>Event type <select name="eventType"><option value="">All</option>${["custom_event", "screen_view", "commerce_event", "session_start", "session_end", "user_attribute_change", "user_identity_change", "opt_out", "crash_report", "application_state_transition", "push_registration", "breadcrumb", "network_performance", "uninstall", "media"].map((t) => html`<option>${t}</option>`)}</select></label>
  <label>MPID <input name="mpid" inputmode="numeric" size="20"></label>
  <button type="button" id="pause">Pause</button>
  <span id="status" class="status">connecting…</span>
</form>
<div class="split">
  <table class="list" id="stream"><thead><tr><th>Time</th><th>Direction</th><th>Input / output</th><th>Env</th><th>MPID</th><th>Events</th></tr></thead><tbody></tbody></table>
  <pre class="details" id="details">Select a row to see its full JSON.</pre>
</div>`,
  });
});

/** The viewer's WebSocket: the session was checked by the console middleware; the origin is checked here. */
liveView.get("/socket", async (c) => {
  checkSameOrigin(c);
  if (c.req.header("Upgrade")?.toLowerCase() !== "websocket") return c.json({ errors: [{ code: "UPGRADE_REQUIRED", message: "WebSocket expected." }] }, 426);
  return c.env.LIVE_STREAM.getByName(String(c.get("workspace").id)).fetch(c.req.raw);
});
