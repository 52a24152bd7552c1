/**
 * The console's page frame: navigation (built from the view list in views.ts, so a new view is one file and one
 * line there), the workspace picker, the user's role and sign-out. Pages are rendered on the server with
 * `hono/html` (every interpolation escaped); scripts and styles come from /assets/console/ (bundled, no CDN).
 */
import type { Context } from "hono";
import { html } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";
import type { ConsoleWorkspace } from "../../db/queries/console-scope";
import type { ConsoleEnv } from "../../middleware/console-auth";

/** Every console response: own scripts and styles only, WebSocket and fetch to this origin, no framing. */
export const CONSOLE_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

export type NavItem = { path: string; title: string };
export type ViewEnv = ConsoleEnv & { Variables: { nav: NavItem[]; workspace: ConsoleWorkspace; workspaces: ConsoleWorkspace[] } };
export type ViewContext = Context<ViewEnv>;
type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

/** A console link that keeps the selected workspace. */
export const href = (c: ViewContext, path: string) => `/console${path}${path.includes("?") ? "&" : "?"}ws=${c.get("workspace").id}`;

/** The CSRF field of forms that change state. */
export const csrfField = (c: ViewContext) => html`<input type="hidden" name="_csrf" value="${c.get("session").csrf}">`;

/** True for admins (who may replay, delete and edit). */
export const isAdmin = (c: ViewContext) => c.get("session").user.role === "admin";

/** A full console page. */
export function page(c: ViewContext, p: { title: string; active: string; body: Html; scripts?: string[] }) {
  const s = c.get("session");
  const ws = c.get("workspace");
  return c.html(html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${p.title} · edge-cdp console</title>
<link rel="stylesheet" href="/assets/console/console.css">
${(p.scripts ?? []).map((src) => html`<script src="${src}" defer></script>`)}
</head>
<body data-csrf="${s.csrf}" data-workspace="${ws.id}" data-role="${s.user.role}">
<header class="top">
  <strong>edge-cdp</strong>
  <form method="get" action="/console${p.active}" class="ws-pick">
    <label>Workspace <select name="ws" id="ws-pick">${c.get("workspaces").map((w) => html`<option value="${w.id}" ${w.id === ws.id ? "selected" : ""}>${w.name} (${w.id})</option>`)}</select></label>
    <button type="submit">Switch</button>
  </form>
  <span class="who">${s.user.email} · <span class="role">${s.user.role}</span></span>
  <form method="post" action="/console/logout"><input type="hidden" name="_csrf" value="${s.csrf}"><button type="submit" id="sign-out">Sign out</button></form>
</header>
<nav class="side">
  ${c.get("nav").map((n) => html`<a href="${href(c, n.path)}" class="${n.path === p.active ? "active" : ""}">${n.title}</a>`)}
  <a href="/reference">API reference</a>
</nav>
<main><h1>${p.title}</h1>${p.body}</main>
</body>
</html>`);
}

/** A standalone page without navigation (sign-in). */
export function barePage(c: Context, title: string, body: Html, status: 200 | 401 | 429 = 200) {
  return c.html(html`<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title} · edge-cdp console</title><link rel="stylesheet" href="/assets/console/console.css"></head>
<body class="bare"><main>${body}</main></body>
</html>`, status);
}

/** Formats ms since epoch as ISO time (UTC). */
export const when = (ms: number | null | undefined) => (ms ? new Date(ms).toISOString().replace("T", " ").slice(0, 19) : "");
