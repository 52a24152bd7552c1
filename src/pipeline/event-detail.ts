/**
 * What a profile's modules evaluate about an event (src/durable/profile/types.ts `EventDetail`) from a batch
 * event: custom event type or product action, custom attributes, products and promotions, values as strings. Pure.
 */
import type { EventDetail } from "../durable/user-profile";

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
/** Attribute values as strings (lists joined with commas, objects and nulls left out). */
function strings(o: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isObj(o)) return out;
  for (const [k, v] of Object.entries(o)) {
    if (typeof v === "string") out[k] = v;
    else if (typeof v === "number" || typeof v === "boolean") out[k] = String(v);
    else if (Array.isArray(v)) out[k] = v.filter((x) => typeof x !== "object").map(String).join(",");
  }
  return out;
}

const PRODUCT_FIELDS = ["id", "name", "brand", "category", "variant", "position", "price", "quantity", "coupon_code", "total_product_amount"];

/** The detail of one batch event (undefined when it has nothing a module could read). */
export function eventDetail(e: { event_type: string; data?: Obj | null }): EventDetail | undefined {
  const d = e.data ?? {};
  const detail: EventDetail = {};
  const attrs = strings(d.custom_attributes);
  if (Object.keys(attrs).length) detail.attributes = attrs;
  if (e.event_type === "custom_event" && typeof d.custom_event_type === "string") detail.customEventType = d.custom_event_type;
  if (e.event_type === "commerce_event") {
    const pa = isObj(d.product_action) ? d.product_action : null;
    const pr = isObj(d.promotion_action) ? d.promotion_action : null;
    if (pa && typeof pa.action === "string") detail.customEventType = pa.action === "remove_from_wish_list" ? "remove_from_wishlist" : pa.action;
    else if (pr && typeof pr.action === "string") detail.customEventType = `promotion_${pr.action}`;
    if (pa && Array.isArray(pa.products)) {
      detail.products = pa.products.filter(isObj).map((p) => {
        const a = strings(Object.fromEntries(PRODUCT_FIELDS.filter((k) => k in p).map((k) => [k, p[k]])));
        Object.assign(a, strings(p.attributes));
        const q = typeof p.quantity === "number" && Number.isFinite(p.quantity) && p.quantity > 0 ? p.quantity : 1;
        return { attributes: a, quantity: q };
      });
    }
    if (pr && Array.isArray(pr.promotions)) detail.promotions = pr.promotions.filter(isObj).map((p) => strings(p));
  }
  return Object.keys(detail).length ? detail : undefined;
}
