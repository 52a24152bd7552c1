/**
 * A partner sink inside workerd: intercepts fetches to PARTNER_API_ORIGIN (http://partner.test, set in
 * vitest.config.ts) made by the worker, records them, and answers as the test says.
 */
import { vi } from "vitest";

/** The demo webhook URL used by the test seed; PARTNER_API_ORIGIN redirects it to the sink. */
export const DEMO_WEBHOOK_URL = "https://hooks.example.com/edge-cdp-demo";
export const SINK_HOST = "partner.test";

export type Received = { url: string; method: string; headers: Record<string, string>; body: string; json: () => any; status?: number };
export type Responder = (req: Received, n: number) => Response | Promise<Response>;

/** Installs the sink; returns what it received and a way to change its answers. */
export function installSink(respond: Responder = () => new Response("ok")) {
  const received: Received[] = [];
  let responder = respond;
  const original = globalThis.fetch;
  const spy = vi.spyOn(globalThis, "fetch").mockImplementation(async (input: RequestInfo | URL, init?: RequestInit) => {
    const req = new Request(input, init);
    if (new URL(req.url).host !== SINK_HOST) return original(input, init);
    const body = await req.text();
    const headers: Record<string, string> = {};
    req.headers.forEach((v, k) => (headers[k] = v));
    const r: Received = { url: req.url, method: req.method, headers, body, json: () => JSON.parse(body) };
    received.push(r);
    const res = await responder(r, received.length);
    r.status = res.status;
    return res;
  });
  return {
    received,
    respond(fn: Responder) {
      responder = fn;
    },
    /** Requests the sink answered with 2xx. */
    accepted: () => received.filter((r) => r.status !== undefined && r.status >= 200 && r.status < 300),
    restore: () => spy.mockRestore(),
  };
}
