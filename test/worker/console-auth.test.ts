import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { PBKDF2_ITERATIONS, verifyPassword } from "../../src/lib/password";
import { ADMIN, get, login, ORIGIN, postForm, signIn } from "./helpers/console";
import { platform, token } from "./helpers/platform";

const sessions = async () => (await env.DB.prepare("SELECT COUNT(*) AS n FROM console_sessions").first<{ n: number }>())!.n;

async function deadLetter(): Promise<string> {
  const id = crypto.randomUUID();
  const payload = JSON.stringify({ v: 1, type: "dead_letter", reason: "permanent", attempts: 1, job: { v: 1, type: "forward", connectionId: 1, outputId: 1, workspaceId: 1, inputId: 1, batch: { events: [] } } });
  await env.DB.prepare("INSERT INTO dead_letters (id, connection_id, input_id, output_id, workspace_id, reason, attempts, status_code, response, payload, created_at) VALUES (?, 1, 1, 1, 1, 'permanent', 1, 400, 'HTTP 400', ?, ?)")
    .bind(id, payload, Date.now())
    .run();
  return id;
}
const exists = async (id: string) => (await env.DB.prepare("SELECT id FROM dead_letters WHERE id = ?").bind(id).first()) !== null;

async function viewer(email = `viewer-${crypto.randomUUID()}@example.com`) {
  const res = await platform(await token(), null).post("/users", { email, role: "viewer", password: "viewer-password" });
  expect(res.status).toBe(201);
  return signIn(email, "viewer-password");
}

describe("console sign-in", () => {
  it("stores the demo admin's password as PBKDF2-SHA256 at 100,000 iterations", async () => {
    const row = await env.DB.prepare("SELECT password_hash FROM console_users WHERE email = ?").bind(ADMIN.email).first<{ password_hash: string }>();
    expect(row!.password_hash).toMatch(new RegExp(`^pbkdf2-sha256\\$${PBKDF2_ITERATIONS}\\$[0-9a-f]{32}\\$[0-9a-f]{64}$`));
    expect(PBKDF2_ITERATIONS).toBe(100_000);
    expect(await verifyPassword(ADMIN.password, row!.password_hash)).toBe(true);
    expect(await verifyPassword("demo-passwordX", row!.password_hash)).toBe(false);
  });

  it("signs in with the demo credentials: an HttpOnly, Secure, SameSite=Strict __Host- cookie, then pages with a strict CSP", async () => {
    const res = await login(ADMIN.email, ADMIN.password);
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe("/console/live");
    const cookie = res.headers.get("Set-Cookie")!;
    expect(cookie).toMatch(/^__Host-edge_cdp_session=[^;]+; Max-Age=28800; Path=\/; HttpOnly; Secure; SameSite=Strict/);
    const page = await get("/console/live", cookie.split(";")[0]);
    expect(page.status).toBe(200);
    expect(page.headers.get("Content-Security-Policy")).toBe("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'");
    const html = await page.text();
    expect(html).toContain("Live Stream");
    expect(html).not.toMatch(/<script(?![^>]*src="\/assets\/)/);
    expect(html).not.toMatch(/https?:\/\//);
  });

  it("refuses a wrong password with 401, sets no cookie and stores no session", async () => {
    const before = await sessions();
    const res = await login(ADMIN.email, "wrong-password");
    expect(res.status).toBe(401);
    expect(res.headers.get("Set-Cookie")).toBeNull();
    expect(await res.text()).toContain("Wrong email or password.");
    expect((await login("nobody@example.com", "whatever-password")).status).toBe(401);
    expect(await sessions()).toBe(before);
  });

  it("locks an email out with 429 after 5 wrong passwords, even for the right one", async () => {
    const email = `locked-${crypto.randomUUID()}@example.com`;
    expect((await platform(await token(), null).post("/users", { email, role: "viewer", password: "right-password" })).status).toBe(201);
    for (let i = 0; i < 5; i++) expect((await login(email, `wrong-${i}-password`)).status).toBe(401);
    const locked = await login(email, "right-password");
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect(locked.headers.get("Set-Cookie")).toBeNull();
  });

  it("refuses a cross-site sign-in form (login CSRF) with 403", async () => {
    const res = await login(ADMIN.email, ADMIN.password, { Origin: "https://evil.example" });
    expect(res.status).toBe(403);
    expect(res.headers.get("Set-Cookie")).toBeNull();
  });

  it("redirects pages without a session, or with a forged or expired cookie, to the sign-in page; other requests get 401", async () => {
    expect((await get("/console/live")).headers.get("Location")).toBe("/console/login");
    const forged = await get("/console/connections", "__Host-edge_cdp_session=forged-token-value");
    expect(forged.status).toBe(303);
    expect(forged.headers.get("Location")).toBe("/console/login");
    expect((await get("/console/alerts", "__Host-edge_cdp_session=forged", { Accept: "application/json" })).status).toBe(401);
    const s = await signIn();
    await env.DB.prepare("UPDATE console_sessions SET expires_at = ? WHERE user_id = (SELECT id FROM console_users WHERE email = ?)").bind(Date.now() - 1, ADMIN.email).run();
    const expired = await get("/console/alerts", s.cookie);
    expect(expired.status).toBe(303);
    const id = await deadLetter();
    expect((await postForm(`/console/connections/1/dead-letters/${id}/delete`, s)).status).toBe(401);
    expect(await exists(id)).toBe(true);
  });

  it("signs out: the session row is gone and the old cookie no longer works", async () => {
    const s = await signIn();
    const out = await postForm("/console/logout", s);
    expect(out.status).toBe(303);
    expect(out.headers.get("Set-Cookie")).toContain("Max-Age=0");
    expect((await get("/console/alerts", s.cookie, { Accept: "application/json" })).status).toBe(401);
  });
});

describe("console CSRF and roles", () => {
  it("refuses a state change without the CSRF token, with a wrong one, or from another origin (403) and changes nothing", async () => {
    const s = await signIn();
    const id = await deadLetter();
    const path = `/console/connections/1/dead-letters/${id}/delete`;
    expect((await postForm(path, s, {}, { csrf: false })).status).toBe(403);
    expect((await postForm(path, s, {}, { csrf: "not-the-token" })).status).toBe(403);
    expect((await postForm(path, s, {}, { origin: "https://evil.example" })).status).toBe(403);
    expect(await exists(id)).toBe(true);
    const ok = await postForm(path, s);
    expect(ok.status).toBe(303);
    expect(await exists(id)).toBe(false);
  });

  it("answers 403 to a viewer calling an admin action, shows no replay button, and hides PII", async () => {
    const v = await viewer();
    const id = await deadLetter();
    expect((await postForm(`/console/connections/1/dead-letters/${id}/replay`, v)).status).toBe(403);
    expect((await postForm(`/console/connections/1/dead-letters/${id}/delete`, v)).status).toBe(403);
    expect((await postForm("/console/activity/attributes", v, { mpid: "1", input: "1", key: "plan", value: "x" })).status).toBe(403);
    expect(await exists(id)).toBe(true);
    const row = await env.DB.prepare("SELECT replayed_at FROM dead_letters WHERE id = ?").bind(id).first<{ replayed_at: number | null }>();
    expect(row!.replayed_at).toBeNull();
    const page = await (await get("/console/connections/1", v.cookie)).text();
    expect(page).toContain(id);
    expect(page).not.toContain('class="replay"');
  });

  it("refuses a Live Stream WebSocket without a session (401) or from another origin (403)", async () => {
    const upgrade = { Upgrade: "websocket", Connection: "Upgrade", "Sec-WebSocket-Version": "13", "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==" };
    expect((await get("/console/live/socket", undefined, upgrade)).status).toBe(401);
    expect((await get("/console/live/socket", "__Host-edge_cdp_session=forged", upgrade)).status).toBe(401);
    const s = await signIn();
    expect((await get("/console/live/socket", s.cookie, { ...upgrade, Origin: "https://evil.example" })).status).toBe(403);
    const res = await get("/console/live/socket", s.cookie, { ...upgrade, Origin: ORIGIN });
    expect(res.status).toBe(101);
    res.webSocket!.accept();
    res.webSocket!.close();
  });
});

describe("Platform API users", () => {
  it("creates, lists, reads, updates and deletes console users without ever returning a password", async () => {
    const api = platform(await token(), null);
    const email = `ops-${crypto.randomUUID()}@example.com`;
    const created = await api.post("/users", { email, role: "viewer", password: "first-password" });
    expect(created.status).toBe(201);
    expect(created.body.data[0]).toMatchObject({ email, role: "viewer", pii_access: false });
    expect(JSON.stringify(created.body)).not.toContain("password");
    expect((await api.post("/users", { email, role: "admin", password: "other-password" })).status).toBe(409);
    expect((await api.get("/users")).body.data.map((u: any) => u.email)).toEqual(expect.arrayContaining([ADMIN.email, email]));
    expect((await api.get(`/users/${encodeURIComponent(email)}`)).body.data[0].role).toBe("viewer");
    const s = await signIn(email, "first-password");
    const upd = await api.put(`/users/${encodeURIComponent(email)}`, { role: "admin", pii_access: true, password: "second-password" });
    expect(upd.body.data[0]).toMatchObject({ role: "admin", pii_access: true });
    // A role or password change ends the user's sessions.
    expect((await get("/console/alerts", s.cookie, { Accept: "application/json" })).status).toBe(401);
    expect((await login(email, "first-password")).status).toBe(401);
    const s2 = await signIn(email, "second-password");
    expect((await api.del(`/users/${encodeURIComponent(email)}`)).status).toBe(204);
    expect((await api.get(`/users/${encodeURIComponent(email)}`)).status).toBe(404);
    expect((await get("/console/alerts", s2.cookie, { Accept: "application/json" })).status).toBe(401);
  });

  it("refuses bad input with 400, an oversized body with 413, and no token with 401", async () => {
    const api = platform(await token(), null);
    expect((await api.post("/users", { email: "not-an-email", role: "viewer", password: "long-enough" })).status).toBe(400);
    expect((await api.post("/users", { email: "short@example.com", role: "viewer", password: "short" })).status).toBe(400);
    expect((await api.post("/users", { email: "role@example.com", role: "owner", password: "long-enough" })).status).toBe(400);
    expect((await api.post("/users", { email: "big@example.com", role: "viewer", password: "x".repeat(5000) })).status).toBe(413);
    expect((await platform("forged", null).get("/users")).status).toBe(401);
    expect((await api.get("/users/big@example.com")).status).toBe(404);
  });
});
