/**
 * `npm start` (scripts/start.mjs) as a user runs it: wrangler dev with the demo seed, the delivery inbox wired to
 * the demo webhook output with no configuration, the banner, and extra arguments passed through to wrangler. Local
 * state goes to a temporary directory (`-- --persist-to`), ports are free ones, so a developer's own `npm start`
 * is not disturbed. Slow (wrangler dev starts twice).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ROOT } from "./markdown";

const started: { child: ChildProcess; dir: string }[] = [];
afterEach(async () => {
  for (const { child, dir } of started.splice(0)) {
    try {
      process.kill(-child.pid!, "SIGTERM");
    } catch {}
    await new Promise((r) => setTimeout(r, 1000));
    try {
      process.kill(-child.pid!, "SIGKILL");
    } catch {}
    await rm(dir, { recursive: true, force: true });
  }
});

/**
 * A free port below the kernel's ephemeral range (32768–60999 here): servers that other test files start meanwhile
 * with `listen(0)` draw from that range, so one of them could take a port between this check and wrangler binding
 * it (that happened in CI: the worker's port answered "ok" from another file's sink).
 */
async function freePort(): Promise<number> {
  for (;;) {
    const candidate = 20_000 + Math.floor(Math.random() * 12_000);
    const free = await new Promise<boolean>((resolve) => {
      const s = net.createServer();
      s.once("error", () => resolve(false));
      s.listen(candidate, "127.0.0.1", () => s.close(() => resolve(true)));
    });
    if (free) return candidate;
  }
}

/** Starts scripts/start.mjs with this Node; resolves once the banner is printed, with the output so far. */
async function start(env: Record<string, string>, args: string[]) {
  const dir = await mkdtemp(path.join(os.tmpdir(), "edge-cdp-start-"));
  const child = spawn(process.execPath, ["scripts/start.mjs", "--persist-to", dir, ...args], { cwd: ROOT, detached: true, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  started.push({ child, dir });
  const out = { text: "" };
  child.stdout!.on("data", (d: Buffer) => (out.text += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (out.text += d.toString()));
  await vi.waitFor(
    () => {
      if (child.exitCode !== null) throw new Error(`start.mjs exited ${child.exitCode}:\n${out.text}`);
      if (!out.text.includes("Demo credentials")) throw new Error(`no banner yet:\n${out.text.slice(-2000)}`);
    },
    { timeout: 240_000, interval: 500 },
  );
  return out;
}

const batch = (customerid: string) => ({ environment: "development", user_identities: { customerid }, events: [{ event_type: "custom_event", data: { event_name: "Start Test", custom_event_type: "other" } }] });
const basic = `Basic ${Buffer.from("demo-server-key:demo-server-secret").toString("base64")}`;

describe("npm start", () => {
  it("starts the delivery inbox, points the demo webhook at it, says where to look, and passes extra arguments to wrangler", async () => {
    const [port, sinkPort] = [await freePort(), await freePort()];
    const out = await start({ PORT: String(port), SINK_PORT: String(sinkPort), DEMO_WEBHOOK_URL: "" }, ["--test-scheduled"]);
    const worker = `http://127.0.0.1:${port}`;
    const inbox = `http://127.0.0.1:${sinkPort}`;
    expect(out.text).toContain(`${worker}/reference`);
    expect(out.text).toContain(`Delivery inbox:        ${inbox}/`);
    expect(out.text).toContain("--test-scheduled");
    expect(out.text).not.toMatch(/ENOTFOUND|EAI_AGAIN/);

    const res = await fetch(`${worker}/v2/events`, { method: "POST", headers: { Authorization: basic, "Content-Type": "application/json" }, body: JSON.stringify(batch("start-test")) });
    expect(res.status).toBe(202);
    await vi.waitFor(
      async () => {
        const deliveries = (await (await fetch(`${inbox}/deliveries.json`)).json()) as { path: string; body: string }[];
        expect(deliveries.some((d) => d.path === "/webhook" && d.body.includes('"start-test"'))).toBe(true);
      },
      { timeout: 60_000, interval: 500 },
    );
    const page = await fetch(`${inbox}/`);
    expect(await page.text()).toContain("Start Test");
    // --test-scheduled reached wrangler: the scheduled handler can be triggered over HTTP.
    expect((await fetch(`${worker}/__scheduled?cron=17+*+*+*+*`)).status).toBe(200);
    expect((await fetch(`${worker}/`)).headers.get("content-security-policy")).toContain("default-src 'none'");
  }, 300_000);

  it("starts no inbox when DEMO_WEBHOOK_URL is set: that URL wins", async () => {
    const [port, sinkPort] = [await freePort(), await freePort()];
    const out = await start({ PORT: String(port), SINK_PORT: String(sinkPort), DEMO_WEBHOOK_URL: "http://127.0.0.1:9/elsewhere" }, []);
    expect(out.text).toContain("Demo webhook output:   http://127.0.0.1:9/elsewhere (DEMO_WEBHOOK_URL from the environment; no inbox started)");
    await expect(fetch(`http://127.0.0.1:${sinkPort}/deliveries.json`)).rejects.toThrow();
    const home = (await (await fetch(`http://127.0.0.1:${port}/`, { headers: { Accept: "application/json" } })).json()) as { running: { demo_webhook_url: string } };
    expect(home.running.demo_webhook_url).toBe("http://127.0.0.1:9/elsewhere");
  }, 300_000);

  it("refuses a PORT that something else listens on, before starting anything", async () => {
    const port = await freePort();
    const squatter = net.createServer().listen(port, "127.0.0.1");
    await new Promise((r) => squatter.once("listening", r));
    try {
      const child = spawn(process.execPath, ["scripts/start.mjs"], { cwd: ROOT, env: { ...process.env, PORT: String(port), DEMO_WEBHOOK_URL: "http://127.0.0.1:9/x" }, stdio: ["ignore", "pipe", "pipe"] });
      let text = "";
      child.stdout!.on("data", (d: Buffer) => (text += d.toString()));
      child.stderr!.on("data", (d: Buffer) => (text += d.toString()));
      const code = await new Promise<number | null>((r) => child.on("exit", r));
      expect(code).toBe(1);
      expect(text).toContain(`port ${port} on 127.0.0.1 is in use`);
      expect(text).not.toContain("wrangler dev");
    } finally {
      squatter.close();
    }
  }, 60_000);
});
