/** Facebook Conversions API transform (pure): one request per batch (Meta rejects a whole request for one bad event). */
import type { OutboundBatch } from "../../pipeline/outbound";
import { chunk } from "../runtime/batching";
import { consentOf, deviceInfo, eventTimeMs, platformOf, type Platform } from "../runtime/mapping";
import type { Drop, PartnerRequest, RequestItem, TransformInput, TransformResult } from "../runtime/types";
import { appData } from "./app-data";
import { HANDLERS } from "./events";
import { type FacebookConfig, type FacebookConnection, GRAPH_HOST, GRAPH_VERSION, MAX_EVENT_AGE_MS, MAX_EVENTS_PER_REQUEST } from "./settings";
import { userData } from "./user-data";

const APP_PLATFORMS = new Set<Platform>(["ios", "android", "tvos"]);

function actionSource(connection: FacebookConnection, platform: Platform): string {
  if (connection.actionSource !== "auto") return connection.actionSource;
  return platform === "web" ? "website" : APP_PLATFORMS.has(platform) ? "app" : "system_generated";
}

/** Why a whole batch cannot be sent, or undefined. */
function batchProblem(batch: OutboundBatch, platform: Platform, source: string, user: Record<string, unknown>): string | undefined {
  if (!Object.keys(user).length) return "no user data to match (email, phone, customer id, IP + user agent or advertising id)";
  if (source === "website" && !user.client_user_agent) return "website events need the user agent (device_info.http_header_user_agent)";
  if ((platform === "ios" || platform === "tvos") && !deviceInfo(batch).os_version) return "os_version is required for iOS / tvOS events";
  return undefined;
}

/** Builds the Conversions API requests for a group of outbound batches. */
export async function transformFacebook({ batches, config, connection, now = Date.now() }: TransformInput<FacebookConfig, FacebookConnection>): Promise<TransformResult> {
  const requests: PartnerRequest[] = [];
  const dropped: Drop[] = [];
  // The token goes in the body (accepted by the Graph API) so that it never sits in a URL.
  const url = `${GRAPH_HOST}/${GRAPH_VERSION}/${config.pixelId}/events`;
  for (let job = 0; job < batches.length; job++) {
    const batch = batches[job]!;
    const platform = platformOf(batch);
    if (platform === "web" && !connection.forwardWebRequestsServerSide) continue;
    const mapped = batch.events.map((ev, e) => ({ e, ev, out: HANDLERS[ev.event_type]?.(ev, platform) ?? [] })).filter((m) => m.out.length);
    if (!mapped.length) continue;
    const source = actionSource(connection, platform);
    const user = await userData(batch);
    const problem = batchProblem(batch, platform, source, user);
    if (problem) {
      dropped.push({ job, reason: problem });
      continue;
    }
    const app = source === "app" ? { app_data: appData(batch, platform) } : {};
    const ldu = consentOf(batch).ccpaOptOut ? { data_processing_options: ["LDU"], data_processing_options_country: 0, data_processing_options_state: 0 } : {};
    const events: { json: Record<string, unknown>; item: RequestItem }[] = [];
    for (const { e, ev, out } of mapped) {
      if (now - eventTimeMs(ev) > MAX_EVENT_AGE_MS) {
        dropped.push({ job, event: e, reason: "event older than 7 days (Meta rejects the whole request)" });
        continue;
      }
      const sourceId = typeof ev.data.source_message_id === "string" && ev.data.source_message_id ? ev.data.source_message_id : undefined;
      out.forEach((x, k) => {
        const pageUrl = typeof ev.data.page_url === "string" ? { event_source_url: ev.data.page_url } : {};
        const json = {
          event_name: x.event_name,
          event_time: Math.floor(eventTimeMs(ev) / 1000),
          event_id: (sourceId ?? String(ev.data.event_id)) + (out.length > 1 ? `-${k}` : ""),
          action_source: source,
          ...pageUrl,
          user_data: user,
          ...(x.custom_data && Object.keys(x.custom_data).length ? { custom_data: x.custom_data } : {}),
          ...app,
          ...ldu,
        };
        events.push({ json, item: { job, event: e } });
      });
    }
    for (const part of chunk(events, { maxItems: MAX_EVENTS_PER_REQUEST })) {
      const body = { data: part.map((p) => p.json), ...(config.testEventCode ? { test_event_code: config.testEventCode } : {}), access_token: config.accessToken };
      requests.push({ method: "POST", url, headers: { "Content-Type": "application/json" }, body: JSON.stringify(body), jobs: [job], items: part.map((p) => p.item) });
    }
  }
  return { requests, dropped };
}
