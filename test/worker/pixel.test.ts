import { env } from "cloudflare:workers";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { invalidateConfig } from "../../src/db/config-cache";
import { createDb } from "../../src/db";
import { createOutput } from "../../src/integrations/outputs";
import { PIXEL_GIF } from "../../src/routes/pixel";
import { DEMO_WEBHOOK_URL, installSink } from "./helpers/sink";
import { eventually, settle } from "./helpers/wait";
import { drops, web, WEB_KEY } from "./helpers/web";

/** What a browser's `<img src>` sends (Chromium). */
const IMG = { Accept: "image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8", "Sec-Fetch-Dest": "image", "Sec-Fetch-Mode": "no-cors" };
/** What `fetch(url)` in the documentation's snippet sends, asking for JSON. */
const FETCH = { Accept: "application/json", "Sec-Fetch-Dest": "empty", "Sec-Fetch-Mode": "cors" };
const UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36";

const WEB_INPUT = 2;
const SERVER_INPUT = 1;
const DISABLED_INPUT = 9301;
/** A workspace with GDPR ("marketing") and CCPA enabled and GPC mapped to CCPA, whose web input feeds the sink. */
const PRIVACY_WORKSPACE = 9302;
const PRIVACY_INPUT = 9303;
const PRIVACY_KEY = "pixel-privacy-key";

let sink: ReturnType<typeof installSink>;
beforeAll(async () => {
  sink = installSink();
  await env.DB.prepare(
    `INSERT INTO inputs (id, workspace_id, kind, platform, name, api_key, secret_hash, settings, status) VALUES (?, 1, 'platform', 'web', 'Disabled pixel input', 'pixel-disabled-key', 'x', '{}', 'disabled')
     ON CONFLICT (id) DO UPDATE SET status = 'disabled'`,
  )
    .bind(DISABLED_INPUT)
    .run();
  const privacy = { regulations: { gdpr: true, ccpa: true }, gdprPurposes: ["marketing"], gpc: { mapTo: "ccpa" } };
  await env.DB.prepare(`INSERT OR REPLACE INTO workspaces (id, account_id, name, settings) VALUES (?, 1, 'Pixel privacy', ?)`).bind(PRIVACY_WORKSPACE, JSON.stringify({ privacy })).run();
  await env.DB.prepare(
    `INSERT OR REPLACE INTO inputs (id, workspace_id, kind, platform, name, api_key, secret_hash, settings) VALUES (?, ?, 'platform', 'web', 'Pixel privacy web', ?, 'x', '{}')`,
  )
    .bind(PRIVACY_INPUT, PRIVACY_WORKSPACE, PRIVACY_KEY)
    .run();
  const outputId = await createOutput(createDb(env.DB), env.CONFIG_ENCRYPTION_KEY, { workspaceId: PRIVACY_WORKSPACE, integration: "webhook", name: "pixel sink", settings: { url: DEMO_WEBHOOK_URL } });
  await env.DB.prepare(`INSERT INTO connections (input_id, output_id, status_development, status_production) VALUES (?, ?, 'active', 'active')`).bind(PRIVACY_INPUT, outputId).run();
  invalidateConfig();
});
afterAll(() => sink.restore());

const q = (params: Record<string, string | string[]>) =>
  Object.entries(params)
    .flatMap(([k, v]) => (Array.isArray(v) ? v : [v]).map((x) => `${encodeURIComponent(k)}=${encodeURIComponent(x)}`))
    .join("&");

function hit(search: string, headers: Record<string, string>, opts: { key?: string; method?: string; cf?: Record<string, unknown> } = {}) {
  return web(`/v1/${opts.key ?? WEB_KEY}/Pixel?${search}`, { method: opts.method ?? "GET", headers, ...(opts.cf ? { cf: opts.cf } : {}) });
}

/** Outbound batches at the sink whose first event has this name (event name or screen name). */
const delivered = (name: string) =>
  sink.received.map((r) => r.json()).filter((b) => b.events?.some((e: any) => e.data.event_name === name || e.data.screen_name === name));

async function deliveredOnce(name: string): Promise<any> {
  return eventually(() => {
    const got = delivered(name);
    expect(got).toHaveLength(1);
    return got[0];
  });
}

async function expectGif(res: Response) {
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toBe("image/gif");
  expect(res.headers.get("cache-control")).toBe("no-store");
  const body = new Uint8Array(await res.arrayBuffer());
  expect(body.byteLength).toBe(43);
  expect([...body]).toEqual([...PIXEL_GIF]);
}

/** Names of hits that must never reach the sink; checked once, after one settle, at the end. */
const neverDelivered: string[] = [];

describe("Pixel Service", () => {
  it("turns an <img> hit into a custom event batch at the sink (identity, profile, consent, GPC, IP, UA), answered with the 1×1 GIF", async () => {
    const name = `Email Opened ${crypto.randomUUID()}`;
    const cust = `px-${crypto.randomUUID()}`;
    const ct = Date.now() - 60_000;
    const consent = { gdpr: { marketing: { consented: true, document: "v3", timestamp_unixtime_ms: ct, location: "email" } } };
    const search = q({
      dt: "AppEvent",
      n: name,
      et: "Navigation",
      ct: String(ct),
      dbg: "true",
      attrs_k: "campaign,variant",
      attrs_v: "spring,B",
      ua_k: "plan,Favorite Color",
      ua_v: "gold,teal",
      ui_t: "email,customerid",
      ui_v: `${cust}@example.com,${cust}`,
      flags_k: "Google.Category",
      flags_v: "email",
      lc: "40.7128,-74.006",
      av: "3.2.1",
      amp_id: `amp-${cust}`,
      consent_state: JSON.stringify(consent),
    }).replace(/%2C/g, ","); // the comma-joined form, as AMP sends it
    const res = await hit(search, { ...IMG, "User-Agent": UA, "CF-Connecting-IP": "203.0.113.7", "Sec-GPC": "1" }, { key: PRIVACY_KEY });
    await expectGif(res);

    const b = await deliveredOnce(name);
    expect(b.source_info).toEqual({ channel: "pixel" });
    expect(b.environment).toBe("development");
    expect(b.mpid).toMatch(/^-?\d+$/);
    expect(b.ip).toBe("203.0.113.7");
    expect(b.device_info).toMatchObject({ platform: "web", amp_id: `amp-${cust}`, http_header_user_agent: UA });
    expect(b.application_info).toEqual({ application_version: "3.2.1" });
    // The hit's consent is on the profile, and Sec-GPC: 1 recorded the CCPA opt-out the workspace maps it to.
    expect(b.consent_state).toMatchObject({ ...consent, ccpa: { data_sale_opt_out: { consented: true, document: "global_privacy_control" } } });
    expect(b.user_attributes).toMatchObject({ plan: "gold", "Favorite Color": "teal" });
    const ids = Object.fromEntries(b.user_identities.map((i: any) => [i.identity_type, i.identity]));
    expect(ids).toMatchObject({ email: `${cust}@example.com`, customer_id: cust });
    expect(b.device_identities).toContainEqual({ type: "amp_id", value: `amp-${cust}` });
    expect(b.events).toHaveLength(1);
    expect(b.events[0].event_type).toBe("custom_event");
    expect(b.events[0].data).toMatchObject({
      event_name: name,
      custom_event_type: "navigation",
      timestamp_unixtime_ms: ct,
      custom_attributes: { campaign: "spring", variant: "B" },
      custom_flags: { "Google.Category": "email" },
      location: { latitude: 40.7128, longitude: -74.006 },
    });

    // A fetch hit of the same customer resolves to the same user and adds to the profile.
    const page = `Landing ${crypto.randomUUID()}`;
    const res2 = await hit(q({ dt: "ScreenView", n: page, ui_t: "customerid", ui_v: cust, ua_k: "step", ua_v: "2", dbg: "true" }), FETCH, { key: PRIVACY_KEY });
    expect(res2.status).toBe(202);
    const b2 = await deliveredOnce(page);
    expect(b2.mpid).toBe(b.mpid);
    expect(b2.user_attributes).toMatchObject({ plan: "gold", "Favorite Color": "teal", step: "2" });
  });

  it("turns a fetch hit into a page view batch and answers 202 {} in JSON", async () => {
    const name = `Pricing ${crypto.randomUUID()}`;
    const res = await hit(
      q({ dt: "ScreenView", n: name, hn: "https://shop.example/pricing?x=1", ttl: "Pricing & plans", path: "/pricing", attrs_k: '["tier"]', attrs_v: '["pro"]', dbg: "false", et: "Unknown" }),
      { ...FETCH, Origin: "https://shop.example", "User-Agent": UA },
      { cf: { country: "FR", city: "Paris", regionCode: "IDF", latitude: "48.8566", longitude: "2.3522" } },
    );
    expect(res.status).toBe(202);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(await res.json()).toEqual({});

    const b = await deliveredOnce(name);
    expect(b.source_info).toEqual({ channel: "pixel" });
    expect(b.environment).toBe("production");
    expect(b.events).toHaveLength(1);
    expect(b.events[0].event_type).toBe("screen_view");
    expect(b.events[0].data).toMatchObject({ screen_name: name, custom_attributes: { hostname: "https://shop.example/pricing?x=1", title: "Pricing & plans", path: "/pricing", tier: "pro" } });
    expect(b.device_info.http_header_user_agent).toBe(UA);
    // No lc on the hit: the edge geolocation becomes the batch location.
    expect(b.context.location).toMatchObject({ latitude: 48.8566, longitude: 2.3522, country_code: "FR", city_name: "Paris" });
  });

  it("answers email image proxies (Accept */* or none, no Sec-Fetch-*) with the GIF, and records their hits", async () => {
    const proxies: Record<string, string>[] = [
      { Accept: "*/*", "User-Agent": "Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)" },
      {},
      { Accept: "image/*" },
    ];
    const names = proxies.map(() => `Email opened ${crypto.randomUUID()}`);
    for (const [i, headers] of proxies.entries()) await expectGif(await hit(q({ dt: "AppEvent", n: names[i]!, ui_t: "email", ui_v: `proxy-${i}@example.com` }), headers));
    for (const n of names) expect((await deliveredOnce(n)).source_info).toEqual({ channel: "pixel" });
  });

  it("answers JSON to requests that read it: an Accept naming JSON, or Sec-Fetch-Dest: empty", async () => {
    const asking: Record<string, string>[] = [{ Accept: "application/json" }, { Accept: "*/*", "Sec-Fetch-Dest": "empty" }, { Accept: "application/json, text/plain, */*" }];
    for (const headers of asking) {
      const res = await hit(q({ dt: "AppEvent", n: `Json ${crypto.randomUUID()}` }), headers);
      expect(res.status, JSON.stringify(headers)).toBe(202);
      expect(res.headers.get("content-type")).toMatch(/^application\/json/);
      expect(await res.json()).toEqual({});
    }
    const bad = await hit(q({ dt: "AppEvent" }), { Accept: "application/json" });
    expect(bad.status).toBe(400);
    // An image tag's request and a bare request with a bad hit still get the GIF.
    await expectGif(await hit(q({ dt: "AppEvent" }), { Accept: "*/*" }));
  });

  it("reads every list encoding (repeated, comma-joined, JSON array) into the same batch", async () => {
    const names = ["repeated", "comma", "json"].map((f) => `Encoding ${f} ${crypto.randomUUID()}`);
    const forms = [
      (n: string) => q({ dt: "AppEvent", n, attrs_k: ["a", "b"], attrs_v: ["1", "x,y"], ui_t: ["other"], ui_v: [`o-${n}`] }),
      (n: string) => `${q({ dt: "AppEvent", n, ui_t: "other", ui_v: `o-${n}` })}&attrs_k=a,b&attrs_v=1,x%2Cy`,
      (n: string) => q({ dt: "AppEvent", n, attrs_k: '["a","b"]', attrs_v: '["1","x,y"]', ui_t: "[0]", ui_v: JSON.stringify([`o-${n}`]) }),
    ];
    const answers = await Promise.all(names.map((n, i) => hit(forms[i]!(n), FETCH)));
    expect(answers.map((r) => r.status)).toEqual([202, 202, 202]);
    for (const n of names) {
      const b = await deliveredOnce(n);
      expect(b.events[0].data.custom_attributes).toEqual({ a: "1", b: "x,y" });
      expect(b.user_identities).toContainEqual(expect.objectContaining({ identity_type: "other", identity: `o-${n}` }));
    }
  });

  it.each<[string, Record<string, string | string[]>, RegExp]>([
    ["missing n", { dt: "AppEvent" }, /"n" \(the event or page name\) is required/],
    ["unknown dt", { dt: "Purchase", n: "x" }, /"dt" must be AppEvent or ScreenView/],
    ["unequal list lengths", { dt: "AppEvent", n: "x", attrs_k: ["a", "b"], attrs_v: "1" }, /"attrs_k" and "attrs_v" must have the same number of entries \(2 and 1\)/],
    ["a bad ct", { dt: "AppEvent", n: "x", ct: "soon" }, /"ct" must be a Unix time in milliseconds/],
    ["bad JSON in consent_state", { dt: "AppEvent", n: "x", consent_state: "{gdpr:" }, /"consent_state" must be a JSON object/],
    ["a bad lc", { dt: "AppEvent", n: "x", lc: "200,10" }, /"lc" must be "latitude,longitude"/],
  ])("answers a fetch hit with %s 400 JSON naming the problem, and queues nothing", async (_case, params, message) => {
    const marker = `Bad ${crypto.randomUUID()}`;
    const res = await hit(q({ ...params, ...(params.n ? { n: marker } : {}) }), FETCH);
    expect(res.status).toBe(400);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const body = (await res.json()) as { errors: { code: string; message: string }[] };
    expect(body.errors[0]!.code).toBe("BAD_REQUEST");
    expect(body.errors[0]!.message).toMatch(message);
    if (params.n) neverDelivered.push(marker);
  });

  it("answers malformed image hits with the GIF, drops them and counts them in drop_counters", async () => {
    const before = (await drops(WEB_INPUT)).pixel_bad_parameter ?? 0;
    const marker = `Dropped ${crypto.randomUUID()}`;
    const bad = [
      q({ dt: "AppEvent" }),
      q({ dt: "Purchase", n: marker }),
      `${q({ dt: "AppEvent", n: marker })}&ua_k=a,b&ua_v=1`,
      q({ dt: "AppEvent", n: marker, ct: "1700000000" }),
      q({ dt: "AppEvent", n: marker, consent_state: "[" }),
      q({ dt: "AppEvent", n: marker, lc: "north" }),
      q({ dt: "AppEvent", n: marker, ui_t: "passport", ui_v: "x" }),
    ];
    for (const s of bad) await expectGif(await hit(s, IMG));
    expect((await drops(WEB_INPUT)).pixel_bad_parameter).toBe(before + bad.length);
    neverDelivered.push(marker);
  });

  it("refuses unknown, disabled and server keys: 401/403 JSON for fetch, the GIF for images (counted only against an existing input)", async () => {
    const name = `Refused ${crypto.randomUUID()}`;
    const search = q({ dt: "AppEvent", n: name });
    const unknown = await hit(search, FETCH, { key: "no-such-key" });
    expect(unknown.status).toBe(401);
    expect(unknown.headers.get("www-authenticate")).toBeNull();
    expect(((await unknown.json()) as any).errors[0].code).toBe("UNAUTHORIZED");
    const server = await hit(search, FETCH, { key: "demo-server-key" });
    expect(server.status).toBe(403);
    expect(((await server.json()) as any).errors[0].message).toMatch(/server input/);
    expect((await hit(search, FETCH, { key: "pixel-disabled-key" })).status).toBe(403);

    const serverBefore = (await drops(SERVER_INPUT)).pixel_input_refused ?? 0;
    const disabledBefore = (await drops(DISABLED_INPUT)).pixel_input_refused ?? 0;
    await expectGif(await hit(search, IMG, { key: "no-such-key" }));
    const orphans = await env.DB.prepare("SELECT COUNT(*) AS n FROM drop_counters WHERE input_id NOT IN (SELECT id FROM inputs)").first<{ n: number }>();
    expect(orphans!.n).toBe(0);
    await expectGif(await hit(search, IMG, { key: "demo-server-key" }));
    await expectGif(await hit(search, IMG, { key: "pixel-disabled-key" }));
    expect((await drops(SERVER_INPUT)).pixel_input_refused).toBe(serverBefore + 1);
    expect((await drops(DISABLED_INPUT)).pixel_input_refused).toBe(disabledBefore + 1);
    neverDelivered.push(name);
  });

  it("never answers 500 to garbage, for fetch or image requests", async () => {
    const garbage = [
      "",
      "%",
      "%%%&&==",
      "dt=AppEvent&n=%E0%A4%A",
      "dt=AppEvent&n=x&%ZZ=1",
      "dt=AppEvent&n=x&attrs_k=[&attrs_v=]",
      "dt=AppEvent&n=x&ui_t=[null]&ui_v=[{}]",
      "dt=AppEvent&n=x&mpid=99999999999999999999",
      "dt=AppEvent&n=x&ct=99999999999999999999",
      "dt=AppEvent&n=x&consent_state=%7B%22gdpr%22%3A%7B%22a%22%3A1%7D%7D",
      "dt=AppEvent&n=x&ua_k=__proto__&ua_v=%5B%5B1%5D%5D",
      `dt=AppEvent&n=${"x".repeat(5000)}&attrs_k=${"k,".repeat(300)}k&attrs_v=${"v,".repeat(300)}v`,
      Array.from({ length: 60 }, () => String.fromCharCode(33 + Math.floor(Math.random() * 94))).join("").replace(/#/g, ""),
    ];
    const statuses: number[] = [];
    for (const s of garbage) {
      for (const h of [FETCH, IMG]) {
        const res = await hit(s, h);
        statuses.push(res.status);
        await res.arrayBuffer();
        if (h === IMG) expect(res.headers.get("content-type")).toBe("image/gif");
      }
    }
    const odd = await web("/v1/%ZZ%/Pixel?dt=AppEvent&n=x", { headers: FETCH });
    statuses.push(odd.status);
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    expect(statuses.every((s) => [200, 202, 400, 401].includes(s))).toBe(true);
  });

  it("answers HEAD without recording a hit", async () => {
    const name = `Head ${crypto.randomUUID()}`;
    const res = await hit(q({ dt: "AppEvent", n: name }), IMG, { method: "HEAD" });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/gif");
    neverDelivered.push(name);
  });

  it("answers a rate-limited fetch hit 429 with Retry-After and drops a rate-limited image hit with the GIF, counted", async () => {
    const spy = vi.spyOn(env.INPUT_RATE_LIMITER, "limit").mockResolvedValue({ success: false });
    try {
      const name = `Limited ${crypto.randomUUID()}`;
      const before = (await drops(WEB_INPUT)).pixel_rate_limited ?? 0;
      const res = await hit(q({ dt: "AppEvent", n: name }), FETCH);
      expect(res.status).toBe(429);
      expect(res.headers.get("retry-after")).toBe("10");
      await expectGif(await hit(q({ dt: "AppEvent", n: name }), IMG));
      expect((await drops(WEB_INPUT)).pixel_rate_limited).toBe(before + 1);
      neverDelivered.push(name);
    } finally {
      spy.mockRestore();
    }
  });

  it("answers 503 with Retry-After when the queue hand-off fails, and counts the image hit it could not keep", async () => {
    const spy = vi.spyOn(env.INGEST, "send").mockRejectedValue(new Error("queue down"));
    try {
      const name = `Outage ${crypto.randomUUID()}`;
      const before = (await drops(WEB_INPUT)).pixel_handoff_failed ?? 0;
      const res = await hit(q({ dt: "AppEvent", n: name }), FETCH);
      expect(res.status).toBe(503);
      expect(res.headers.get("retry-after")).toBeTruthy();
      await expectGif(await hit(q({ dt: "AppEvent", n: name }), IMG));
      expect((await drops(WEB_INPUT)).pixel_handoff_failed).toBe(before + 1);
      neverDelivered.push(name);
    } finally {
      spy.mockRestore();
    }
  });

  it("answers the CORS preflight of the pixel route", async () => {
    const res = await web(`/v1/${WEB_KEY}/Pixel`, { method: "OPTIONS", headers: { Origin: "https://shop.example", "Access-Control-Request-Method": "GET" } });
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(res.headers.get("access-control-allow-methods")).toMatch(/GET/);
  });

  it("is described in /openapi.json with its query parameters", async () => {
    const doc = (await (await web("/openapi.json")).json()) as any;
    const op = doc.paths["/v1/{apiKey}/Pixel"].get;
    expect(op["x-undocumented"]).toBeUndefined();
    expect(op.parameters.map((p: any) => p.name)).toEqual(expect.arrayContaining(["apiKey", "dt", "n", "et", "ct", "dbg", "attrs_k", "attrs_v", "ua_k", "ua_v", "ui_t", "ui_v", "flags_k", "flags_v", "lc", "av", "amp_id", "consent_state"]));
    expect(op.description).toMatch(/image\/gif/);
  });

  it("delivered none of the refused, malformed, limited or HEAD hits", async () => {
    expect(neverDelivered.length).toBeGreaterThan(5);
    await settle(1_500);
    for (const name of neverDelivered) expect(delivered(name)).toEqual([]);
  });
});
