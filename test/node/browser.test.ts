/**
 * The official mParticle Web SDK (`@mparticle/web-sdk`, its own dist bundle) in headless Chromium
 * (Debian `chromium` driven by `playwright-core`) against the worker served by Miniflare over HTTPS, as in
 * production: config and alias are always https in the SDK, and the SDK defaults (requestConfig, forceHttps)
 * are kept. The page comes from a plain-HTTP origin, so every API call is cross-origin (CORS), and the
 * delivery is checked at the demo webhook sink (webhook output 1 is connected to the web input, input 2,
 * when DEMO_WEBHOOK_URL is set) and in the Profile API.
 *
 * Run twice: with the seven URL options (real-clients.md §2.1) and with the CNAME `domain` form.
 * Skipped, with a warning line, when no Chromium is installed (`apt-get install -y chromium`).
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
if (!CHROMIUM) console.warn("SKIP browser test: chromium not found; install with apt-get install -y chromium");

const WEB_KEY = "demo-web-key";
/** Ingest (≤1 s queue batch) + forward (≤1 s) + the SDK's own uploads, on a loaded machine. */
const SINK_TIMEOUT_MS = 20_000;

type IdentityOutcome = { httpCode: number | null; bodyMpid: string | null; userMpid: string | null; currentMpid: string | null };
type StepParams = { tag: string; transactionId: string; email: string; customerId: string };
/** What test/node/browser/scenario.js puts on `window.edgeCdp`. */
type EdgeCdpPage = {
  init(p: { layout: string; api: string; apiKey: string }): Promise<IdentityOutcome>;
  anonymousEvents(p: StepParams): { mpid: string };
  login(p: StepParams): Promise<IdentityOutcome>;
  modifyCustomerId(p: StepParams): Promise<IdentityOutcome & { body: unknown; customerId: string | undefined }>;
  attributesConsentUpload(p: StepParams): { mpid: string; userAgent: string };
  beforeUnloadAndLeave(p: StepParams & { leaveTo: string }): { mpid: string };
};

type OutEvent = { event_type: string; data: Record<string, any> };
type OutBatch = {
  mpid: string;
  environment: string;
  source_info?: { channel?: string };
  device_info?: Record<string, unknown>;
  user_identities?: { identity_type: string; identity: string }[];
  user_attributes?: Record<string, unknown>;
  consent_state?: Record<string, any> | null;
  events: OutEvent[];
};
type Found = { batch: OutBatch; event: OutEvent };
type BrowserRequest = { url: string; method: string; resourceType: string; postData: string | null; status?: number; failure?: string };

let h: Harness;
let pages: PageServer;
const run = randomUUID().slice(0, 8);

describe.skipIf(!CHROMIUM)("official mParticle Web SDK in Chromium against the worker over HTTPS", () => {
  beforeAll(async () => {
    [h, pages] = await Promise.all([startHarness({ https: true }), startPageServer()]);
    expect(h.url.startsWith("https://127.0.0.1:")).toBe(true);
  });

  afterAll(async () => {
    await Promise.all([h?.stop(), pages?.close()]);
  });

  for (const layout of ["urls", "domain"] as const) {
    it(`${layout === "urls" ? "seven URL options" : "domain (CNAME) form"}: page view, event, purchase, login, attributes, consent and beacon reach the sink with the MPID identity returned`, async () => {
      const tag = `${run}-${layout}`;
      const params: StepParams = { tag, transactionId: `txn-${tag}`, email: `web-${tag}@example.com`, customerId: `web-cust-${tag}` };
      const api = new URL(h.url).host; // 127.0.0.1:<port>, no scheme (the SDK adds https://)

      const userDataDir = await mkdtemp(path.join(os.tmpdir(), "edge-cdp-chromium-"));
      const requests: BrowserRequest[] = [];
      const consoleLines: string[] = [];
      let context: BrowserContext | undefined;
      const diagnostics = () =>
        `--- browser requests ---\n${requests.map((r) => `${r.method} ${r.url} [${r.resourceType}] -> ${r.status ?? r.failure ?? "?"}`).join("\n")}\n` +
        `--- page console ---\n${consoleLines.join("\n")}\n` +
        `--- sink (${h.sink.requests.length}) ---\n${h.sink.requests.map((r) => r.body.slice(0, 600)).join("\n")}\n` +
        `--- worker logs (last 40) ---\n${h.logs.slice(-40).join("\n")}`;

      try {
        context = await chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM!, headless: true, args: CHROMIUM_ARGS });
        const byRequest = new Map<object, BrowserRequest>();
        context.on("request", (r) => {
          const rec: BrowserRequest = { url: r.url(), method: r.method(), resourceType: r.resourceType(), postData: r.postData() };
          byRequest.set(r, rec);
          requests.push(rec);
        });
        context.on("requestfinished", async (r) => {
          const rec = byRequest.get(r);
          const res = await r.response().catch(() => null);
          if (rec && res) rec.status = res.status();
        });
        context.on("requestfailed", (r) => {
          const rec = byRequest.get(r);
          if (rec) rec.failure = r.failure()?.errorText ?? "failed";
        });
        const page = context.pages()[0] ?? (await context.newPage());
        page.on("console", (m) => consoleLines.push(`[${m.type()}] ${m.text()}`));
        page.on("pageerror", (e) => consoleLines.push(`[pageerror] ${e.message}`));

        await page.goto(`${pages.origin}/page.html`);

        // 1. init: config, then the anonymous identify (identityCallback).
        const identify = await page.evaluate((p) => (globalThis as unknown as { edgeCdp: EdgeCdpPage }).edgeCdp.init(p), { layout, api, apiKey: WEB_KEY });
        expect(identify, diagnostics()).toMatchObject({ httpCode: 200 });
        const anonMpid = identify.userMpid!;
        expect(anonMpid).toMatch(/^-?\d+$/);
        expect(identify.bodyMpid).toBe(anonMpid);
        expect(identify.currentMpid).toBe(anonMpid);

        // 2. page view, custom event, purchase (the commerce event forces an upload).
        const anon = await page.evaluate((p) => (globalThis as unknown as { edgeCdp: EdgeCdpPage }).edgeCdp.anonymousEvents(p), params);
        expect(anon.mpid).toBe(anonMpid);

        // 3. login with email and customer id.
        const login = await page.evaluate((p) => (globalThis as unknown as { edgeCdp: EdgeCdpPage }).edgeCdp.login(p), params);
        expect(login, diagnostics()).toMatchObject({ httpCode: 200 });
        const userMpid = login.userMpid!;
        expect(userMpid).toMatch(/^-?\d+$/);
        expect(login.bodyMpid).toBe(userMpid);
        expect(login.currentMpid).toBe(userMpid);

        // 3b. Identity.modify of the customer id (a login identity) with the public key: refused with 400 and the
        // Identity API's error body, which the SDK hands to the callback; the user keeps its customer id.
        const modify = await page.evaluate((p) => (globalThis as unknown as { edgeCdp: EdgeCdpPage }).edgeCdp.modifyCustomerId(p), params);
        expect(modify, diagnostics()).toMatchObject({ httpCode: 400, currentMpid: userMpid, customerId: params.customerId });
        expect(modify.body).toMatchObject({ errors: [{ code: "PUBLIC_KEY_IDENTITY_CHANGE", message: expect.stringMatching(/customerid is a login identity/) }] });

        // 4. user attributes, GDPR + CCPA consent, an event, upload().
        const after = await page.evaluate((p) => (globalThis as unknown as { edgeCdp: EdgeCdpPage }).edgeCdp.attributesConsentUpload(p), params);
        expect(after.mpid).toBe(userMpid);
        const userAgent = after.userAgent;

        // Everything so far at the sink before the page is left (an in-flight fetch would be cut by the navigation).
        const mpids = new Set([anonMpid, userMpid]);
        const find = (want: (f: Found) => boolean): Found | undefined => {
          for (const b of h.sink.received as OutBatch[]) {
            if (!b || !mpids.has(b.mpid) || !Array.isArray(b.events)) continue;
            for (const e of b.events) if (want({ batch: b, event: e })) return { batch: b, event: e };
          }
          return undefined;
        };
        const ofRun = (f: Found) => f.event.data?.custom_attributes?.run === tag;
        const expected = {
          pageView: (f: Found) => f.event.event_type === "screen_view" && f.event.data.screen_name === "Home Page" && ofRun(f),
          customEvent: (f: Found) => f.event.event_type === "custom_event" && f.event.data.event_name === "Video Watched" && ofRun(f),
          purchase: (f: Found) => f.event.event_type === "commerce_event" && f.event.data.product_action?.transaction_id === params.transactionId,
          emailChange: (f: Found) => f.event.event_type === "user_identity_change" && f.event.data.new?.identity_type === "email" && f.event.data.new?.identity === params.email,
          customerIdChange: (f: Found) =>
            f.event.event_type === "user_identity_change" && f.event.data.new?.identity_type === "customer_id" && f.event.data.new?.identity === params.customerId,
          planChange: (f: Found) => f.event.event_type === "user_attribute_change" && f.event.data.user_attribute_name === "plan",
          afterConsent: (f: Found) => f.event.event_type === "custom_event" && f.event.data.event_name === "After Consent" && ofRun(f),
          beacon: (f: Found) => f.event.event_type === "custom_event" && f.event.data.event_name === "Before Unload" && ofRun(f),
        };
        type Key = keyof typeof expected;
        const waitFor = async (keys: Key[]): Promise<Record<Key, Found>> => {
          try {
            return await vi.waitFor(
              () => {
                const got = {} as Record<Key, Found>;
                const missing: Key[] = [];
                for (const k of keys) {
                  const f = find(expected[k]);
                  if (f) got[k] = f;
                  else missing.push(k);
                }
                if (missing.length) throw new Error(`sink has nothing yet for: ${missing.join(", ")}`);
                return got;
              },
              { timeout: SINK_TIMEOUT_MS, interval: 100 },
            );
          } catch (err) {
            throw new Error(`${(err as Error).message}\n${diagnostics()}`);
          }
        };
        const got = await waitFor(["pageView", "customEvent", "purchase", "emailChange", "customerIdChange", "planChange", "afterConsent"]);

        // 5. an event left queued, then leave the page: the SDK's exit handler sends it with navigator.sendBeacon.
        const leaveTo = `${pages.origin}/bye.html`;
        const beforeLeaving = requests.length;
        const unload = await page.evaluate((p) => (globalThis as unknown as { edgeCdp: EdgeCdpPage }).edgeCdp.beforeUnloadAndLeave(p), { ...params, leaveTo });
        expect(unload.mpid).toBe(userMpid);
        await page.waitForURL(leaveTo);
        Object.assign(got, await waitFor(["beacon"]));

        // --- what the SDK called ---
        const eventsPath = layout === "urls" ? `/v3/JS/${WEB_KEY}/events` : `/webevents/v3/JS/${WEB_KEY}/events`;
        const configPath = layout === "urls" ? `/JS/v2/${WEB_KEY}/config` : `/tags/JS/v2/${WEB_KEY}/config`;
        const identityBase = layout === "urls" ? "/v1/" : "/identity/v1/";
        const apiCalls = requests.filter((r) => r.url.startsWith(`${h.url}/`));
        const at = (p: string) => apiCalls.filter((r) => new URL(r.url).pathname === p);
        expect(at(configPath).map((r) => r.status), diagnostics()).toEqual([200]);
        expect(at(`${identityBase}identify`).filter((r) => r.method === "POST").map((r) => r.status)).toEqual([200]);
        expect(at(`${identityBase}login`).filter((r) => r.method === "POST").map((r) => r.status)).toEqual([200]);
        expect(at(`${identityBase}${userMpid}/modify`).filter((r) => r.method === "POST").map((r) => r.status)).toEqual([400]);
        const eventPosts = at(eventsPath).filter((r) => r.method === "POST");
        expect(eventPosts.length).toBeGreaterThanOrEqual(4);
        // "Before Unload" (at the sink, checked above) left through a beacon: every events upload after it was
        // logged is navigator.sendBeacon (Chromium's resource type "ping"; Playwright shows neither its body nor
        // its answer, and reports it ERR_ABORTED once the page is gone), and there is at least one.
        const exitUploads = requests.slice(beforeLeaving).filter((r) => r.method === "POST" && r.url.startsWith(`${h.url}${eventsPath}`));
        expect(exitUploads.length, diagnostics()).toBeGreaterThanOrEqual(1);
        expect(exitUploads.map((r) => r.resourceType)).toEqual(exitUploads.map(() => "ping"));
        // Fetch uploads answered 2xx.
        for (const r of eventPosts.filter((r) => r.resourceType !== "ping")) expect(r.status !== undefined && r.status >= 200 && r.status < 300, `${r.url} -> ${r.status}\n${diagnostics()}`).toBe(true);
        console.info(
          `[browser ${layout}] identify mpid ${anonMpid}, login mpid ${userMpid}; ${apiCalls.length} API requests, ` +
            `${eventPosts.length} events uploads (${eventPosts.filter((r) => r.resourceType === "ping").length} by beacon)`,
        );
        // Nothing left for a real mParticle host (or anywhere but 127.0.0.1).
        const foreign = requests.filter((r) => /^(https?|wss?):/.test(r.url) && new URL(r.url).hostname !== "127.0.0.1");
        expect(foreign.map((r) => r.url)).toEqual([]);

        // --- what reached the sink ---
        // Events logged before login carry the identify's MPID; after login, the login's MPID.
        for (const k of ["pageView", "customEvent", "purchase"] as const) expect(got[k].batch.mpid, k).toBe(anonMpid);
        for (const k of ["emailChange", "customerIdChange", "planChange", "afterConsent", "beacon"] as const) expect(got[k].batch.mpid, k).toBe(userMpid);
        for (const f of Object.values(got)) {
          expect(f.batch.environment).toBe("development");
          expect(f.batch.source_info?.channel).toBe("javascript");
          expect(f.batch.device_info?.http_header_user_agent).toBe(userAgent);
          expect(f.batch.device_info?.platform).toBe("web");
        }

        expect(got.pageView.event.data).toMatchObject({ screen_name: "Home Page", custom_attributes: { page: "/home" }, custom_flags: { "Google.Page": "/home" } });
        expect(got.customEvent.event.data).toMatchObject({
          event_name: "Video Watched",
          custom_event_type: "navigation",
          custom_attributes: { category: "Destination Intro", title: "Paris", duration_s: 42, autoplay: true },
          custom_flags: { "Capture.Flag": "x" },
        });
        const purchase = got.purchase.event.data;
        expect(purchase).toMatchObject({
          custom_attributes: { sale: "summer" },
          product_action: { action: "purchase", transaction_id: params.transactionId, affiliation: "aff-web", total_amount: 460, tax_amount: 20, shipping_amount: 10 },
        });
        expect(purchase.product_action.products).toEqual([
          expect.objectContaining({ id: "econ-1", name: "Double Room - Econ Rate", price: 100, quantity: 4, brand: "Acme Hotels", category: "hotel", custom_attributes: { room_view: "sea" } }),
          expect.objectContaining({ id: "bf-1", name: "Breakfast", price: 15, quantity: 2 }),
        ]);

        const identities = (f: Found) => Object.fromEntries((f.batch.user_identities ?? []).map((i) => [i.identity_type, i.identity]));
        expect(identities(got.afterConsent)).toMatchObject({ email: params.email, customer_id: params.customerId });
        expect(identities(got.beacon)).toMatchObject({ email: params.email, customer_id: params.customerId });
        expect(got.afterConsent.batch.user_attributes).toMatchObject({ plan: "premium", age: 42, favorite_colors: ["red", "green"] });
        expect(got.planChange.event.data).toMatchObject({ user_attribute_name: "plan", new: "premium", deleted: false });
        expect(got.afterConsent.batch.consent_state).toMatchObject({
          gdpr: { marketing: { consented: true, document: "marketing_doc_v2", location: "example.com/signup", hardware_id: "hw-123", timestamp_unixtime_ms: 1735732799000 } },
          ccpa: { data_sale_opt_out: { consented: false, document: "ccpa_doc_v1", location: "example.com/privacy", hardware_id: "hw-123" } },
        });

        // --- the profile (Profile API over the same TLS socket) ---
        const token = await httpsRequest(`${h.url}/oauth/token`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ client_id: "demo-client-id", client_secret: "demo-client-secret", audience: "https://api.mparticle.com", grant_type: "client_credentials" }),
        });
        expect(token.status, token.text).toBe(200);
        const bearer = (JSON.parse(token.text) as { access_token: string }).access_token;
        const profile = await httpsRequest(`${h.url}/userprofile/v1/1/1/1/${userMpid}?fields=user_identities,user_attributes`, {
          headers: { authorization: `Bearer ${bearer}` },
        });
        expect(profile.status, profile.text).toBe(200);
        expect(profile.text).toContain(`"mpid":${userMpid},`);
        const body = JSON.parse(profile.text) as { user_identities: { type: string; value: string }[]; user_attributes: Record<string, unknown> };
        expect(body.user_identities).toEqual(
          expect.arrayContaining([
            expect.objectContaining({ type: "email", value: params.email }),
            expect.objectContaining({ type: "customer_id", value: params.customerId }),
          ]),
        );
        expect(body.user_attributes).toMatchObject({ plan: "premium", age: 42, favorite_colors: ["red", "green"] });
      } finally {
        await context?.close().catch(() => {});
        await rm(userDataDir, { recursive: true, force: true });
      }
    });
  }
});
