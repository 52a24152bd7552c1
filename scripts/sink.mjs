#!/usr/bin/env node
/**
 * The delivery inbox: a local webhook receiver that shows what edge-cdp delivers. `npm start` starts it (unless
 * DEMO_WEBHOOK_URL is set) and points the demo webhook output at it; `npm run sink` runs it alone.
 *
 * - Any POST/PUT (any path; the demo output posts to /webhook) is recorded, answered 200 "ok", and printed as one
 *   summary line (plus the JSON unless SINK_QUIET=1).
 * - GET /                 an HTML page listing the latest deliveries, newest first (refreshes every 2 s).
 * - GET /deliveries.json  the same as JSON: [{n, received_at, method, path, headers, summary, body}], newest first.
 * Listens on 127.0.0.1:$SINK_PORT (default 9000; 0 picks a free port). Node built-ins only.
 */
import { createServer } from "node:http";
import { fileURLToPath } from "node:url";

/** Deliveries kept for the page (older ones are dropped; the console has them all). */
export const INBOX_KEEP = 200;
/** Bytes of a body kept for display. */
const BODY_KEEP = 256 * 1024;
const CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const esc = (s) => String(s).replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

/** One line saying what a delivery is: a batch (id, MPID, events), a DSR notice, or its size. */
function summarize(body) {
  try {
    const b = JSON.parse(body);
    if (b.message_type === "data_subject_request") return `data subject request ${b.subject_request_type} ${b.subject_request_id}`;
    if (b.batch_id) {
      const names = (b.events ?? []).map((e) => e.data?.event_name ?? e.data?.screen_name ?? e.event_type).slice(0, 5);
      return `batch ${b.batch_id} mpid ${b.mpid} env ${b.environment} events ${b.events?.length ?? 0}${names.length ? ` (${names.join(", ")})` : ""}`;
    }
  } catch {}
  return `${Buffer.byteLength(body)} bytes`;
}

function page(deliveries, port) {
  const items = deliveries
    .map((d) => {
      let pretty = d.body;
      try {
        pretty = JSON.stringify(JSON.parse(d.body), null, 2);
      } catch {}
      return `<details${d === deliveries[0] ? " open" : ""}><summary><b>#${d.n}</b> ${esc(d.received_at)} <code>${esc(d.method)} ${esc(d.path)}</code> ${esc(d.summary)}</summary><pre>${esc(pretty)}</pre></details>`;
    })
    .join("\n");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="2"><title>edge-cdp delivery inbox (${deliveries.length})</title>
<style>body{font:15px/1.4 system-ui,sans-serif;margin:1.5rem;color:#1b1f24}pre{background:#eef0f2;padding:.6rem;overflow:auto;font:13px/1.35 ui-monospace,monospace}summary{cursor:pointer;padding:.2rem 0}code{background:#eef0f2}</style></head>
<body><h1>edge-cdp delivery inbox</h1>
<p>What edge-cdp delivered to <code>http://127.0.0.1:${port}/…</code>, newest first (the latest ${INBOX_KEEP}; this page refreshes every 2 s; JSON: <a href="/deliveries.json">/deliveries.json</a>).</p>
${deliveries.length ? items : "<p><em>Nothing delivered yet.</em> Send a batch (README, five-minute tour); it shows up here within a second or two.</p>"}
</body></html>`;
}

/** Starts the inbox; resolves with its URL (http://127.0.0.1:PORT), the deliveries array (newest first) and close(). */
export function startInbox({ port = Number(process.env.SINK_PORT ?? 9000), quiet = process.env.SINK_QUIET === "1", log = console.log } = {}) {
  const deliveries = [];
  let n = 0;
  const server = createServer((req, res) => {
    if (req.method === "GET" || req.method === "HEAD") {
      const path = new URL(req.url ?? "/", "http://inbox").pathname;
      if (path === "/deliveries.json") return res.writeHead(200, { "Content-Type": "application/json", "Cache-Control": "no-store" }).end(JSON.stringify(deliveries));
      if (path === "/") return res.writeHead(200, { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store", "Content-Security-Policy": CSP }).end(page(deliveries, server.address().port));
      return res.writeHead(404, { "Content-Type": "text/plain" }).end("not found: GET / or /deliveries.json; deliveries are POSTed to any path");
    }
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const d = { n: ++n, received_at: new Date().toISOString(), method: req.method, path: req.url, headers: req.headers, summary: summarize(body), body: body.slice(0, BODY_KEEP) };
      deliveries.unshift(d);
      if (deliveries.length > INBOX_KEEP) deliveries.length = INBOX_KEEP;
      log(`[inbox] #${d.n} ${req.method} ${req.url} ${d.summary}`);
      if (!quiet) log(body);
      res.writeHead(200, { "Content-Type": "text/plain" }).end("ok");
    });
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      const url = `http://127.0.0.1:${server.address().port}`;
      resolve({ url, deliveries, close: () => new Promise((r) => (server.closeAllConnections(), server.close(() => r()))) });
    });
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  startInbox()
    .then(({ url }) => console.log(`[inbox] listening: ${url}/ lists the deliveries (point a webhook at ${url}/webhook)`))
    .catch((err) => {
      console.error(`[inbox] cannot listen: ${err.message}${err.code === "EADDRINUSE" ? " (another inbox running? set SINK_PORT)" : ""}`);
      process.exit(1);
    });
}
