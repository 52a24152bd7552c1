/** mParticle events → Braze events and purchases, by event type (seed 002 "Braze"). */
import type { OutboundEvent } from "../../pipeline/outbound";
import { commerceTotal, expandCommerce, expandedAttributes, expandedEventName, productAction } from "../runtime/commerce";
import { eventAttributes } from "../runtime/mapping";
import type { BrazeConnection } from "./settings";

export type BrazeEvent = { name: string; properties: Record<string, unknown> };
export type BrazePurchase = { product_id: string; currency: string; price: number; quantity: number; properties: Record<string, unknown> };
export type Mapped = { events: BrazeEvent[]; purchases: BrazePurchase[] };

const NONE: Mapped = { events: [], purchases: [] };
const num = (v: unknown, d: number) => (typeof v === "number" && Number.isFinite(v) ? v : d);

/** Session id property of session, screen and custom events (when the event has one). */
function withSession(ev: OutboundEvent, props: Record<string, unknown>): Record<string, unknown> {
  return ev.data.session_id !== undefined ? { ...props, session_id: ev.data.session_id } : props;
}

function commerce(ev: OutboundEvent, conn: BrazeConnection): Mapped {
  const d = ev.data;
  const currency = typeof d.currency_code === "string" ? d.currency_code : "USD";
  const pa = productAction(d);
  if (conn.bundleCommerceEventData) {
    const common = { ...eventAttributes(ev), ...(typeof d.currency_code === "string" ? { "Currency Code": d.currency_code } : {}) };
    if (pa?.action === "purchase") {
      const id = typeof pa.transaction_id === "string" ? pa.transaction_id : "eCommerce - purchase";
      const props = expandedAttributes({ kind: "total", action: "purchase", total: commerceTotal(d), products: pa.products }, d);
      return { events: [], purchases: [{ product_id: id, currency, price: commerceTotal(d) ?? 0, quantity: 1, properties: { ...props, products: pa.products } }] };
    }
    if (pa) return { events: [{ name: `eCommerce - ${pa.action}`, properties: { ...expandedAttributes({ kind: "total", action: "refund", total: commerceTotal(d), products: pa.products }, d), products: pa.products } }], purchases: [] };
    const promo = d.promotion_action as { action?: string; promotions?: unknown[] } | undefined;
    if (promo) return { events: [{ name: `eCommerce - ${promo.action ?? "unknown"}`, properties: { ...common, promotions: promo.promotions ?? [] } }], purchases: [] };
    if (Array.isArray(d.product_impressions)) return { events: [{ name: "eCommerce - Impression", properties: { ...common, impressions: d.product_impressions } }], purchases: [] };
    return NONE;
  }
  const out: Mapped = { events: [], purchases: [] };
  for (const x of expandCommerce(d)) {
    const properties = expandedAttributes(x, d);
    if (x.kind === "product" && x.action === "purchase") {
      out.purchases.push({ product_id: String(x.product.id ?? x.product.name ?? "unknown"), currency, price: num(x.product.price, 0), quantity: num(x.product.quantity, 1), properties });
    } else if (x.kind === "total" && x.action === "purchase") {
      continue; // a purchase's products are the Braze purchases; no separate total
    } else {
      out.events.push({ name: expandedEventName(x), properties });
    }
  }
  return out;
}

/** Handlers keyed by mParticle event type: a new type is one entry. */
export const HANDLERS: Record<string, (ev: OutboundEvent, conn: BrazeConnection) => Mapped> = {
  custom_event: (ev) => ({ events: [{ name: String(ev.data.event_name), properties: withSession(ev, eventAttributes(ev)) }], purchases: [] }),
  screen_view: (ev) => ({ events: [{ name: String(ev.data.screen_name), properties: withSession(ev, eventAttributes(ev)) }], purchases: [] }),
  session_start: (ev, c) => (c.forwardSessionEvents ? { events: [{ name: "Session Start", properties: withSession(ev, {}) }], purchases: [] } : NONE),
  session_end: (ev, c) => (c.forwardSessionEvents ? { events: [{ name: "Session End", properties: withSession(ev, {}) }], purchases: [] } : NONE),
  commerce_event: commerce,
};
