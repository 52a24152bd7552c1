#!/usr/bin/env node
/**
 * `npm run sink`: a local webhook receiver that prints every batch edge-cdp delivers.
 * Listens on 127.0.0.1:$SINK_PORT (default 9000), answers 200, and logs one summary line plus the JSON.
 */
import { createServer } from "node:http";

const port = Number(process.env.SINK_PORT || 9000);
let n = 0;
createServer((req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    const body = Buffer.concat(chunks).toString("utf8");
    n++;
    let summary = `${body.length} bytes`;
    try {
      const b = JSON.parse(body);
      summary = `batch ${b.batch_id} mpid ${b.mpid} env ${b.environment} events ${b.events?.length ?? 0}`;
    } catch {}
    console.log(`[sink] #${n} ${req.method} ${req.url} ${summary}`);
    if (process.env.SINK_QUIET !== "1") console.log(body);
    res.writeHead(200, { "Content-Type": "text/plain" }).end("ok");
  });
}).listen(port, "127.0.0.1", () => console.log(`[sink] listening on http://127.0.0.1:${port}/ (set DEMO_WEBHOOK_URL=http://127.0.0.1:${port}/webhook)`));
