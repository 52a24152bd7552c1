/**
 * An edge-cdp rule Worker (docs/rules.md): a batch in, a batch or null out.
 * - Drops the batches of internal test users (an email at one of INTERNAL_DOMAINS): answers null.
 * - Enriches events from a lookup: a store id in an event's custom attributes adds the store's name and region.
 * Bind it to edge-cdp with a service binding named RULE_* (see wrangler.toml here and docs/rules.md), create a
 * rule with {"locator": {"type": "service_binding", "binding": "RULE_EXAMPLE", "interface": "rpc"}} (or without
 * "interface": then edge-cdp POSTs the batch to its fetch handler) and attach it.
 * Its log lines come back beside the batch ({"output", "logs"}): console output does not cross the binding.
 */
import { WorkerEntrypoint } from "cloudflare:workers";

/** The lookup: in a real rule, a KV namespace, D1 or a static asset. */
const STORES = {
  "S-001": { name: "Lisbon Baixa", region: "EU-South" },
  "S-002": { name: "Berlin Mitte", region: "EU-Central" },
  "S-003": { name: "Austin Downtown", region: "US-South" },
};

const DEFAULT_INTERNAL_DOMAINS = "internal.example,test.example";

/** True when the batch belongs to an internal test user. */
function isInternal(batch, domains) {
  const email = batch.user_identities?.email;
  if (typeof email !== "string") return false;
  const domain = email.split("@").pop().toLowerCase();
  return domains.includes(domain);
}

/** The rule itself, pure: returns the batch to go on with (or null) and what to log. */
export function applyRule(batch, domains = DEFAULT_INTERNAL_DOMAINS.split(",")) {
  const logs = [];
  if (isInternal(batch, domains)) {
    logs.push(`dropped a batch of internal user ${batch.user_identities.email}`);
    return { output: null, logs };
  }
  let enriched = 0;
  for (const event of batch.events ?? []) {
    const attrs = event.data?.custom_attributes;
    const store = attrs && STORES[attrs.store_id];
    if (!store) continue;
    attrs.store_name = store.name;
    attrs.store_region = store.region;
    enriched++;
  }
  if (enriched) logs.push(`enriched ${enriched} event(s) with store data`);
  return { output: batch, logs };
}

/** The email domains of internal test users, from the Worker's INTERNAL_DOMAINS variable. */
const domainsOf = (env) => (env.INTERNAL_DOMAINS || DEFAULT_INTERNAL_DOMAINS).split(",").map((d) => d.trim().toLowerCase());

/**
 * Both ways edge-cdp can call a rule on a service binding: `fetch` (the default, `{"interface": "fetch"}`) and
 * Workers RPC (`{"interface": "rpc"}`: `transformJson`, no HTTP request or response, cheaper per call). A rule
 * Worker needs only the one its rule's locator names.
 */
export default class extends WorkerEntrypoint {
  async fetch(request) {
    if (request.method !== "POST") return new Response("POST a batch", { status: 405 });
    let batch;
    try {
      batch = await request.json();
    } catch {
      return new Response("body is not JSON", { status: 400 });
    }
    try {
      return Response.json(applyRule(batch, domainsOf(this.env)));
    } catch (err) {
      // edge-cdp applies the rule's failure action to a 5xx; the message lands in the rule's logs.
      return new Response(`rule failed: ${err}`, { status: 500 });
    }
  }

  /**
   * The RPC interface: the batch's JSON text in, JSON text out (the batch, "null", or {"output", "logs"});
   * `info` is {rule_id, stage}. A thrown error is the rule failing (edge-cdp applies its failure action).
   */
  async transformJson(batchJson, info) {
    return JSON.stringify(applyRule(JSON.parse(batchJson), domainsOf(this.env)));
  }
}
