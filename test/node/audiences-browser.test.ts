/**
 * The official Web SDK's `getUserAudiences` in Chromium against the worker over HTTPS (issue 19): the config
 * serves `audienceAPI: "True"`, the SDK calls `https://{userAudienceUrl}{apiKey}/audience?mpid=` and hands the
 * memberships to its callback. Skipped, with a warning line, when no Chromium is installed.
 */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { type BrowserContext, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { CHROMIUM_ARGS, findChromium, httpsRequest, type PageServer, startPageServer } from "./browser/support";
import { type Harness, startHarness } from "./harness";

const CHROMIUM = findChromium();
if (!CHROMIUM) console.warn("SKIP audiences browser test: chromium not found; install with apt-get install -y chromium");

type Page = {
  init(p: { layout: string; api: string; apiKey: string }): Promise<{ httpCode: number | null; userMpid: string | null }>;
  audienceEvent(p: { tag: string }): { mpid: string };
  userAudiences(): Promise<{ currentAudienceMemberships?: { audience_id: number }[] }>;
};

let h: Harness;
let pages: PageServer;

describe.skipIf(!CHROMIUM)("Web SDK getUserAudiences in Chromium", () => {
  beforeAll(async () => {
    [h, pages] = await Promise.all([startHarness({ https: true }), startPageServer()]);
  });
  afterAll(async () => {
    await Promise.all([h?.stop(), pages?.close()]);
  });

  it("answers the user's real-time audience memberships through the SDK's audience call", async () => {
    const tag = randomUUID().slice(0, 8);
    const tokenRes = await httpsRequest(`${h.url}/oauth/token`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ client_id: "demo-client-id", client_secret: "demo-client-secret", audience: "https://api.mparticle.com", grant_type: "client_credentials" }),
    });
    const token = (JSON.parse(tokenRes.text) as { access_token: string }).access_token;
    const created = await httpsRequest(`${h.url}/v1/audiences?accountId=1`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
      body: JSON.stringify({ name: `Probers ${tag}`, workspace_ids: [1], criteria: { event: { event_type: "custom_event", event_name: "Audience Probe", conditions: [{ type: "string", operator: "equals", attribute_name: "run", value: tag }] }, within: { within: 1, within_unit: "hours" } } }),
    });
    expect(created.status, created.text).toBe(201);
    const audienceId = (JSON.parse(created.text) as { id: number }).id;

    const userDataDir = await mkdtemp(path.join(os.tmpdir(), "edge-cdp-chromium-"));
    const lines: string[] = [];
    let context: BrowserContext | undefined;
    try {
      context = await chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM!, headless: true, args: CHROMIUM_ARGS });
      const page = context.pages()[0] ?? (await context.newPage());
      page.on("console", (m) => lines.push(`[${m.type()}] ${m.text()}`));
      context.on("request", (r) => lines.push(`${r.method()} ${r.url()}`));
      await page.goto(`${pages.origin}/page.html`);
      const api = new URL(h.url).host;
      const init = await page.evaluate((p) => (globalThis as unknown as { edgeCdp: Page }).edgeCdp.init(p), { layout: "urls", api, apiKey: "demo-web-key" });
      expect(init.httpCode, lines.join("\n")).toBe(200);

      // Before any event: no membership.
      const before = await page.evaluate(() => (globalThis as unknown as { edgeCdp: Page }).edgeCdp.userAudiences());
      expect(before, lines.join("\n")).toEqual({ currentAudienceMemberships: [] });

      await page.evaluate((p) => (globalThis as unknown as { edgeCdp: Page }).edgeCdp.audienceEvent(p), { tag });
      await vi.waitFor(
        async () => {
          const r = await page.evaluate(() => (globalThis as unknown as { edgeCdp: Page }).edgeCdp.userAudiences());
          expect(r, lines.slice(-30).join("\n")).toEqual({ currentAudienceMemberships: [{ audience_id: audienceId }] });
        },
        { timeout: 20_000, interval: 500 },
      );
      expect(lines.some((l) => l.startsWith(`GET https://${api}/v1/demo-web-key/audience?mpid=${init.userMpid}`))).toBe(true);
    } finally {
      await context?.close();
      await rm(userDataDir, { recursive: true, force: true });
    }
  });
});
