/**
 * mParticle events → AppsFlyer in-app events, as the mParticle AppsFlyer kit maps them: custom events by
 * name; add_to_cart / add_to_wishlist → one af_add_to_cart / af_add_to_wishlist per product; checkout /
 * purchase → one af_initiated_checkout / af_purchase; every other commerce event is expanded (seed 002
 * "Commerce Event Types") into "eCommerce - <action> - Item" / "- Total" events. Screen views and other
 * event types are not forwarded (the kit's logScreen is a no-op; the server API takes app events only).
 */
import type { OutboundBatch } from "../../pipeline/outbound";
import { expandCommerce, expandedEventName, productAction, type ExpandedCommerce, type Product } from "../runtime/commerce";
import { eventAttributes } from "../runtime/mapping";

/** "AppsFlyer enforces a limit of 45 characters for event names" (seed 002, AppsFlyer event). */
export const MAX_EVENT_NAME = 45;

export type AppsFlyerEvent = { index: number; name: string; values: Record<string, unknown>; currency?: string; timeMs: number };

type Data = Record<string, unknown>;
const num = (v: unknown) => (typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" && !Number.isNaN(Number(v)) ? Number(v) : undefined);
const set = (o: Data, k: string, v: unknown) => {
  if (v !== undefined && v !== null && v !== "") o[k] = v;
};

function productValues(p: Product): Data {
  const o: Data = { ...((p.custom_attributes as Data | undefined) ?? {}) };
  set(o, "Id", p.id);
  set(o, "Name", p.name);
  set(o, "Category", p.category);
  set(o, "Brand", p.brand);
  set(o, "Variant", p.variant);
  set(o, "Item Price", p.price);
  set(o, "Quantity", p.quantity ?? 1);
  set(o, "Total Product Amount", p.total_product_amount);
  set(o, "Coupon Code", p.coupon_code);
  set(o, "Position", p.position);
  return o;
}

/** Attributes of one expanded commerce event (mParticle's expanded attribute names). */
function expandedValues(e: ExpandedCommerce, data: Data, attrs: Data): Data {
  if (e.kind === "product") return { ...attrs, ...productValues(e.product) };
  if (e.kind === "impression") return { ...attrs, ...productValues(e.product), ...(e.list ? { "Product Impression List": e.list } : {}) };
  if (e.kind === "promotion") {
    const o: Data = { ...attrs };
    set(o, "Id", e.promotion.id);
    set(o, "Name", e.promotion.name);
    set(o, "Creative", e.promotion.creative);
    set(o, "Position", e.promotion.position);
    return o;
  }
  const pa = productAction(data) ?? ({} as Data);
  const o: Data = { ...attrs };
  set(o, "Transaction Id", pa.transaction_id);
  set(o, "Affiliation", pa.affiliation);
  set(o, "Total Amount", e.total);
  set(o, "Tax Amount", pa.tax_amount);
  set(o, "Shipping Amount", pa.shipping_amount);
  set(o, "Coupon Code", pa.coupon_code);
  set(o, "Product Count", e.products.length);
  return o;
}

const SALES: Record<string, string> = { add_to_cart: "af_add_to_cart", add_to_wishlist: "af_add_to_wishlist", checkout: "af_initiated_checkout", purchase: "af_purchase" };

function commerce(data: Data, attrs: Data, currency: string | undefined, push: (name: string, values: Data) => void): void {
  const pa = productAction(data);
  const afName = pa ? SALES[pa.action] : undefined;
  if (!pa || !afName) {
    for (const e of expandCommerce(data)) push(expandedEventName(e), expandedValues(e, data, attrs));
    return;
  }
  const base: Data = { ...attrs };
  set(base, "af_currency", currency);
  if (pa.action === "add_to_cart" || pa.action === "add_to_wishlist") {
    for (const p of pa.products) {
      const v: Data = { ...base, af_price: num(p.price), af_quantity: num(p.quantity) ?? 1 };
      set(v, "af_content_id", p.id);
      set(v, "af_content_type", p.category);
      push(afName, v);
    }
    return;
  }
  const v: Data = { ...base, af_content_id: pa.products.map((p) => p.id).filter((id) => id !== undefined) };
  if (pa.products.length) v.af_quantity = pa.products.reduce((t, p) => t + (num(p.quantity) ?? 1), 0);
  const revenue = num(pa.total_amount);
  if (revenue) {
    if (pa.action === "purchase") {
      v.af_revenue = revenue;
      set(v, "af_order_id", pa.transaction_id);
    } else v.af_price = revenue;
  }
  push(afName, v);
}

/** The AppsFlyer events of a batch, in event order, each with the index of its source event. */
export function toAppsFlyerEvents(batch: OutboundBatch): AppsFlyerEvent[] {
  const out: AppsFlyerEvent[] = [];
  batch.events.forEach((ev, index) => {
    const timeMs = ev.data.timestamp_unixtime_ms;
    const attrs = eventAttributes(ev);
    if (ev.event_type === "custom_event" && typeof ev.data.event_name === "string") {
      out.push({ index, name: ev.data.event_name.slice(0, MAX_EVENT_NAME), values: attrs, timeMs });
    } else if (ev.event_type === "commerce_event") {
      const currency = typeof ev.data.currency_code === "string" && ev.data.currency_code ? ev.data.currency_code : undefined;
      commerce(ev.data, attrs, currency, (name, values) => out.push({ index, name: name.slice(0, MAX_EVENT_NAME), values, timeMs, ...(currency ? { currency } : {}) }));
    }
  });
  return out;
}
