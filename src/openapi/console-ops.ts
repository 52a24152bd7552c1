/** The web console's routes (src/routes/console): HTML pages and form posts behind the console session cookie. */
import { CONSOLE_MAX_BODY_BYTES } from "../routes/console";
import type { Operation } from "./operation";

const page = (method: Operation["method"], path: string, summary: string): Operation => ({
  method, path, tag: "Console", summary, auth: "none", raw: true, maxBodyBytes: CONSOLE_MAX_BODY_BYTES,
  description: "Console session cookie (sign in at /console/login); form posts carry the session's CSRF token (`_csrf` or X-CSRF-Token). docs/console.md",
});

export const consoleOperations: Operation[] = [
  page("get", "/console", "The console (redirects to Live Stream)"),
  page("get", "/console/login", "Sign-in page"),
  page("post", "/console/login", "Sign in (form: email, password); sets the session cookie"),
  page("post", "/console/logout", "Sign out (ends the session)"),
  page("get", "/console/live", "Live Stream"),
  page("get", "/console/live/socket", "Live Stream WebSocket (samples of the workspace's inbound and outbound data)"),
  page("get", "/console/activity", "User Activity: search by MPID or identity value"),
  page("post", "/console/activity/attributes", "Set a user attribute through a chosen input (admin)"),
  page("get", "/console/connections", "Connections with status"),
  page("get", "/console/connections/{id}", "A connection: hourly counts, dead letters, settings"),
  page("post", "/console/connections/{id}/dead-letters/{dl}/replay", "Replay a dead letter (admin)"),
  page("post", "/console/connections/{id}/dead-letters/{dl}/delete", "Delete a dead letter (admin)"),
  page("post", "/console/connections/{id}/resume", "Resume a faulted audience connection (admin)"),
  page("get", "/console/alerts", "System Alerts with what to do"),
];
