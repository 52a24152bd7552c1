/** Mixpanel transform (pure): events to /track (≤ 5 days old) or /import, People updates to /engage. */
import type { OutboundBatch, OutboundEvent } from "../../pipeline/outbound";
import { chunkJsonArray, type SerializedItem } from "../runtime/batching";
import { commerceTotal, expandCommerce, expandedAttributes, expandedEventName, productAction } from "../runtime/commerce";
import { convertBooleans, eventAttributes, eventTimeMs, identityOf, ipOf, platformOf, userAgentOf } from "../runtime/mapping";
import type { Drop, PartnerRequest, RequestItem, TransformInput, TransformResult } from "../runtime/types";
import { parseUserAgent } from "../runtime/user-agent";
import { peopleSet, transactionTime } from "./people";
import { HOSTS, MAX_EVENTS_PER_REQUEST, MAX_REQUEST_BYTES, MAX_UPDATES_PER_REQUEST, type MixpanelConfig, TRACK_MAX_AGE_MS } from "./settings";

type Tracked = { name: string; props: Record<string, unknown> };

/** Mixpanel events for one mParticle event, by event type (a new type is one entry). */
const HANDLERS: Record<string, (ev: OutboundEvent) => Tracked[]> = {
  custom_event: (ev) => [{ name: String(ev.data.event_name), props: eventAttributes(ev) }],
  screen_view: (ev) => [{ name: `Viewed ${ev.data.screen_name}`, props: eventAttributes(ev) }],
  commerce_event: (ev) => expandCommerce(ev.data).map((x) => ({ name: expandedEventName(x), props: expandedAttributes(x, ev.data) })),
};

/** Browser and OS properties of web batches (from `http_header_user_agent`). */
function webProperties(batch: OutboundBatch): Record<string, unknown> {
  if (platformOf(batch) !== "web") return {};
  const ua = parseUserAgent(userAgentOf(batch));
  const out: Record<string, unknown> = {};
  if (ua.browser) out.$browser = ua.browser;
  if (ua.browserVersion) out.$browser_version = ua.browserVersion;
  if (ua.os) out.$os = ua.os;
  return out;
}

const item = (json: unknown, meta: RequestItem): SerializedItem<RequestItem> => ({ json: JSON.stringify(json), meta });

function requests(items: SerializedItem<RequestItem>[], url: string, headers: Record<string, string>, max: number): PartnerRequest[] {
  return chunkJsonArray(items, max, MAX_REQUEST_BYTES).map(({ body, metas }) => ({
    method: "POST",
    url,
    headers,
    body,
    jobs: [...new Set(metas.map((m) => m.job))],
    items: metas,
  }));
}

/** Builds the Mixpanel requests for a group of outbound batches. */
export function transformMixpanel({ batches, config, now = Date.now() }: TransformInput<MixpanelConfig, unknown>): TransformResult {
  const track: SerializedItem<RequestItem>[] = [];
  const imported: SerializedItem<RequestItem>[] = [];
  const engage: SerializedItem<RequestItem>[] = [];
  const dropped: Drop[] = [];
  batches.forEach((batch, job) => {
    const distinctId = identityOf(batch, config.externalIdentityType);
    if (!distinctId) {
      dropped.push({ job, reason: `no ${config.externalIdentityType} identity for distinct_id` });
      return;
    }
    const ip = ipOf(batch) ?? "0";
    const web = webProperties(batch);
    batch.events.forEach((ev, e) => {
      const tracked = HANDLERS[ev.event_type]?.(ev);
      if (!tracked?.length) return;
      const time = eventTimeMs(ev);
      const old = now - time > TRACK_MAX_AGE_MS;
      if (old && !config.apiSecret) {
        dropped.push({ job, event: e, reason: "event older than 5 days and no API secret for /import" });
        return;
      }
      tracked.forEach((t, k) => {
        const $insert_id = tracked.length > 1 ? `${ev.data.event_id}-${k}` : String(ev.data.event_id);
        const properties = { ...web, ...convertBooleans(t.props), token: config.token, distinct_id: distinctId, time, $insert_id, ip };
        (old ? imported : track).push(item({ event: t.name, properties }, { job, event: e }));
      });
      const action = ev.event_type === "commerce_event" ? productAction(ev.data)?.action : undefined;
      if (config.useMixpanelPeople && (action === "purchase" || action === "refund")) {
        const amount = commerceTotal(ev.data) ?? 0;
        const $transactions = { ...convertBooleans(eventAttributes(ev)), $time: transactionTime(time), $amount: action === "refund" ? -amount : amount };
        engage.push(item({ $token: config.token, $distinct_id: distinctId, $ip: ip, $time: time, $append: { $transactions } }, { job, event: e }));
      }
    });
    if (config.includeUserAttributes) {
      const $set = peopleSet(batch);
      if (Object.keys($set).length) engage.push(item({ $token: config.token, $distinct_id: distinctId, $ip: ip, $time: batch.timestamp_unixtime_ms, $set }, { job }));
    }
  });
  const host = HOSTS[config.server];
  const json = { "Content-Type": "application/json", Accept: "application/json" };
  return {
    requests: [
      ...requests(track, `${host}/track?verbose=1`, json, MAX_EVENTS_PER_REQUEST),
      ...requests(imported, `${host}/import?strict=1`, { ...json, Authorization: `Basic ${btoa(`${config.apiSecret ?? ""}:`)}` }, MAX_EVENTS_PER_REQUEST),
      ...requests(engage, `${host}/engage?verbose=1`, json, MAX_UPDATES_PER_REQUEST),
    ],
    dropped,
  };
}
