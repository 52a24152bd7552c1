/**
 * The front door: `GET /` (what is running, with links; JSON for `Accept: application/json`) and `GET /reference` (the
 * API reference: Swagger UI over /openapi.json, its files served by this worker from /assets/, no CDN; static.ts).
 * Every page carries a strict Content-Security-Policy: nothing but this origin.
 */
import { Hono } from "hono";
import type { AppEnv } from "../env";
import { VERSION } from "../lib/version";
import { bodyLimit } from "../middleware/limits";

/** The pages take no body; anything larger answers 413. */
export const HOME_MAX_BODY_BYTES = 1024;

/** GET / and the example: own scripts and styles only, no inline code, no framing, no other origin. */
export const PAGE_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
/** /reference: as PAGE_CSP, but Swagger UI sets style attributes (React `style`), so inline styles are allowed. */
export const REFERENCE_CSP = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; form-action 'none'; base-uri 'none'; frame-ancestors 'none'";

export const SECURITY_HEADERS = { "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer", "Cache-Control": "no-store" };

/** The API surfaces this worker serves (base paths as mParticle's clients use them). */
export const SURFACES = [
  { name: "Events API", path: "/v2/events", docs: "docs/events-api.md" },
  { name: "Identity API (IDSync)", path: "/v1/identify", docs: "docs/identity.md" },
  { name: "Web SDK routes", path: "/v3/JS/{key}/events", docs: "docs/web-sdk.md" },
  { name: "Pixel Service", path: "/v1/{key}/Pixel", docs: "docs/pixel.md" },
  { name: "Profile API", path: "/userprofile/v1", docs: "docs/profiles.md" },
  { name: "Platform API", path: "/v1", docs: "docs/platform-api.md" },
  { name: "Data Planning API and data catalog", path: "/platform/v2", docs: "docs/data-plans.md" },
  { name: "DSR API (OpenDSR)", path: "/v3/requests", docs: "docs/dsr.md" },
] as const;

const esc = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

function status(env: Env) {
  const demo = env.DEMO_SEED === "true";
  return {
    service: "edge-cdp",
    version: VERSION,
    description: "Open-source customer data platform on Cloudflare's edge that speaks mParticle's wire protocols.",
    mode: demo ? "local development (demo seed on)" : "production",
    running: {
      apis: SURFACES,
      queues: ["ingest", "forward", "forward-dlq"],
      durable_objects: ["UserProfile", "IdentityIndex", "LiveStream"],
      crons: ["17 * * * * (retention)", "*/15 * * * * (DSR pass)"],
      ...(demo ? { demo_webhook_url: env.DEMO_WEBHOOK_URL || null } : {}),
    },
    links: { console: "/console", reference: "/reference", openapi: "/openapi.json", health: "/health", docs: "README.md and docs/ in the repository", ...(demo ? { web_sdk_example: "/examples/web/" } : {}) },
  };
}

function homePage(s: ReturnType<typeof status>): string {
  const rows = s.running.apis.map((a) => `<tr><td>${esc(a.name)}</td><td><code>${esc(a.path)}</code></td><td><code>${esc(a.docs)}</code></td></tr>`).join("");
  const demo = "demo_webhook_url" in s.running;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>edge-cdp ${esc(s.version)}</title><link rel="stylesheet" href="/assets/site.css"></head>
<body><main>
<h1>edge-cdp <small>${esc(s.version)}</small></h1>
<p>${esc(s.description)} Mode: <strong>${esc(s.mode)}</strong>.</p>
<p><a href="/console">Console</a> · <a href="/reference">API reference</a> · <a href="/openapi.json">/openapi.json</a> · <a href="/health">/health</a>${demo ? ' · <a href="/examples/web/">Web SDK example</a>' : ""}</p>
<h2>Running</h2>
<table><thead><tr><th>API</th><th>base path</th><th>docs (repository)</th></tr></thead><tbody>${rows}</tbody></table>
<p>Queues: ${s.running.queues.map((q) => `<code>${q}</code>`).join(", ")}. Durable Objects: ${s.running.durable_objects.map((d) => `<code>${d}</code>`).join(", ")}. Crons: ${s.running.crons.map((c) => `<code>${esc(c)}</code>`).join(", ")}.</p>
${demo ? `<p>Demo webhook output: <code>${esc(String(s.running.demo_webhook_url ?? "not set (demo connections inactive)"))}</code>.</p>` : ""}
<p>Documentation: <code>README.md</code> and <code>docs/</code> in the repository (<code>docs/architecture.md</code> for the design).</p>
</main></body></html>`;
}

const REFERENCE_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>edge-cdp API reference</title>
<link rel="stylesheet" href="/assets/swagger-ui/swagger-ui.css">
<script src="/assets/swagger-ui/swagger-ui-bundle.js"></script>
<script src="/assets/reference.js"></script></head>
<body><noscript>The reference needs JavaScript; the document itself is <a href="/openapi.json">/openapi.json</a>.</noscript><div id="reference"></div></body></html>`;

export const homeRoutes = new Hono<AppEnv>();

homeRoutes.get("/", bodyLimit({ maxBytes: HOME_MAX_BODY_BYTES }), (c) => {
  const s = status(c.env);
  const accept = c.req.header("Accept") ?? "";
  if (/application\/json/i.test(accept) && !/text\/html/i.test(accept)) return c.json(s, 200, { ...SECURITY_HEADERS, Vary: "Accept" });
  return c.html(homePage(s), 200, { ...SECURITY_HEADERS, "Content-Security-Policy": PAGE_CSP, Vary: "Accept" });
});

homeRoutes.get("/reference", bodyLimit({ maxBytes: HOME_MAX_BODY_BYTES }), (c) => c.html(REFERENCE_PAGE, 200, { ...SECURITY_HEADERS, "Content-Security-Policy": REFERENCE_CSP }));
