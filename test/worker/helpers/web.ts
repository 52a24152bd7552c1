/** Helpers of the Web SDK tests: calls as the browser SDK makes them, test web inputs, counters. */
import { env, exports } from "cloudflare:workers";
import { invalidateConfig } from "../../../src/db/config-cache";

export const WEB_KEY = "demo-web-key";
export const ORIGIN = "https://shop.example";

/** A request to the worker; `cf` sets the request's Cloudflare properties (geolocation). */
export function web(path: string, init: RequestInit & { cf?: Record<string, unknown> } = {}): Promise<Response> {
  return exports.default.fetch(`https://edge-cdp.test${path}`, init as RequestInit);
}

/** POST of one batch as the Web SDK sends it: JSON as text/plain, key only in the path. */
export function postBatch(path: string, body: unknown, headers: Record<string, string> = {}, cf?: Record<string, unknown>): Promise<Response> {
  return web(path, {
    method: "POST",
    headers: { "Content-Type": "text/plain;charset=UTF-8", Accept: "text/plain;charset=UTF-8", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
    ...(cf ? { cf } : {}),
  });
}

let seq = 0;
/** A Web SDK v3 batch (real-clients.md §2.6) with a unique customer id. */
export function webBatch(overrides: Record<string, unknown> = {}): Record<string, any> {
  seq++;
  const cust = `web-cust-${crypto.randomUUID()}`;
  const session = crypto.randomUUID().toUpperCase();
  const now = Date.now();
  const common = { timestamp_unixtime_ms: now, session_uuid: session, session_start_unixtime_ms: now - 10, custom_attributes: null, location: null, active_time_on_site_ms: 16 };
  return {
    source_request_id: crypto.randomUUID(),
    mpid: "8923456789012345678",
    timestamp_unixtime_ms: now,
    environment: "development",
    events: [
      { event_type: "session_start", data: { ...common, source_message_id: crypto.randomUUID() } },
      {
        event_type: "screen_view",
        data: { ...common, custom_flags: { "Google.Page": "/home" }, screen_name: "Home Page", custom_attributes: { page: "/index.html" }, source_message_id: crypto.randomUUID() },
      },
      {
        event_type: "custom_event",
        data: { ...common, custom_event_type: "navigation", event_name: `Video Watched ${seq}`, custom_attributes: { duration_s: 42, autoplay: true }, source_message_id: crypto.randomUUID() },
      },
      {
        event_type: "user_identity_change",
        data: {
          ...common,
          new: { identity_type: "customer_id", identity: cust, timestamp_unixtime_ms: now, created_this_batch: true },
          old: { identity_type: "customer_id", identity: null, timestamp_unixtime_ms: now, created_this_batch: false },
          source_message_id: crypto.randomUUID(),
        },
      },
      {
        event_type: "user_attribute_change",
        data: { ...common, user_attribute_name: "favorite_colors", new: ["red", "green"], old: null, deleted: false, is_new_attribute: true, source_message_id: crypto.randomUUID() },
      },
    ],
    mp_deviceid: crypto.randomUUID(),
    sdk_version: "2.68.0",
    application_info: { application_version: "1.2.3", application_name: "Web Test", package: null },
    device_info: { platform: "web", screen_width: 1280, screen_height: 720 },
    user_attributes: { favorite_colors: ["red", "green"], age: 42 },
    user_identities: { customer_id: cust, email: `${cust}@example.com` },
    consent_state: null,
    integration_attributes: {},
    context: { data_plan: { plan_id: "capture_plan", plan_version: 2 } },
    ...overrides,
  };
}

/** POST to the Identity API as the Web SDK does (x-mp-key only). */
export function identity(path: string, body: unknown, key = WEB_KEY, headers: Record<string, string> = {}): Promise<Response> {
  return web(path, { method: "POST", headers: { "Content-Type": "application/json", "x-mp-key": key, ...headers }, body: JSON.stringify(body) });
}

/** An identify request body with the given known identities (Identity API spelling `customerid`). */
export const identifyBody = (known: Record<string, string>) => ({
  client_sdk: { platform: "web", sdk_vendor: "mparticle", sdk_version: "2.68.0" },
  environment: "development",
  request_id: crypto.randomUUID(),
  request_timestamp_ms: Date.now(),
  context: null,
  known_identities: known,
});

/** A `webBatch` whose mpid is the one /v1/identify returns for its customer id and email, as in a real page. */
export async function identifiedBatch(overrides: Record<string, unknown> = {}): Promise<Record<string, any>> {
  const b = webBatch(overrides);
  const res = await identity("/v1/identify", identifyBody({ customerid: custOf(b), email: b.user_identities.email }));
  if (res.status !== 200) throw new Error(`identify: ${res.status} ${await res.text()}`);
  b.mpid = ((await res.json()) as { mpid: string }).mpid;
  return b;
}

/** The customer id of a `webBatch`. */
export const custOf = (b: Record<string, any>): string => b.user_identities.customer_id;

/** Creates (or replaces) a web input of workspace 1 with `settings`; returns its key. */
export async function webInput(id: number, settings: Record<string, unknown> = {}, platform = "web"): Promise<string> {
  const key = `test-web-${id}`;
  await env.DB.prepare(
    `INSERT INTO inputs (id, workspace_id, kind, platform, name, api_key, secret_hash, settings) VALUES (?, 1, 'platform', ?, ?, ?, 'x', ?)
     ON CONFLICT (id) DO UPDATE SET platform = excluded.platform, settings = excluded.settings, status = 'active'`,
  )
    .bind(id, platform, `Test web ${id}`, key, JSON.stringify(settings))
    .run();
  invalidateConfig();
  return key;
}

/**
 * The drop counters of an input, by reason, summed over every hour (a test that crosses an hour
 * boundary still sees all its drops).
 */
export async function drops(inputId: number): Promise<Record<string, number>> {
  const { results } = await env.DB.prepare(`SELECT reason, SUM(count) AS count FROM drop_counters WHERE input_id = ? GROUP BY reason`).bind(inputId).all<{ reason: string; count: number }>();
  return Object.fromEntries(results.map((r) => [r.reason, r.count]));
}
