import { describe, expect, it } from "vitest";
import { chunk, chunkJsonArray, utf8Length } from "./batching";
import { commerceTotal, expandCommerce, expandedEventName } from "./commerce";
import { hashEmail, hashPhone, normalizeEmail, normalizePhone, sha256Hex } from "./hash";
import { consentOf, convertBooleans, identityOf, mapAttributes, platformOf, toBoolean } from "./mapping";
import { fixtureBatch, purchaseEvent, TWO_PRODUCTS } from "./fixtures";
import { parseUserAgent } from "./user-agent";

describe("hash", () => {
  it("normalises emails (trim, lowercase) and phones (E.164 digits) before hashing, and never hashes twice", async () => {
    expect(normalizeEmail("  Jane@Example.COM ")).toBe("jane@example.com");
    expect(normalizePhone("+1 (650) 555-1212")).toBe("16505551212");
    expect(normalizePhone("0044 20 7946 0018")).toBe("442079460018");
    expect(await hashEmail(" Jane@Example.com")).toBe(await sha256Hex("jane@example.com"));
    const h = await sha256Hex("x");
    expect(await hashPhone(h.toUpperCase())).toBe(h);
    expect(await hashPhone("+1 650-555-1212")).toBe(await sha256Hex("16505551212"));
    expect(await hashEmail(h)).toBe(h);
    expect(await hashEmail("")).toBeUndefined();
  });
});

describe("commerce expansion", () => {
  it("purchase → one event per product plus a total; total from total_amount, else Σ price × quantity", () => {
    const x = expandCommerce(purchaseEvent().data);
    expect(x.map(expandedEventName)).toEqual(["eCommerce - purchase - Item", "eCommerce - purchase - Item", "eCommerce - purchase - Total"]);
    expect(commerceTotal({ product_action: { action: "purchase", products: TWO_PRODUCTS } })).toBe(26);
  });
  it("product events and impressions → one per product; promotions → one per promotion; no products → nothing (or only a total)", () => {
    expect(expandCommerce({ product_action: { action: "add_to_cart", products: TWO_PRODUCTS } }).map((e) => e.kind)).toEqual(["product", "product"]);
    expect(expandCommerce({ product_impressions: [{ product_impression_list: "s", products: TWO_PRODUCTS }, { products: [{ id: "z" }] }] })).toHaveLength(3);
    expect(expandCommerce({ promotion_action: { action: "view", promotions: [{ id: "a" }, { id: "b" }] } }).map(expandedEventName)).toEqual(["eCommerce - view - Item", "eCommerce - view - Item"]);
    expect(expandCommerce({ product_action: { action: "checkout" } })).toEqual([]);
    expect(expandCommerce({ product_action: { action: "refund", total_amount: 5 } })).toEqual([{ kind: "total", action: "refund", total: 5, products: [] }]);
  });
});

describe("mapping", () => {
  it("finds identities by type (mpid, user identities, device ids) and the platform", () => {
    const b = fixtureBatch({ device_info: { platform: "Android", android_advertising_id: "aaid" } });
    expect(identityOf(b, "mpid")).toBe("8278431810143183490");
    expect(identityOf(b, "customerid")).toBe("cust-1");
    expect(identityOf(b, "email")).toBeUndefined();
    expect(identityOf(b, "android_aaid")).toBe("aaid");
    expect(platformOf(b)).toBe("android");
    expect(platformOf(fixtureBatch({ source_info: { channel: "javascript" } }))).toBe("web");
  });
  it('converts "true"/"false" (any case) to booleans only', () => {
    expect([toBoolean("TRUE"), toBoolean("false"), toBoolean("yes"), toBoolean(1)]).toEqual([true, false, "yes", 1]);
    expect(convertBooleans({ a: "True", b: "x" })).toEqual({ a: true, b: "x" });
  });
  it("maps attribute names, dropping null targets and renaming the others", () => {
    expect(mapAttributes({ $FirstName: "J", $Age: 3, drop: 1 }, { $FirstName: "first_name", drop: null }, (k) => k.replace(/^\$/, ""))).toEqual({ first_name: "J", Age: 3 });
  });
  it("reads consent state", () => {
    expect(consentOf(fixtureBatch({ consent_state: { gdpr: { Marketing: { consented: false } }, ccpa: { data_sale_opt_out: { consented: true } } } }))).toEqual({ gdpr: { marketing: false }, ccpaOptOut: true });
  });
});

describe("batching", () => {
  it("chunks by count and by bytes, keeping order; an oversized item gets its own chunk", () => {
    expect(chunk([1, 2, 3, 4, 5], { maxItems: 2 })).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunk(["aaaa", "bb", "cccccccccc", "d"], { maxItems: 10, maxBytes: 9, size: (s) => s.length })).toEqual([["aaaa", "bb"], ["cccccccccc"], ["d"]]);
    const parts = chunkJsonArray([1, 2, 3].map((n) => ({ json: String(n), meta: n })), 2, 100);
    expect(parts).toEqual([{ body: "[1,2]", metas: [1, 2] }, { body: "[3]", metas: [3] }]);
    expect(utf8Length("é")).toBe(2);
  });
});

describe("user agent", () => {
  it("parses common browsers and operating systems", () => {
    expect(parseUserAgent("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.2210.91")).toMatchObject({ browser: "Microsoft Edge", os: "Windows", osVersion: "10" });
    expect(parseUserAgent("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.144 Mobile Safari/537.36")).toMatchObject({ browser: "Chrome", os: "Android", osVersion: "14", deviceModel: "Pixel 8" });
    expect(parseUserAgent("Mozilla/5.0 (Macintosh; Intel Mac OS X 14.2; rv:121.0) Gecko/20100101 Firefox/121.0")).toMatchObject({ browser: "Firefox", os: "Mac OS X", deviceBrand: "Apple" });
    expect(parseUserAgent(undefined)).toEqual({});
  });
});
