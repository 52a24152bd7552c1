/** Shared by the console's browser test and `npm run screenshots`: a partner that can be made to fail, and the steps. */
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Page } from "playwright-core";
import { httpsRequest } from "../browser/support";

export type TogglePartner = { url: string; fail: boolean; received: unknown[]; close(): Promise<void> };

/** A webhook partner on 127.0.0.1: answers 400 while `fail`, else 200, recording what it accepted. */
export async function startTogglePartner(): Promise<TogglePartner> {
  const state: TogglePartner = { url: "", fail: false, received: [], close: async () => {} };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      if (state.fail) return res.writeHead(400, { "content-type": "application/json" }).end('{"error":"refused by the test partner"}');
      try {
        state.received.push(JSON.parse(Buffer.concat(chunks).toString("utf8")));
      } catch {
        state.received.push(null);
      }
      res.writeHead(200, { "content-type": "text/plain" }).end("ok");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  state.close = () => new Promise((r) => server.close(() => r()));
  return state;
}

/** Sends one batch through the Events API with the demo server input. */
export async function sendBatch(origin: string, batch: Record<string, unknown>): Promise<void> {
  const res = await httpsRequest(`${origin}/v2/events`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Basic ${Buffer.from("demo-server-key:demo-server-secret").toString("base64")}` },
    body: JSON.stringify(batch),
  });
  if (res.status !== 202) throw new Error(`events: ${res.status} ${res.text}`);
}

/** A batch of one custom event named `name` for a user with `email`. */
export function eventBatch(name: string, email: string, attributes: Record<string, unknown> = {}, environment = "development") {
  return {
    environment,
    user_identities: { email, customerid: `cust-${email}` },
    user_attributes: attributes,
    events: [{ event_type: "custom_event", data: { event_name: name, custom_event_type: "navigation", timestamp_unixtime_ms: Date.now(), source_message_id: crypto.randomUUID() } }],
  };
}

/** A Platform API token for the demo client. */
export async function platformToken(origin: string): Promise<string> {
  const res = await httpsRequest(`${origin}/oauth/token`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ client_id: "demo-client-id", client_secret: "demo-client-secret", grant_type: "client_credentials", audience: "https://api.mparticle.com" }),
  });
  return JSON.parse(res.text).access_token;
}

/** Signs in through the sign-in form. */
export async function signInPage(page: Page, origin: string, email: string, password: string): Promise<void> {
  await page.goto(`${origin}/console/login`);
  await page.fill('input[name="email"]', email);
  await page.fill('input[name="password"]', password);
  await Promise.all([page.waitForURL(/\/console\/live/), page.click("#sign-in")]);
}
