/** mParticle event → Amplitude event_type / properties, by event type (seed 002 "Amplitude"). */
import type { OutboundEvent } from "../../pipeline/outbound";
import { commerceTotal, expandedAttributes, productAction } from "../runtime/commerce";
import { eventAttributes } from "../runtime/mapping";
import type { AmplitudeConfig } from "./settings";

export type AmpEvent = { event_type: string; event_properties?: Record<string, unknown>; user_properties?: Record<string, unknown>; revenue?: Record<string, unknown> };

/** "add_to_cart" → "Add To Cart". */
export const titleCase = (s: string) => s.split(/[_\s]+/).filter(Boolean).map((w) => w[0]!.toUpperCase() + w.slice(1)).join(" ");

/** Provider of an attribution event: its `attribution_provider` / `provider` attribute, else "Attribution". */
function attributionProvider(attrs: Record<string, unknown>): string {
  const p = attrs.attribution_provider ?? attrs.provider;
  return typeof p === "string" && p ? p : "Attribution";
}

function commerce(ev: OutboundEvent): AmpEvent[] {
  const pa = productAction(ev.data);
  // mParticle does not forward commerce events without products to Amplitude.
  if (!pa || !pa.products.length) return [];
  const name = `eCommerce - ${titleCase(pa.action)}`;
  const total = commerceTotal(ev.data);
  const out: AmpEvent[] = [
    {
      event_type: name,
      event_properties: { ...expandedAttributes({ kind: "total", action: "purchase", total, products: pa.products }, ev.data), products: pa.products },
    },
    ...pa.products.map((product) => ({ event_type: `${name} - Item`, event_properties: expandedAttributes({ kind: "product", action: pa.action, product }, ev.data) })),
  ];
  if ((pa.action === "purchase" || pa.action === "refund") && total !== undefined) {
    const revenue = pa.action === "refund" ? -total : total;
    out.push({ event_type: "revenue_amount", revenue: { revenue, price: revenue, quantity: 1, revenueType: pa.action }, event_properties: { ...eventAttributes(ev), "Transaction Id": pa.transaction_id } });
  }
  return out;
}

/** Handlers keyed by mParticle event type: a new type is one entry. */
export const HANDLERS: Record<string, (ev: OutboundEvent, config: AmplitudeConfig) => AmpEvent[]> = {
  custom_event: (ev) => {
    const attrs = eventAttributes(ev);
    if (ev.data.custom_event_type !== "attribution") return [{ event_type: String(ev.data.event_name), event_properties: attrs }];
    const provider = attributionProvider(attrs);
    const user_properties = Object.fromEntries(Object.entries(attrs).map(([k, v]) => [`[${provider}] ${k}`, v]));
    return [{ event_type: `[${provider}] ${ev.data.event_name}`, user_properties }];
  },
  screen_view: (ev) => [{ event_type: `Viewed ${ev.data.screen_name}`, event_properties: eventAttributes(ev) }],
  session_start: () => [{ event_type: "session_start" }],
  session_end: () => [{ event_type: "session_end" }],
  push_registration: (ev) => [{ event_type: "Push Registration", event_properties: eventAttributes(ev) }],
  application_state_transition: (ev, config) =>
    config.sendApplicationStateTransitions
      ? [{ event_type: `Application State: ${ev.data.application_transition_type}`, event_properties: eventAttributes(ev) }]
      : [],
  commerce_event: commerce,
};
