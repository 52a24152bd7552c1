/**
 * Commerce-event expansion (seed 002, Event Forwarding "Commerce Event Types"): product events and
 * impressions → one event per product; purchase and refund → one per product plus a total event;
 * promotions → one event per promotion of the promotion action.
 */

export type Product = Record<string, unknown> & { id?: string; name?: string; price?: number; quantity?: number };
export type Promotion = Record<string, unknown> & { id?: string; name?: string; creative?: string; position?: string };

export type ExpandedCommerce =
  | { kind: "product"; action: string; product: Product }
  | { kind: "total"; action: "purchase" | "refund"; total: number | undefined; products: Product[] }
  | { kind: "promotion"; action: string; promotion: Promotion }
  | { kind: "impression"; list: string | undefined; product: Product };

type Data = Record<string, unknown>;

const rec = (v: unknown): Data | undefined => (v && typeof v === "object" && !Array.isArray(v) ? (v as Data) : undefined);
const list = <T>(v: unknown): T[] => (Array.isArray(v) ? (v.filter((x) => x && typeof x === "object") as T[]) : []);

/** The product action of a commerce event's data, if any. */
export function productAction(data: Data): (Data & { action: string; products: Product[] }) | undefined {
  const pa = rec(data.product_action);
  if (!pa || typeof pa.action !== "string") return undefined;
  return { ...pa, action: pa.action, products: list<Product>(pa.products) };
}

/** Sum of price × quantity (quantity defaults to 1) over products. */
export function productsTotal(products: Product[]): number {
  let t = 0;
  for (const p of products) t += (typeof p.price === "number" ? p.price : 0) * (typeof p.quantity === "number" ? p.quantity : 1);
  return Math.round(t * 1e6) / 1e6;
}

/** Total of a purchase/refund: `total_amount`, else the sum of its products. */
export function commerceTotal(data: Data): number | undefined {
  const pa = productAction(data);
  if (!pa) return undefined;
  if (typeof pa.total_amount === "number") return pa.total_amount;
  return pa.products.length ? productsTotal(pa.products) : undefined;
}

/** Expands one commerce event's data by the rules above, in order: products, then total; promotions; impressions. */
export function expandCommerce(data: Data): ExpandedCommerce[] {
  const out: ExpandedCommerce[] = [];
  const pa = productAction(data);
  if (pa) {
    for (const product of pa.products) out.push({ kind: "product", action: pa.action, product });
    if (pa.action === "purchase" || pa.action === "refund") out.push({ kind: "total", action: pa.action, total: commerceTotal(data), products: pa.products });
  }
  const promo = rec(data.promotion_action);
  if (promo) {
    const action = typeof promo.action === "string" ? promo.action : "unknown";
    for (const promotion of list<Promotion>(promo.promotions)) out.push({ kind: "promotion", action, promotion });
  }
  for (const imp of list<Data>(data.product_impressions)) {
    const l = typeof imp.product_impression_list === "string" ? imp.product_impression_list : undefined;
    for (const product of list<Product>(imp.products)) out.push({ kind: "impression", list: l, product });
  }
  return out;
}

/** mParticle's names for expanded events: "eCommerce - purchase - Item", "eCommerce - purchase - Total", "eCommerce - Impression - Item". */
export function expandedEventName(e: ExpandedCommerce): string {
  switch (e.kind) {
    case "product":
    case "promotion":
      return `eCommerce - ${e.action} - Item`;
    case "total":
      return `eCommerce - ${e.action} - Total`;
    case "impression":
      return "eCommerce - Impression - Item";
  }
}

const PRODUCT_FIELDS: Record<string, string> = {
  id: "Id",
  name: "Name",
  brand: "Brand",
  category: "Category",
  variant: "Variant",
  position: "Position",
  price: "Item Price",
  quantity: "Quantity",
  total_product_amount: "Total Product Amount",
  coupon_code: "Coupon Code",
};
const ACTION_FIELDS: Record<string, string> = {
  transaction_id: "Transaction Id",
  affiliation: "Affiliation",
  total_amount: "Total Amount",
  tax_amount: "Tax Amount",
  shipping_amount: "Shipping Amount",
  coupon_code: "Coupon Code",
  checkout_step: "Checkout Step",
  checkout_options: "Checkout Options",
  product_action_list: "Product Action List",
  product_list_source: "Product List Source",
};
const PROMOTION_FIELDS: Record<string, string> = { id: "Id", name: "Name", creative: "Creative", position: "Position" };

function copy(src: Data | undefined, fields: Record<string, string>, out: Data): void {
  if (!src) return;
  for (const [k, name] of Object.entries(fields)) if (src[k] !== undefined && src[k] !== null && src[k] !== "") out[name] = src[k];
}

/**
 * Attributes of one expanded event with mParticle's expanded-event attribute names ("Id", "Name",
 * "Item Price", "Quantity", "Transaction Id", "Total Amount", "Currency Code", …), after the event's own
 * attributes; product custom attributes are included.
 */
export function expandedAttributes(e: ExpandedCommerce, data: Data): Data {
  const out: Data = { ...(rec(data.custom_attributes) ?? {}) };
  if (typeof data.currency_code === "string") out["Currency Code"] = data.currency_code;
  if (e.kind === "product" || e.kind === "impression") {
    Object.assign(out, rec(e.product.custom_attributes) ?? {});
    copy(e.product, PRODUCT_FIELDS, out);
    if (e.kind === "product") copy(productAction(data), { transaction_id: "Transaction Id" }, out);
    else if (e.list) out["Product Impression List"] = e.list;
  } else if (e.kind === "total") {
    copy(productAction(data), ACTION_FIELDS, out);
    if (e.total !== undefined) out["Total Amount"] = e.total;
    out["Product Count"] = e.products.length;
  } else {
    copy(e.promotion, PROMOTION_FIELDS, out);
  }
  return out;
}
