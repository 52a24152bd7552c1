import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import pkg from "../../package.json";
import { PAGE_CSP, REFERENCE_CSP } from "../../src/routes/home";

const get = (path: string, headers: Record<string, string> = {}) => exports.default.fetch(`http://edge-cdp.test${path}`, { headers });

describe("GET /", () => {
  it("answers a small HTML page with the version, the running APIs and links to /reference, under a strict CSP", async () => {
    const res = await get("/");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    expect(res.headers.get("content-security-policy")).toBe(PAGE_CSP);
    expect(PAGE_CSP).toContain("default-src 'none'");
    expect(PAGE_CSP).not.toContain("unsafe");
    const html = await res.text();
    expect(html).toContain(pkg.version);
    expect(html).toContain('href="/reference"');
    expect(html).toContain("/v2/events");
    expect(html).toContain("docs/architecture.md");
    expect(html).not.toMatch(/<script|style=/);
  });

  it("answers JSON for Accept: application/json: version, APIs, queues, Durable Objects and links", async () => {
    const res = await get("/", { Accept: "application/json" });
    expect(res.status).toBe(200);
    const body = (await res.json()) as any;
    expect(body).toMatchObject({ service: "edge-cdp", version: pkg.version, links: { reference: "/reference", openapi: "/openapi.json" } });
    expect(body.running.queues).toEqual(["ingest", "forward", "forward-dlq"]);
    expect(body.running.durable_objects).toEqual(["UserProfile", "IdentityIndex", "LiveStream"]);
    expect(body.running.apis.map((a: any) => a.name)).toContain("Platform API");
  });
});

describe("GET /reference", () => {
  it("renders /openapi.json with Swagger UI served by this worker (no CDN), under a CSP that allows only this origin", async () => {
    const res = await get("/reference");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-security-policy")).toBe(REFERENCE_CSP);
    const html = await res.text();
    const srcs = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(srcs).toEqual(expect.arrayContaining(["/assets/swagger-ui/swagger-ui-bundle.js", "/assets/swagger-ui/swagger-ui.css", "/assets/reference.js"]));
    for (const s of srcs) expect(s.startsWith("/"), s).toBe(true);
    // The library and the init script come from this worker.
    for (const path of ["/assets/swagger-ui/swagger-ui-bundle.js", "/assets/reference.js"]) {
      const asset = await get(path);
      expect(asset.status, path).toBe(200);
      expect(asset.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
      expect(await asset.text()).toMatch(/SwaggerUIBundle/);
    }
  });
});

describe("/assets/*", () => {
  it("serves the bundled files with an ETag (304 on a match), and 404 JSON for anything else", async () => {
    const css = await get("/assets/swagger-ui/swagger-ui.css");
    expect(css.status).toBe(200);
    expect(css.headers.get("content-type")).toBe("text/css; charset=utf-8");
    const etag = css.headers.get("etag")!;
    expect(etag).toMatch(/^".+"$/);
    expect((await get("/assets/swagger-ui/swagger-ui.css", { "If-None-Match": etag })).status).toBe(304);
    expect((await get("/assets/site.css")).status).toBe(200);
    const missing = await get("/assets/nope.js");
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as any).errors[0].code).toBe("NOT_FOUND");
  });

  it("serves a file's whole bytes on every request (inflated once per isolate, a copy per response), and HEAD its length", async () => {
    const first = new Uint8Array(await (await get("/assets/swagger-ui/swagger-ui.css")).arrayBuffer());
    const again = new Uint8Array(await (await get("/assets/swagger-ui/swagger-ui.css")).arrayBuffer());
    expect(first.length).toBeGreaterThan(100_000);
    expect(again.length).toBe(first.length);
    expect(again).toEqual(first);
    expect(new TextDecoder().decode(first)).toContain(".swagger-ui");
    const head = await exports.default.fetch("http://edge-cdp.test/assets/swagger-ui/swagger-ui.css", { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.headers.get("content-length")).toBe(String(first.length));
  });
});

describe("/examples/*", () => {
  it("is not served unless the demo seed is on (production answers 404 JSON)", async () => {
    const res = await get("/examples/web/");
    expect(env.DEMO_SEED).not.toBe("true");
    expect(res.status).toBe(404);
    expect(((await res.json()) as any).errors[0].code).toBe("NOT_FOUND");
  });
});
