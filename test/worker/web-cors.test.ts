import { env } from "cloudflare:workers";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { basic, batch } from "./helpers/requests";
import { platform, token } from "./helpers/platform";
import { installSink } from "./helpers/sink";
import { eventually, forCustomer, settle } from "./helpers/wait";
import { custOf, identifyBody, ORIGIN, postBatch, WEB_KEY, web, webBatch, webInput } from "./helpers/web";

const EVIL = "https://evil.example";
const RESTRICTED_ID = 9601;

function preflight(path: string, origin: string, requestHeaders?: string) {
  return web(path, {
    method: "OPTIONS",
    headers: { Origin: origin, "Access-Control-Request-Method": "POST", ...(requestHeaders ? { "Access-Control-Request-Headers": requestHeaders } : {}) },
  });
}

describe("CORS of the browser routes", () => {
  let key: string;
  let sink: ReturnType<typeof installSink>;
  beforeAll(async () => {
    sink = installSink();
    key = await webInput(RESTRICTED_ID, { allowedOrigins: [`${ORIGIN}/`, "https://Other.Example"] });
    await env.DB.prepare(`INSERT INTO connections (input_id, output_id, status_production, status_development) VALUES (?, 1, 'active', 'active')`).bind(RESTRICTED_ID).run();
  });
  afterAll(() => sink.restore());

  it("answers an identity preflight with 204, the echoed origin and headers, and no credentials", async () => {
    for (const path of ["/v1/identify", "/v1/login", "/v1/logout", "/v1/8923456789012345678/modify", "/identity/v1/identify", "/identity/v1/-42/modify"]) {
      const res = await preflight(path, EVIL, "content-type,x-mp-key");
      expect(res.status).toBe(204);
      expect(res.headers.get("access-control-allow-origin")).toBe(EVIL);
      expect(res.headers.get("access-control-allow-methods")).toBe("GET, POST, OPTIONS");
      expect(res.headers.get("access-control-allow-headers")).toBe("content-type,x-mp-key");
      expect(res.headers.get("vary")).toMatch(/Origin/);
      expect(res.headers.get("access-control-allow-credentials")).toBeNull();
    }
  });

  it("answers preflights of an input without a list with *, and defaults the allowed headers", async () => {
    for (const path of [`/v1/identity/${WEB_KEY}/Alias`, `/webevents/v1/identity/${WEB_KEY}/Alias`, `/v3/JS/${WEB_KEY}/events`, `/JS/v2/${WEB_KEY}/config`, `/v1/${WEB_KEY}/Pixel`]) {
      const res = await preflight(path, EVIL);
      expect(res.status).toBe(204);
      expect(res.headers.get("access-control-allow-origin")).toBe("*");
      expect(res.headers.get("access-control-allow-headers")).toBe("Content-Type, x-mp-key");
    }
  });

  it("enforces the input's allowedOrigins on preflights whose key is in the path", async () => {
    const ok = await preflight(`/webevents/v1/identity/${key}/Alias`, ORIGIN, "content-type");
    expect(ok.status).toBe(204);
    expect(ok.headers.get("access-control-allow-origin")).toBe(ORIGIN);
    expect(ok.headers.get("vary")).toMatch(/Origin/);
    const other = await preflight(`/v3/JS/${key}/events`, "https://other.example");
    expect(other.headers.get("access-control-allow-origin")).toBe("https://other.example");
    const bad = await preflight(`/v1/identity/${key}/Alias`, EVIL, "content-type");
    expect(bad.status).toBe(204);
    expect(bad.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("accepts a simple text/plain request from an allowed origin and echoes it", async () => {
    const b = webBatch();
    delete b.mpid;
    const res = await postBatch(`/v3/JS/${key}/events`, b, { Origin: ORIGIN });
    expect(res.status).toBe(202);
    expect(res.headers.get("access-control-allow-origin")).toBe(ORIGIN);
    expect(res.headers.get("vary")).toMatch(/Origin/);
    await eventually(() => expect(forCustomer(sink.received, custOf(b))).toHaveLength(1));
  });

  it("refuses a simple request from a disallowed origin with a 403 JSON the page can read (origin echoed), and ingests nothing", async () => {
    const b = webBatch();
    delete b.mpid;
    const res = await postBatch(`/v3/JS/${key}/events`, b, { Origin: EVIL });
    expect(res.status).toBe(403);
    // Readable by the SDK, which then drops the batch instead of re-sending it forever.
    expect(res.headers.get("access-control-allow-origin")).toBe(EVIL);
    expect(res.headers.get("vary")).toMatch(/Origin/);
    expect(((await res.json()) as any).errors[0]).toMatchObject({ code: "FORBIDDEN", message: `Origin ${EVIL} is not allowed for this input.` });
    const config = await web(`/tags/JS/v2/${key}/config`, { headers: { Origin: EVIL } });
    expect(config.status).toBe(403);
    expect(config.headers.get("access-control-allow-origin")).toBe(EVIL);
    await settle(1_000);
    expect(forCustomer(sink.received, custOf(b))).toHaveLength(0);
  });

  it("enforces the list on identity requests by their x-mp-key", async () => {
    const body = JSON.stringify(identifyBody({ email: `cors-${crypto.randomUUID()}@example.com` }));
    const call = (origin: string) => web("/v1/identify", { method: "POST", headers: { "Content-Type": "application/json", "x-mp-key": key, Origin: origin }, body });
    const ok = await call(ORIGIN);
    expect(ok.status).toBe(200);
    expect(ok.headers.get("access-control-allow-origin")).toBe(ORIGIN);
    const bad = await call(EVIL);
    expect(bad.status).toBe(403);
    expect(bad.headers.get("access-control-allow-origin")).toBe(EVIL);
    // The demo web input has no list: any origin, answered with *.
    const demo = await web("/identity/v1/identify", { method: "POST", headers: { "Content-Type": "application/json", "x-mp-key": WEB_KEY, Origin: EVIL }, body });
    expect(demo.status).toBe(200);
    expect(demo.headers.get("access-control-allow-origin")).toBe("*");
  });

  it("allows no origin when the stored allowedOrigins is malformed (fail closed), and logs it", async () => {
    const errors = vi.spyOn(console, "error");
    try {
      for (const [id, allowed] of [[9602, "https://shop.example"], [9603, { origin: ORIGIN }], [9604, [ORIGIN, 42]]] as const) {
        const k = await webInput(id, { allowedOrigins: allowed });
        const pre = await preflight(`/v3/JS/${k}/events`, ORIGIN);
        expect(pre.status).toBe(204);
        expect(pre.headers.get("access-control-allow-origin")).toBeNull();
        const res = await postBatch(`/v3/JS/${k}/events`, webBatch(), { Origin: ORIGIN });
        expect(res.status).toBe(403);
        expect(res.headers.get("access-control-allow-origin")).toBe(ORIGIN);
        // Without Origin (not a browser) CORS does not apply.
        expect((await web(`/JS/v2/${k}/config`)).status).toBe(200);
      }
      expect(errors.mock.calls.map((c) => String(c[0])).filter((l) => l.includes("allowedOrigins is malformed")).length).toBeGreaterThanOrEqual(3);
    } finally {
      errors.mockRestore();
    }
  });

  it("validates allowedOrigins written through the Platform API", async () => {
    const p = platform(await token());
    const app = (await p.post("/apps", { name: "Origins shop", platforms: [{ platform: "web" }] })).body.data[0];
    const put = (allowedOrigins: unknown) => p.put(`/apps/${app.id}/platforms/web`, { settings: { allowedOrigins } });
    for (const [value, message] of [
      ["https://shop.example", /allowedOrigins: Field "allowedOrigins" must be an array of origins/],
      [{ "https://shop.example": true }, /must be an array of origins/],
      [[], /must list at least one origin/],
      [["https://shop.example/checkout"], /allowedOrigins\.0: Each entry must be an origin/],
      [["shop.example"], /allowedOrigins\.0: Each entry must be an origin/],
      [[ORIGIN, 7], /allowedOrigins\.1/],
    ] as const) {
      const res = await put(value);
      expect(res.status, JSON.stringify(value)).toBe(400);
      expect(res.body.errors.map((e: { message: string }) => e.message).join("\n")).toMatch(message);
    }
    // The create route validates too.
    const other = (await p.post("/apps", { name: "Origins shop 2" })).body.data[0];
    expect((await p.post(`/apps/${other.id}/platforms`, { platform: "web", settings: { allowedOrigins: "*" } })).status).toBe(400);
    const ok = await put([`${ORIGIN}/`, "http://localhost:3000"]);
    expect(ok.status).toBe(200);
    const k = ok.body.data[0].access_keys[0].key;
    expect((await preflight(`/v3/JS/${k}/events`, "http://localhost:3000")).headers.get("access-control-allow-origin")).toBe("http://localhost:3000");
    expect((await preflight(`/v3/JS/${k}/events`, EVIL)).headers.get("access-control-allow-origin")).toBeNull();
    expect((await put(["*"])).status).toBe(200);
  });

  it("leaves requests without Origin (servers, curl) alone", async () => {
    const b = webBatch();
    delete b.mpid;
    const res = await postBatch(`/v3/JS/${key}/events`, b);
    expect(res.status).toBe(202);
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
    await eventually(() => expect(forCustomer(sink.received, custOf(b))).toHaveLength(1));
  });

  it("keeps CORS off the Events API", async () => {
    const b = batch();
    const res = await web("/v2/events", { method: "POST", headers: { Authorization: basic(), "Content-Type": "application/json", Origin: EVIL }, body: JSON.stringify(b) });
    expect(res.status).toBe(202);
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
    await eventually(() => expect(forCustomer(sink.received, b.user_identities.customerid)).toHaveLength(1));
    const pre = await preflight("/v2/events", EVIL);
    expect(pre.headers.get("access-control-allow-origin")).toBeNull();
  });
});
