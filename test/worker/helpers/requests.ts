import { exports } from "cloudflare:workers";

export const SERVER_KEY = "demo-server-key";
export const SERVER_SECRET = "demo-server-secret";

export function basic(key = SERVER_KEY, secret = SERVER_SECRET): string {
  return `Basic ${btoa(`${key}:${secret}`)}`;
}

/** POSTs JSON (or a raw string) to the worker with the demo server credentials unless told otherwise. */
export function post(path: string, body: unknown, headers: Record<string, string> = { Authorization: basic() }): Promise<Response> {
  return exports.default.fetch(`http://edge-cdp.test${path}`, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

let n = 0;
/** A small valid batch with a unique customer id. */
export function batch(overrides: Record<string, unknown> = {}, events = 1): Record<string, any> {
  n++;
  return {
    environment: "production",
    user_identities: { customerid: `cust-${crypto.randomUUID()}`, email: `u${n}@example.com` },
    user_attributes: { plan: "premium" },
    events: Array.from({ length: events }, (_, i) => ({
      event_type: "custom_event",
      data: { event_name: `Event ${i}`, custom_event_type: "navigation", timestamp_unixtime_ms: Date.now(), source_message_id: crypto.randomUUID() },
    })),
    ...overrides,
  };
}
