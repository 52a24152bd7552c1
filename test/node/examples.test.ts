/**
 * examples/ as a user runs them, against the worker (Miniflare, demo seed on) with the delivery inbox as the demo
 * webhook: `sh examples/curl.sh`, `node examples/node-sdk.cjs` (official Node SDK), and the Web SDK page
 * examples/web/ served by the worker at /examples/web/ in headless Chromium (official Web SDK over plain http).
 * The API reference page (/reference, Swagger UI) is rendered in the same browser under its CSP.
 */
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { type BrowserContext, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startInbox } from "../../scripts/sink.mjs";
import { CHROMIUM_ARGS, findChromium } from "./browser/support";
import { type Harness, startHarness } from "./harness";
import { ROOT } from "./markdown";

const CHROMIUM = findChromium();
const run = randomUUID().slice(0, 8);
let h: Harness;
let inbox: Awaited<ReturnType<typeof startInbox>>;

beforeAll(async () => {
  inbox = await startInbox({ port: 0, quiet: true, log: () => {} });
  h = await startHarness({ bindings: { DEMO_WEBHOOK_URL: `${inbox.url}/webhook` } });
});

afterAll(async () => {
  await h?.stop();
  await inbox?.close();
});

function exec(cmd: string, args: string[], env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (out += d.toString()));
    child.on("exit", (code) => resolve({ code, out }));
  });
}

type Batch = { mpid: string; source_info?: { channel?: string }; user_identities?: { identity_type: string; identity: string }[]; events?: { data?: { event_name?: string; screen_name?: string } }[] };
/** Waits until the inbox holds a batch with this identity value (and, when given, this event name). */
function delivered(identity: string, eventName?: string): Promise<Batch> {
  return vi.waitFor(
    () => {
      for (const d of inbox.deliveries) {
        const b = JSON.parse(d.body) as Batch;
        if (b.user_identities?.some((i) => i.identity === identity) && (!eventName || b.events?.some((e) => e.data?.event_name === eventName))) return b;
      }
      throw new Error(`no delivery for ${identity} ${eventName ?? ""} among ${inbox.deliveries.length}:\n${inbox.deliveries.map((d) => d.summary).join("\n")}\n${h.logs.slice(-20).join("\n")}`);
    },
    { timeout: 30_000, interval: 200 },
  );
}

describe("examples/", () => {
  it("curl.sh: 202, and the batch reaches the inbox", async () => {
    const r = await exec("sh", ["examples/curl.sh"], { EDGE_CDP_URL: h.url });
    expect(r.code, r.out).toBe(0);
    expect(r.out).toContain("HTTP/1.1 202");
    const b = await delivered("curl-user", "Signup");
    expect(b.source_info?.channel).toBe("server_to_server");
  });

  it("node-sdk.cjs: the official Node SDK's batch is accepted and reaches the inbox with both events", async () => {
    const customer = `example-node-${run}`;
    const r = await exec(process.execPath, ["examples/node-sdk.cjs"], { EDGE_CDP_URL: h.url, CUSTOMER_ID: customer });
    expect(r.code, r.out).toBe(0);
    expect(r.out).toContain(`accepted: HTTP 202 for customer id ${customer}`);
    const b = await delivered(customer, "Signed Up");
    expect(b.events?.some((e) => e.data?.screen_name === "Welcome")).toBe(true);
  });

  it("node-sdk.cjs: exits non-zero and says why when the worker refuses", async () => {
    const r = await exec(process.execPath, ["examples/node-sdk.cjs"], { EDGE_CDP_URL: `${h.url}/nowhere` });
    expect(r.code).not.toBe(0);
    expect(r.out).toMatch(/not accepted/);
  });
});

describe.skipIf(!CHROMIUM)("examples/web/ and /reference in Chromium", () => {
  let context: BrowserContext;
  let userDataDir: string;
  beforeAll(async () => {
    userDataDir = await mkdtemp(path.join(os.tmpdir(), "edge-cdp-example-"));
    context = await chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM!, headless: true, args: CHROMIUM_ARGS });
  });
  afterAll(async () => {
    await context?.close();
    await rm(userDataDir, { recursive: true, force: true });
  });

  /** A page that records console lines and every request's host. */
  async function open(url: string) {
    const page = await context.newPage();
    const consoleLines: string[] = [];
    const hosts = new Set<string>();
    page.on("console", (m) => consoleLines.push(`[${m.type()}] ${m.text()}`));
    page.on("pageerror", (e) => consoleLines.push(`[pageerror] ${e.message}`));
    page.on("request", (r) => hosts.add(new URL(r.url()).hostname));
    await page.goto(url);
    return { page, consoleLines, hosts };
  }

  it("web/: the official Web SDK on the page served at /examples/web/ identifies, logs in and its events reach the inbox", async () => {
    const email = `web-example-${run}@example.com`;
    const { page, consoleLines, hosts } = await open(`${h.url}/examples/web/`);
    await page.waitForFunction(() => (globalThis as unknown as { edgeCdpExample?: unknown }).edgeCdpExample !== undefined, undefined, { timeout: 15_000 });
    const result = await page
      .evaluate(
        ([e]) =>
          Promise.race([
            (globalThis as unknown as { edgeCdpExample: { send(email: string, name: string): Promise<{ httpCode: number; mpid: string | null }> } }).edgeCdpExample.send(e!, "Example Clicked"),
            new Promise<never>((_, reject) => setTimeout(() => reject(new Error("no login callback within 20 s")), 20_000)),
          ]),
        [email],
      )
      .catch((err: Error) => {
        throw new Error(`${err.message}\n--- page console ---\n${consoleLines.join("\n")}\n--- worker logs ---\n${h.logs.slice(-20).join("\n")}`);
      });
    expect(result.httpCode, consoleLines.join("\n")).toBe(200);
    expect(result.mpid).toMatch(/^-?\d+$/);
    const b = await delivered(email, "Example Clicked");
    expect(b.mpid).toBe(result.mpid);
    expect(b.source_info?.channel).toBe("javascript");
    expect([...hosts]).toEqual(["127.0.0.1"]);
    expect(consoleLines.filter((l) => /Refused to|Content Security Policy/i.test(l))).toEqual([]);
    await page.close();
  });

  it("/reference: Swagger UI renders /openapi.json from this worker, with no CSP violation and no other host", async () => {
    const { page, consoleLines, hosts } = await open(`${h.url}/reference`);
    await page.waitForSelector(".swagger-ui .info .title", { timeout: 30_000 });
    expect(await page.textContent(".swagger-ui .info .title")).toContain("edge-cdp");
    // Swagger UI's id of an operation: operations-<tag>-<operationId> (src/openapi/document.ts names them).
    // Swagger UI renders the tags near the viewport only; the first operation is on screen, the rest is in its model.
    await page.waitForSelector('[id="operations-Events_API-post_v2_events"]', { state: "attached", timeout: 60_000 });
    const connections = await page.evaluate(() => {
      const ui = (globalThis as unknown as { referenceUi: { specSelectors: { taggedOperations(): { getIn(path: string[]): { toJS(): { path: string; method: string }[] } | undefined } } } }).referenceUi;
      return (ui.specSelectors.taggedOperations().getIn(["Connections", "operations"])?.toJS() ?? []).map((o) => `${o.method} ${o.path}`);
    });
    expect(connections).toContain("get /v1/connections");
    expect([...hosts]).toEqual(["127.0.0.1"]);
    expect(consoleLines.filter((l) => /Refused to|Content Security Policy/i.test(l))).toEqual([]);
    await page.close();
  }, 120_000);
});
