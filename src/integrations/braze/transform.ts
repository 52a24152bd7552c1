/** Braze transform (pure): /users/track with attributes, events and purchases, ≤ 75 of each per request. */
import { eventTimeMs, identityOf } from "../runtime/mapping";
import type { Drop, PartnerRequest, RequestItem, TransformInput, TransformResult } from "../runtime/types";
import { brazeAttributes } from "./attributes";
import { HANDLERS } from "./events";
import { type BrazeConfig, type BrazeConnection, INSTANCES, MAX_PER_ARRAY } from "./settings";

type Entry = { obj: Record<string, unknown>; item: RequestItem };
const GROUPS = ["attributes", "events", "purchases"] as const;

/** Builds the Braze requests for a group of outbound batches. */
export function transformBraze({ batches, config, connection }: TransformInput<BrazeConfig, BrazeConnection>): TransformResult {
  const lists: Record<(typeof GROUPS)[number], Entry[]> = { attributes: [], events: [], purchases: [] };
  const dropped: Drop[] = [];
  const app = config.appId ? { app_id: config.appId } : {};
  batches.forEach((batch, job) => {
    const externalId = identityOf(batch, config.externalIdentityType);
    let who: Record<string, unknown>;
    if (externalId) who = { external_id: externalId };
    else if (!connection.disableExternalIdConstraint) {
      dropped.push({ job, reason: `no ${config.externalIdentityType} identity for external_id` });
      return;
    } else {
      const email = identityOf(batch, "email");
      who = email ? { email } : { user_alias: { alias_name: batch.mpid, alias_label: "mparticle_id" } };
    }
    const attrs = brazeAttributes(batch, config, connection);
    if (Object.keys(attrs).length) {
      // Alias- or email-only users must be creatable, so they are not limited to existing users.
      lists.attributes.push({ obj: { ...who, ...attrs, ...(externalId ? {} : { _update_existing_only: false }) }, item: { job, group: "attributes" } });
    }
    batch.events.forEach((ev, e) => {
      const mapped = HANDLERS[ev.event_type]?.(ev, connection);
      if (!mapped) return;
      const time = new Date(eventTimeMs(ev)).toISOString();
      for (const m of mapped.events) lists.events.push({ obj: { ...who, ...app, name: m.name, time, properties: m.properties }, item: { job, event: e, group: "events" } });
      for (const p of mapped.purchases) lists.purchases.push({ obj: { ...who, ...app, ...p, time }, item: { job, event: e, group: "purchases" } });
    });
  });
  const n = Math.max(...GROUPS.map((g) => Math.ceil(lists[g].length / MAX_PER_ARRAY)));
  const requests: PartnerRequest[] = [];
  for (let i = 0; i < n; i++) {
    const body: Record<string, unknown[]> = {};
    const items: RequestItem[] = [];
    for (const g of GROUPS) {
      const part = lists[g].slice(i * MAX_PER_ARRAY, (i + 1) * MAX_PER_ARRAY);
      if (!part.length) continue;
      body[g] = part.map((x) => x.obj);
      items.push(...part.map((x) => x.item));
    }
    requests.push({
      method: "POST",
      url: `${INSTANCES[config.instance]}/users/track`,
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${config.apiKey}` },
      body: JSON.stringify(body),
      jobs: [...new Set(items.map((x) => x.job))].sort((a, b) => a - b),
      items,
    });
  }
  return { requests, dropped };
}
