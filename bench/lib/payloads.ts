/**
 * Request bodies: a "typical batch" of 10 custom events with 3 identities (customer id, email, a device id
 * in device_info), 4 user attributes, a session, and a unique source_message_id per event.
 */
import { BENCH_DATA_PLAN, BENCH_PLAN_ID } from "./plan";

const SESSION = "6b1e7d3e-0000-4000-8000-000000000001";

export type BatchOpts = { user: number; seq: number; sentAt?: string; environment?: "production" | "development" };

export function batch(o: BatchOpts) {
  const now = Date.now();
  const events = [];
  for (let i = 0; i < 10; i++) {
    events.push({
      event_type: "custom_event",
      data: {
        event_name: i % 3 === 0 ? "Add to Wishlist" : i % 3 === 1 ? "Search" : "Video Watched",
        custom_event_type: i % 3 === 1 ? "search" : "other",
        source_message_id: `b${o.seq}-e${i}`,
        session_uuid: SESSION,
        timestamp_unixtime_ms: now,
        custom_attributes: {
          category: "shoes",
          query: `running shoes size ${(i % 5) + 38}`,
          position: String(i),
          ...(o.sentAt ? { bench_sent_ms: o.sentAt } : {}),
        },
      },
    });
  }
  return {
    environment: o.environment ?? "production",
    schema_version: 2,
    source_request_id: `req-${o.seq}`,
    user_identities: { customer_id: `cust-${o.user}`, email: `user${o.user}@example.com` },
    device_info: { platform: "iOS", ios_idfv: `6c7e4c2a-0000-4000-8000-${String(o.user).padStart(12, "0")}`, device_model: "iPhone15,2", os_version: "17.4" },
    application_info: { application_name: "Shop", application_version: "5.2.0" },
    user_attributes: { plan: o.user % 2 ? "premium" : "free", city: "Lisbon", visits: String(o.seq % 100), $gender: "F" },
    ...(BENCH_DATA_PLAN ? { context: { data_plan: { plan_id: BENCH_PLAN_ID } } } : {}),
    events,
  };
}

export const BASIC = `Basic ${btoa("demo-server-key:demo-server-secret")}`;

/** Identity API body (test/worker/helpers/identity.ts `req`). */
export function identify(known: Record<string, string | null>) {
  return {
    client_sdk: { platform: "web", sdk_vendor: "mparticle", sdk_version: "2.71.2" },
    environment: "development",
    request_id: crypto.randomUUID(),
    request_timestamp_ms: Date.now(),
    context: null,
    known_identities: known,
  };
}
