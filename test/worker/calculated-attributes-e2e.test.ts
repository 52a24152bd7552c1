/** Calculated attributes through the pipeline: outbound user_attributes, Profile API, seeding. */
import { exports } from "cloudflare:workers";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { caApi, caDefinition } from "./helpers/calculated";
import { token } from "./helpers/platform";
import { basic, batch, post } from "./helpers/requests";
import { installSink } from "./helpers/sink";
import { eventually, forCustomer } from "./helpers/wait";

let sink: ReturnType<typeof installSink>;
afterEach(() => sink?.restore());
let tok: string;
let api: ReturnType<typeof caApi>;
beforeAll(async () => {
  tok = await token();
  api = caApi(tok);
  await api.define("Purchases", caDefinition("count", "Buy"));
  await api.define("Spent", caDefinition("sum", "Buy", "amount"));
  await api.define("tier", caDefinition("last_occurrence", "Buy", "tier"));
  await api.define("Seeded LTV", caDefinition("sum", "Order", "total", { seeding: { cutoff_date: "2026-01-01T00:00:00" } }));
});

const buy = (amount: number, ts = Date.now(), more: Record<string, unknown> = {}) => ({
  event_type: "custom_event",
  data: { event_name: "Buy", custom_event_type: "transaction", custom_attributes: { amount, ...more }, timestamp_unixtime_ms: ts, source_message_id: crypto.randomUUID() },
});
const profileApi = async (mpid: string) => (await exports.default.fetch(`http://edge-cdp.test/userprofile/v1/1/1/1/${mpid}?fields=user_attributes`, { headers: { Authorization: `Bearer ${tok}` } })).json() as Promise<any>;

describe("calculated attributes through the pipeline", () => {
  it("carries the new values in the same outgoing batch's user_attributes, a CA winning over a same-named attribute; the Profile API shows them", async () => {
    sink = installSink();
    const b = batch({ user_attributes: { tier: "bronze", plan: "premium" }, events: [buy(10, Date.now(), { tier: "gold" }), buy(5)] });
    const cust = b.user_identities.customerid;
    expect((await post("/v2/events", b)).status).toBe(202);
    const [out] = await eventually(() => {
      const got = forCustomer(sink.received, cust);
      expect(got).toHaveLength(1);
      return got;
    });
    expect(out.user_attributes).toMatchObject({ Purchases: "2", Spent: "15", tier: "gold", plan: "premium" });
    const next = batch({ user_identities: b.user_identities, user_attributes: {}, events: [buy(2.5)] });
    expect((await post("/v2/events", next)).status).toBe(202);
    const second = await eventually(() => {
      const got = forCustomer(sink.received, cust);
      expect(got).toHaveLength(2);
      return got[1];
    });
    expect(second.user_attributes).toMatchObject({ Purchases: "3", Spent: "17.5" });
    const body = await profileApi(out.mpid);
    expect(body.user_attributes).toMatchObject({ Purchases: "3", Spent: "17.5", tier: "gold", plan: "premium" });
  });

  it("seeds a user (202) and adds live data from the cutoff on; a bulk with one bad item seeds nobody (400 naming it)", async () => {
    sink = installSink();
    const cust = `seed-${crypto.randomUUID()}`;
    const seedOf = (value: unknown) => ({ attribute_name: "Seeded LTV", calculation_type: "sum", cutoff_date: "2026-01-01", seed: { value } });
    const one = await post("/v2/calculatedattributes/", { environment: "production", identities: { customer_id: cust }, calculated_attributes: { workspace: [seedOf("100")] } });
    expect(one.status).toBe(202);
    // Live data: one order before the cutoff (covered by the seed, not added), one after.
    const order = (total: number, ts: number) => ({ event_type: "custom_event", data: { event_name: "Order", custom_event_type: "transaction", custom_attributes: { total }, timestamp_unixtime_ms: ts, source_message_id: crypto.randomUUID() } });
    const b = batch({ user_identities: { customerid: cust }, events: [order(40, Date.parse("2025-12-01T00:00:00Z")), order(25, Date.now())] });
    expect((await post("/v2/events", b)).status).toBe(202);
    const [out] = await eventually(() => {
      const got = forCustomer(sink.received, cust);
      expect(got).toHaveLength(1);
      return got;
    });
    expect(out.user_attributes["Seeded LTV"]).toBe("125");

    const other = `seed-${crypto.randomUUID()}`;
    const bulk = await post("/v2/bulkcalculatedattributes", [
      { environment: "production", identities: { customer_id: other }, calculated_attributes: { workspace: [seedOf(5)] } },
      { environment: "production", identities: { customer_id: cust }, calculated_attributes: { workspace: [seedOf("lots")] } },
      { environment: "production", identities: { customer_id: cust }, calculated_attributes: { workspace: [{ ...seedOf(1), attribute_name: "Unknown" }] } },
    ]);
    expect(bulk.status).toBe(400);
    const errors = ((await bulk.json()) as any).errors;
    expect(errors).toContainEqual({ code: "BAD_REQUEST", message: "Seeded LTV: Seed value must be numeric" });
    expect(errors).toContainEqual({ code: "BAD_REQUEST", message: "Unknown: No matching calculated attribute definition found" });
    // Nothing of the bulk was stored: the first user's seed would have made its value 5.
    const again = await post("/v2/bulkcalculatedattributes", [{ environment: "production", identities: { customer_id: other }, calculated_attributes: { workspace: [seedOf(7)] } }]);
    expect(again.status).toBe(202);
    const ob = batch({ user_identities: { customerid: other }, events: [order(1, Date.now())] });
    expect((await post("/v2/events", ob)).status).toBe(202);
    const [o] = await eventually(() => {
      const got = forCustomer(sink.received, other);
      expect(got).toHaveLength(1);
      return got;
    });
    expect(o.user_attributes["Seeded LTV"]).toBe("8");
  });

  it("refuses seeding without credentials (401), with a wrong secret, a non-array bulk or a missing user (400)", async () => {
    expect((await post("/v2/calculatedattributes", {}, {})).status).toBe(401);
    expect([401, 403]).toContain((await post("/v2/calculatedattributes", {}, { Authorization: basic("demo-server-key", "wrong") })).status);
    expect((await post("/v2/bulkcalculatedattributes", { environment: "production" })).status).toBe(400);
    const noUser = await post("/v2/calculatedattributes", { environment: "production", calculated_attributes: { workspace: [{ attribute_name: "Seeded LTV", calculation_type: "sum", cutoff_date: "2026-01-01", seed: { value: 1 } }] } });
    expect(noUser.status).toBe(400);
    expect(((await noUser.json()) as any).errors[0].message).toMatch(/mpid or identities is required/);
    expect((await post("/v2/calculatedattributes", "{bad json")).status).toBe(400);
  });
});
