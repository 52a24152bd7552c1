/**
 * The console in Chromium (playwright-core, Debian chromium) against the worker over HTTPS (the session cookie is
 * Secure and __Host-): sign in, Live Stream shows an event sent through the Events API within 3 s, User Activity
 * finds a user by email with their attributes, a failing connection's dead letter is replayed from the page and
 * delivered, and a viewer has no replay button. Skipped, with a warning line, when no Chromium is installed.
 */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { type BrowserContext, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHROMIUM_ARGS, findChromium, httpsRequest } from "./browser/support";
import { eventBatch, platformToken, sendBatch, signInPage, startTogglePartner, type TogglePartner } from "./console/support";
import { type Harness, startHarness } from "./harness";

const CHROMIUM = findChromium();
if (!CHROMIUM) console.warn("SKIP console browser test: chromium not found; install with apt-get install -y chromium");

let h: Harness;
let partner: TogglePartner;
let context: BrowserContext;
let userDataDir: string;
const run = randomUUID().slice(0, 8);

describe.skipIf(!CHROMIUM)("the console in Chromium", () => {
  beforeAll(async () => {
    partner = await startTogglePartner();
    h = await startHarness({ https: true, bindings: { DEMO_WEBHOOK_URL: partner.url } });
    userDataDir = await mkdtemp(path.join(os.tmpdir(), "edge-cdp-console-"));
    context = await chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM!, headless: true, args: CHROMIUM_ARGS });
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    await h?.stop();
    await partner?.close();
    if (userDataDir) await rm(userDataDir, { recursive: true, force: true });
  });

  it("signs in and shows an event sent through the Events API in Live Stream within 3 s", async () => {
    const page = await context.newPage();
    await signInPage(page, h.url, "admin@example.com", "demo-password");
    await page.waitForSelector('#status[data-state="live"]');
    const name = `Live ${run}`;
    const sent = Date.now();
    await sendBatch(h.url, eventBatch(name, `live-${run}@example.com`));
    await page.waitForSelector(`#stream tbody tr:has-text("${name}")`, { timeout: 3000 });
    console.log(JSON.stringify({ console: { live_stream_ms: Date.now() - sent } }));
    await page.click(`#stream tbody tr:has-text("${name}")`);
    expect(await page.textContent("#details")).toContain(name);
    // Pause: nothing new is added while paused.
    await page.click("#pause");
    await sendBatch(h.url, eventBatch(`Paused ${run}`, `live-${run}@example.com`));
    await new Promise((r) => setTimeout(r, 1500));
    expect(await page.locator(`#stream tbody tr:has-text("Paused ${run}")`).count()).toBe(0);
    await page.close();
  }, 60_000);

  it("finds a user by email in User Activity and shows their attributes", async () => {
    const email = `activity-${run}@example.com`;
    await sendBatch(h.url, eventBatch(`Signup ${run}`, email, { favourite_colour: `teal-${run}` }, "production"));
    const page = await context.newPage();
    const deadline = Date.now() + 15_000;
    for (;;) {
      await page.goto(`${h.url}/console/activity?q=${encodeURIComponent(email)}`);
      if (await page.locator("table.attributes").count()) break;
      if (Date.now() > deadline) throw new Error("user not found in User Activity");
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(await page.textContent("table.attributes")).toContain(`teal-${run}`);
    expect(await page.textContent("ol.timeline")).toContain(`Signup ${run}`);
    await page.close();
  }, 60_000);

  it("shows a failing connection's dead letter, replays it from the page, and the partner receives it", async () => {
    // Earlier tests' deliveries land first: a delivery still in flight would fail too and become another dead letter.
    for (let seen = -1, quietSince = Date.now(), until = Date.now() + 15_000; Date.now() - quietSince < 1_500 && Date.now() < until; await new Promise((r) => setTimeout(r, 100))) {
      if (partner.received.length !== seen) [seen, quietSince] = [partner.received.length, Date.now()];
    }
    partner.fail = true;
    const name = `Refused ${run}`;
    await sendBatch(h.url, eventBatch(name, `dl-${run}@example.com`, {}, "production"));
    const page = await context.newPage();
    const deadline = Date.now() + 20_000;
    for (;;) {
      await page.goto(`${h.url}/console/connections/1`);
      if (await page.locator("#dead-letters tbody tr").count()) break;
      if (Date.now() > deadline) throw new Error("no dead letter appeared");
      await new Promise((r) => setTimeout(r, 500));
    }
    partner.fail = false;
    const row = page.locator("#dead-letters tbody tr").first();
    expect(await row.textContent()).toContain("400");
    await Promise.all([page.waitForURL(/\/console\/connections\/1/), row.locator("button.replay").click()]);
    expect(await page.locator("#dead-letters tbody tr").first().locator(".state").textContent()).toContain("replayed");
    const until = Date.now() + 15_000;
    while (!JSON.stringify(partner.received).includes(name)) {
      if (Date.now() > until) throw new Error("the replayed batch was not delivered");
      await new Promise((r) => setTimeout(r, 200));
    }
    await page.goto(`${h.url}/console/alerts`);
    expect(await page.textContent("#alerts")).toContain("replay");
    await page.close();
  }, 60_000);

  it("gives a viewer no replay button", async () => {
    const email = `viewer-${run}@example.com`;
    const res = await httpsRequest(`${h.url}/v1/users`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${await platformToken(h.url)}` },
      body: JSON.stringify({ email, role: "viewer", password: "viewer-password" }),
    });
    expect(res.status).toBe(201);
    const viewerContext = await chromium.launch({ executablePath: CHROMIUM!, headless: true, args: CHROMIUM_ARGS });
    try {
      const page = await (await viewerContext.newContext({ ignoreHTTPSErrors: true })).newPage();
      await signInPage(page, h.url, email, "viewer-password");
      await page.goto(`${h.url}/console/connections/1`);
      expect(await page.locator("#dead-letters tbody tr").count()).toBeGreaterThan(0);
      expect(await page.locator("button.replay").count()).toBe(0);
      expect(await page.textContent("header .role")).toBe("viewer");
    } finally {
      await viewerContext.close();
    }
  }, 60_000);
});
