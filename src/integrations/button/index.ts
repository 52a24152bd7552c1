/**
 * Button Order API (partners.md §6, seed 003): purchase → POST /v1/order; refund → DELETE /v1/order/{id}.
 * One order per request; other events are not forwarded.
 */
import { z } from "zod";
import type { OutboundBatch, OutboundEvent } from "../../pipeline/outbound";
import { commerceTotal, productAction, type Product } from "../runtime/commerce";
import { hashEmail } from "../runtime/hash";
import { deviceInfo, identityOf, integrationAttributes } from "../runtime/mapping";
import type { Drop, IntegrationDefinition, PartnerRequest, TransformResult } from "../runtime/types";

/** mParticle module id of Button; the SDKs put the referrer token in integration attribute `btn_ref`. */
export const BUTTON_MODULE_ID = 1022;
export const ORDER_URL = "https://api.usebutton.com/v1/order";
/** "Order/Transaction ID: … ASCII string. 255 character maximum." (seed 003). */
export const MAX_ORDER_ID = 255;

/** ISO 4217 currencies whose minor unit is not 1/100 (Button totals are integers in the smallest unit). */
const MINOR_DIGITS: Record<string, number> = Object.fromEntries([
  ...["BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "UYI", "VND", "VUV", "XAF", "XOF", "XPF"].map((c) => [c, 0]),
  ...["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"].map((c) => [c, 3]),
]);

/** An amount in the currency's smallest unit (cents for USD). */
export function minorUnits(amount: number, currency: string): number {
  return Math.round(amount * 10 ** (MINOR_DIGITS[currency] ?? 2));
}

const configSchema = z.object({
  apiKey: z.string().min(1).describe("Button API key (sk-…); sent as the HTTP Basic user name with an empty password."),
  applicationId: z
    .string()
    .min(1)
    .optional()
    .describe("Button Application ID (app-…) of this device type, from the Button dashboard. Kept with the output; the Order API identifies the brand by its API key."),
});
const connectionSchema = z.object({}).loose();
type Config = z.output<typeof configSchema>;

const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : typeof v === "string" && v.trim() && !Number.isNaN(Number(v)) ? Number(v) : undefined);
const str = (v: unknown) => (typeof v === "string" && v !== "" ? v : typeof v === "number" ? String(v) : undefined);
const ASCII = /^[\x20-\x7e]+$/;

function lineItem(p: Product, currency: string) {
  const qty = num(p.quantity) ?? 1;
  const price = num(p.price);
  const total = num(p.total_product_amount) ?? (price !== undefined ? price * qty : undefined);
  const attrs = p.custom_attributes && typeof p.custom_attributes === "object" ? Object.fromEntries(Object.entries(p.custom_attributes).map(([k, v]) => [k, String(v)])) : undefined;
  return {
    identifier: str(p.id) ?? str(p.name) ?? "unknown",
    total: minorUnits(total ?? 0, currency),
    ...(price !== undefined ? { amount: minorUnits(price, currency) } : {}),
    quantity: qty,
    ...(str(p.id) ? { sku: str(p.id) } : {}),
    ...(str(p.name) ? { description: str(p.name) } : {}),
    ...(str(p.category) ? { category: [str(p.category)] } : {}),
    ...(attrs && Object.keys(attrs).length ? { attributes: attrs } : {}),
  };
}

async function customer(batch: OutboundBatch) {
  const dev = deviceInfo(batch);
  const c: Record<string, string> = {};
  const id = identityOf(batch, "customer_id");
  if (id) c.id = id;
  const email = await hashEmail(identityOf(batch, "email"));
  if (email) c.email_sha256 = email;
  const device = str(dev.ios_advertising_id) ?? str(dev.android_advertising_id);
  if (device) c.device_id = device;
  return Object.keys(c).length ? c : undefined;
}

type OrderOrDrop = { request: Omit<PartnerRequest, "headers"> } | { reason: string } | undefined;

type Customer = Awaited<ReturnType<typeof customer>>;

function order(batch: OutboundBatch, ev: OutboundEvent, job: number, event: number, cust: Customer): OrderOrDrop {
  if (ev.event_type !== "commerce_event") return undefined;
  const pa = productAction(ev.data);
  if (!pa || (pa.action !== "purchase" && pa.action !== "refund")) return undefined;
  const orderId = str(pa.transaction_id);
  if (!orderId) return { reason: `${pa.action} without a transaction id (Button order id)` };
  if (orderId.length > MAX_ORDER_ID || !ASCII.test(orderId)) return { reason: `transaction id is not ASCII of at most ${MAX_ORDER_ID} characters` };
  const items = [{ job, event }];
  if (pa.action === "refund") return { request: { method: "DELETE", url: `${ORDER_URL}/${encodeURIComponent(orderId)}`, jobs: [job], items } };
  const currency = str(ev.data.currency_code)?.toUpperCase();
  if (!currency) return { reason: "purchase without currency_code" };
  const total = commerceTotal(ev.data);
  if (total === undefined) return { reason: "purchase without total_amount or products" };
  // Seed 003 lists btn_ref among the required order parameters: without it Button cannot attribute the order.
  const btnRef = str(integrationAttributes(batch, BUTTON_MODULE_ID).btn_ref);
  if (!btnRef) return { reason: `purchase without btn_ref (integration_attributes["${BUTTON_MODULE_ID}"].btn_ref)` };
  const body = {
    total: minorUnits(total, currency),
    currency,
    order_id: orderId,
    purchase_date: new Date(ev.data.timestamp_unixtime_ms).toISOString(),
    btn_ref: btnRef,
    ...(cust ? { customer: cust } : {}),
    line_items: pa.products.map((p) => lineItem(p, currency)),
  };
  return { request: { method: "POST", url: ORDER_URL, body: JSON.stringify(body), jobs: [job], items } };
}

const isPurchase = (ev: OutboundEvent) => ev.event_type === "commerce_event" && productAction(ev.data)?.action === "purchase";

/** Pure transform: one request per purchase or refund. */
export async function transform({ batches, config }: { batches: OutboundBatch[]; config: Config }): Promise<PartnerRequest[] | TransformResult> {
  const auth = `Basic ${btoa(`${config.apiKey}:`)}`;
  const requests: PartnerRequest[] = [];
  const dropped: Drop[] = [];
  // Customer data (email hashed) once per batch that has a purchase, all batches concurrently.
  const customers = await Promise.all(batches.map((b) => (b.events.some(isPurchase) ? customer(b) : undefined)));
  batches.forEach((batch, job) => {
    batch.events.forEach((ev, event) => {
      const r = order(batch, ev, job, event, customers[job]);
      if (!r) return;
      if ("reason" in r) dropped.push({ job, event, reason: r.reason });
      else requests.push({ ...r.request, headers: { Authorization: auth, ...(r.request.body ? { "Content-Type": "application/json" } : {}) } });
    });
  });
  return dropped.length ? { requests, dropped } : requests;
}

export const button: IntegrationDefinition<typeof configSchema, typeof connectionSchema> = {
  slug: "button",
  moduleId: BUTTON_MODULE_ID,
  title: "Button",
  kinds: ["event"],
  configSchema,
  connectionSchema,
  secretSettings: ["apiKey"],
  platforms: "*",
  eventTypes: ["commerce_event"],
  maxBatchesPerCall: 100,
  transform,
};
