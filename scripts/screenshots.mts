/**
 * `npm run screenshots`: writes a screenshot of every console view to docs/img/console-<view>.png. Starts the worker
 * as the Node tests do (test/node/harness.ts: Miniflare over HTTPS), a partner that refuses the first delivery (so
 * a dead letter and an alert exist), sends a few batches, signs in as the demo admin in Chromium and visits each view.
 * Needs Debian's chromium (/usr/bin/chromium).
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { CHROMIUM_ARGS, findChromium } from "../test/node/browser/support";
import { eventBatch, sendBatch, signInPage, startTogglePartner } from "../test/node/console/support";
import { startHarness } from "../test/node/harness";

const OUT = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "docs", "img");
const CHROMIUM = findChromium();
if (!CHROMIUM) throw new Error("chromium not found: apt-get install -y chromium");
mkdirSync(OUT, { recursive: true });

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const partner = await startTogglePartner();
const h = await startHarness({ https: true, bindings: { DEMO_WEBHOOK_URL: partner.url } });
const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
try {
  const page = await (await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1280, height: 800 } })).newPage();
  const shot = async (name: string) => {
    await page.screenshot({ path: path.join(OUT, `console-${name}.png`), fullPage: false });
    console.log(`wrote docs/img/console-${name}.png`);
  };
  await page.goto(`${h.url}/console/login`);
  await shot("sign-in");
  // One refused delivery: a dead letter and an alert to show.
  partner.fail = true;
  await sendBatch(h.url, eventBatch("Checkout Failed", "jane@example.com", { plan: "premium", city: "Lisbon" }, "production"));
  await sleep(3000);
  partner.fail = false;
  await signInPage(page, h.url, "admin@example.com", "demo-password");
  await page.waitForSelector('#status[data-state="live"]');
  for (const [i, name] of ["Product Viewed", "Add To Cart", "Checkout Started", "Search"].entries()) {
    await sendBatch(h.url, eventBatch(name, `user${i}@example.com`, { plan: i % 2 ? "free" : "premium" }));
    await sleep(400);
  }
  await page.waitForSelector("#stream tbody tr");
  await sleep(1500);
  await page.click("#stream tbody tr");
  await shot("live-stream");
  await page.goto(`${h.url}/console/activity?q=${encodeURIComponent("jane@example.com")}`);
  await shot("user-activity");
  await page.goto(`${h.url}/console/connections`);
  await shot("connections");
  await page.goto(`${h.url}/console/connections/1`);
  await shot("connection");
  await page.goto(`${h.url}/console/alerts`);
  await shot("system-alerts");
} finally {
  await browser.close();
  await h.stop();
  await partner.close();
}
