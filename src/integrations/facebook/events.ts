/** mParticle events → CAPI event_name + custom_data, by event type (seed 002 "Facebook"). */
import type { OutboundEvent } from "../../pipeline/outbound";
import { commerceTotal, productAction, productsTotal } from "../runtime/commerce";
import { eventAttributes, type Platform } from "../runtime/mapping";

export type CapiEvent = { event_name: string; custom_data?: Record<string, unknown> };

/** Product actions with a Facebook standard event; other actions are sent as custom events `eCommerce - <action>`. */
export const STANDARD_EVENTS: Record<string, string> = {
  add_to_cart: "AddToCart",
  add_to_wishlist: "AddToWishlist",
  view_detail: "ViewContent",
  checkout: "InitiateCheckout",
  purchase: "Purchase",
};

function commerce(ev: OutboundEvent): CapiEvent[] {
  const pa = productAction(ev.data);
  if (!pa) return []; // promotions and impressions are not forwarded
  const products = pa.products;
  const custom_data: Record<string, unknown> = {
    ...eventAttributes(ev),
    currency: typeof ev.data.currency_code === "string" ? ev.data.currency_code : "USD",
    value: pa.action === "purchase" || pa.action === "refund" ? (commerceTotal(ev.data) ?? 0) : productsTotal(products),
    content_type: "product",
    content_ids: products.map((p) => p.id).filter((id) => id !== undefined),
    contents: products.map((p) => ({ id: p.id, quantity: p.quantity ?? 1, item_price: p.price, ...(p.brand ? { brand: p.brand } : {}) })),
    num_items: products.reduce((n, p) => n + (typeof p.quantity === "number" ? p.quantity : 1), 0),
  };
  if (typeof pa.transaction_id === "string") custom_data.order_id = pa.transaction_id;
  if (products.length === 1 && products[0]!.name) custom_data.content_name = products[0]!.name;
  if (products.length === 1 && products[0]!.category) custom_data.content_category = products[0]!.category;
  return [{ event_name: STANDARD_EVENTS[pa.action] ?? `eCommerce - ${pa.action}`, custom_data }];
}

/** Handlers keyed by mParticle event type: a new type is one entry. */
export const HANDLERS: Record<string, (ev: OutboundEvent, platform: Platform) => CapiEvent[]> = {
  custom_event: (ev) => [{ event_name: String(ev.data.event_name), custom_data: eventAttributes(ev) }],
  // Web screen views are PageView; app screen views need custom mappings (not supported here).
  screen_view: (ev, platform) => (platform === "web" ? [{ event_name: "PageView", custom_data: eventAttributes(ev) }] : []),
  commerce_event: commerce,
};
