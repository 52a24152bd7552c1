#!/usr/bin/env node
/**
 * Measures what a new user waits for: `git clone` → `npm ci` → `npm start` → the first batch delivered to the
 * delivery inbox. Prints each phase and the total, then stops everything it started and removes the clone.
 *
 *   node scripts/time-to-first-delivery.mjs [SOURCE]     SOURCE: a path or URL to clone (default: this repository)
 *
 * PORT and SINK_PORT default to 8797 and 9007 here, so a running `npm start` is not disturbed. Node built-ins only.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const source = process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), "..");
const port = process.env.PORT ?? "8797";
const sinkPort = process.env.SINK_PORT ?? "9007";
const dir = mkdtempSync(join(tmpdir(), "edge-cdp-first-delivery-"));
const clone = join(dir, "edge-cdp");
const started = Date.now();
const marks = [];
const mark = (what) => {
  marks.push([what, Date.now()]);
  console.log(`[time] ${what}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
};

function run(cmd, args, opts = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ["ignore", "inherit", "inherit"], ...opts });
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(" ")} exited ${code}`))));
  });
}

async function until(what, check, timeoutMs) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

let server;
try {
  await run("git", ["clone", "--quiet", source, clone]);
  mark("git clone");
  await run("npm", ["ci", "--no-audit", "--no-fund"], { cwd: clone });
  mark("npm ci");
  server = spawn("npm", ["start"], { cwd: clone, detached: true, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, PORT: port, SINK_PORT: sinkPort, DEMO_WEBHOOK_URL: "" } });
  let output = "";
  server.stdout.on("data", (d) => (output += d));
  server.stderr.on("data", (d) => (output += d));
  const worker = `http://127.0.0.1:${port}`;
  const inbox = `http://127.0.0.1:${sinkPort}`;
  await until("the worker's /health", async () => (await fetch(`${worker}/health`)).ok, 300_000).catch((err) => {
    throw new Error(`${err.message}\n${output}`);
  });
  mark("npm start: worker answering");
  const res = await fetch(`${worker}/v2/events`, {
    method: "POST",
    headers: { Authorization: `Basic ${Buffer.from("demo-server-key:demo-server-secret").toString("base64")}`, "Content-Type": "application/json" },
    body: JSON.stringify({ environment: "development", user_identities: { customerid: "first-delivery" }, events: [{ event_type: "custom_event", data: { event_name: "First", custom_event_type: "other" } }] }),
  });
  if (res.status !== 202) throw new Error(`batch answered ${res.status}: ${await res.text()}`);
  mark("batch accepted (202)");
  await until("the first delivery in the inbox", async () => (await (await fetch(`${inbox}/deliveries.json`)).json()).length > 0, 60_000);
  mark("first event delivered to the inbox");
  console.log(`[time] clone → first delivered event: ${((Date.now() - started) / 1000).toFixed(1)} s`);
} finally {
  if (server?.pid) {
    try {
      process.kill(-server.pid, "SIGTERM");
    } catch {}
    await new Promise((r) => setTimeout(r, 2000));
    try {
      process.kill(-server.pid, "SIGKILL");
    } catch {}
  }
  rmSync(dir, { recursive: true, force: true });
}
