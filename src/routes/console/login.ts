/** Sign-in and sign-out of the console (POST /console/login, POST /console/logout). */
import { Hono } from "hono";
import { html } from "hono/html";
import { createDb } from "../../db";
import { createSession, deleteSession, findUserByEmail, normalizeEmail } from "../../db/queries/console-users";
import type { AppEnv } from "../../env";
import { PASSWORD_MAX_LENGTH, UNKNOWN_PASSWORD_HASH, verifyPassword } from "../../lib/password";
import { checkSameOrigin, clearSessionCookie, consoleSession, type ConsoleEnv, setSessionCookie } from "../../middleware/console-auth";
import { checkLoginAllowed, clearLoginFailures, recordLoginFailure } from "../../middleware/login-throttle";
import { barePage } from "./layout";

function form(message?: string) {
  return html`<h1>edge-cdp console</h1>
<form method="post" action="/console/login" class="login">
  ${message ? html`<p class="error" role="alert">${message}</p>` : ""}
  <label>Email <input type="email" name="email" autocomplete="username" required maxlength="254"></label>
  <label>Password <input type="password" name="password" autocomplete="current-password" required maxlength="${PASSWORD_MAX_LENGTH}"></label>
  <button type="submit" id="sign-in">Sign in</button>
</form>`;
}

export const loginRoutes = new Hono<AppEnv>();

loginRoutes.get("/login", (c) => barePage(c, "Sign in", form()));

loginRoutes.post("/login", async (c) => {
  // Login CSRF: a cross-site form must not sign the browser in to another account.
  checkSameOrigin(c);
  // A browser's form gets the page back; any other client (an API call, a script) a JSON error.
  const isForm = /^(application\/x-www-form-urlencoded|multipart\/form-data)/i.test(c.req.header("Content-Type") ?? "");
  const refuse = (message: string) => (isForm ? barePage(c, "Sign in", form(message), 401) : c.json({ errors: [{ code: "UNAUTHORIZED", message }] }, 401));
  const body = isForm ? await c.req.parseBody() : {};
  const email = typeof body.email === "string" ? normalizeEmail(body.email) : "";
  const password = typeof body.password === "string" ? body.password : "";
  if (!email || !password || email.length > 254 || password.length > PASSWORD_MAX_LENGTH) return refuse("Email and password are required (a form post with email and password).");
  await checkLoginAllowed(c.env, email, c.req.header("CF-Connecting-IP") ?? "local");
  const db = createDb(c.env.DB);
  const user = await findUserByEmail(db, email);
  // Unknown emails cost the same hashing as known ones.
  const ok = await verifyPassword(password, user?.passwordHash ?? UNKNOWN_PASSWORD_HASH);
  if (!user || !ok) {
    recordLoginFailure(email);
    return refuse("Wrong email or password.");
  }
  clearLoginFailures(email);
  const session = await createSession(db, user.id);
  setSessionCookie(c, session.token);
  return c.redirect("/console/live", 303);
});

export const logoutRoutes = new Hono<ConsoleEnv>();
logoutRoutes.post("/logout", consoleSession(), async (c) => {
  await deleteSession(createDb(c.env.DB), c.get("session").sessionId);
  clearSessionCookie(c);
  return c.redirect("/console/login", 303);
});
