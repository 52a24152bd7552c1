/**
 * The official mParticle Node server SDK (`mparticle@1.0.8`) against the worker under Miniflare, used exactly
 * as real-clients.md §1.1 shows; delivery is checked at a real HTTP webhook sink (the demo webhook output).
 */
import { randomUUID } from "node:crypto";
import mParticle from "mparticle";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type Harness, startHarness } from "./harness";

type OutboundIdentity = { identity_type: string; identity: string };
type OutboundBatch = {
  environment: string;
  mpid: string;
  batch_id: string;
  user_identities: OutboundIdentity[];
  user_attributes: Record<string, unknown>;
  events: { event_type: string; data: Record<string, any> }[];
};

/** Long enough for ingest (≤1 s batch timeout) + forward (≤1 s) even on a loaded machine. */
const SINK_TIMEOUT_MS = 20_000;

let h: Harness;
/** Unique per run so customer ids never match anything else in the sink. */
const run = randomUUID().slice(0, 8);

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h?.stop();
});

function eventsApi(secret = "demo-server-secret") {
  const client = new mParticle.ApiClient();
  client.basePath = `${h.url}/v2`;
  return new mParticle.EventsApi(new mParticle.Configuration("demo-server-key", secret), client);
}

type Outcome = { error: mParticle.ApiError | null; response: mParticle.ApiResponse | undefined };

/** Runs one SDK call and resolves with what its callback received. */
function call(invoke: (cb: mParticle.Callback) => unknown): Promise<Outcome> {
  return new Promise((resolve) => invoke((error, _data, response) => resolve({ error, response })));
}

function describeOutcome(o: Outcome): string {
  return `error=${o.error ? `${o.error.message} (status ${o.error.status})` : "none"} status=${o.response?.status} body=${o.response?.text}`;
}

function customerId(b: OutboundBatch): string | undefined {
  return b.user_identities?.find((i) => i.identity_type === "customer_id")?.identity;
}

/** Polls the sink until a batch for each customer id arrived; fails with what the sink and worker saw. */
async function waitForBatches(customerIds: string[]): Promise<Map<string, OutboundBatch>> {
  try {
    return await vi.waitFor(
      () => {
        const found = new Map<string, OutboundBatch>();
        for (const b of h.sink.received as OutboundBatch[]) {
          const id = customerId(b);
          if (id && customerIds.includes(id)) found.set(id, b);
        }
        const missing = customerIds.filter((id) => !found.has(id));
        if (missing.length) throw new Error(`sink has no batch yet for ${missing.join(", ")}`);
        return found;
      },
      { timeout: SINK_TIMEOUT_MS, interval: 100 },
    );
  } catch (err) {
    throw new Error(
      `${(err as Error).message}\n--- sink received (${h.sink.requests.length}) ---\n${h.sink.requests.map((r) => r.body).join("\n")}\n` +
        `--- worker logs (last 40) ---\n${h.logs.slice(-40).join("\n")}`,
    );
  }
}

/** A batch built with the SDK's model classes, as real-clients.md §1.5 describes. */
function buildBatch(customerid: string, email: string) {
  const batch = new mParticle.Batch(mParticle.Batch.Environment.development);

  const identities = new mParticle.UserIdentities();
  identities.customerid = customerid;
  identities.email = email;
  batch.user_identities = identities;
  batch.user_attributes = { plan: "premium", age: 42, favorite_colors: ["red", "green"], $FirstName: "Jane" };

  const now = Date.now();
  const click = new mParticle.AppEvent(mParticle.AppEvent.CustomEventType.navigation, "Button Clicked");
  click.timestamp_unixtime_ms = now - 2000;
  click.custom_attributes = { button: "signup", position: "3" };
  click.custom_flags = { "Capture.Flag": "yes" };
  batch.addEvent(click);

  const screen = new mParticle.ScreenViewEvent("Home Screen");
  screen.timestamp_unixtime_ms = now - 1000;
  screen.custom_attributes = { section: "hero" };
  batch.addEvent(screen);

  const shirt = new mParticle.Product("sku-1", "Blue Shirt", 19.99);
  shirt.quantity = 2;
  shirt.brand = "Acme";
  const hat = new mParticle.Product("sku-2", "Red Hat", 10);
  hat.quantity = 1;
  hat.custom_attributes = { color: "red" };
  const purchase = new mParticle.ProductAction(mParticle.ProductAction.Action.purchase, `txn-${customerid}`, 49.98, [shirt, hat]);
  purchase.tax_amount = 4;
  purchase.shipping_amount = 0;
  const commerce = new mParticle.CommerceEvent();
  commerce.product_action = purchase;
  commerce.currency_code = "USD";
  commerce.timestamp_unixtime_ms = now;
  batch.addEvent(commerce);

  return batch;
}

describe("official mParticle Node SDK (mparticle@1.0.8)", () => {
  it("uploadEvents: 202, and the batch reaches the webhook with its events and identities", async () => {
    const cid = `node-sdk-${run}-single`;
    const outcome = await call((cb) => eventsApi().uploadEvents(buildBatch(cid, `${cid}@example.com`), cb));
    expect(outcome.error, describeOutcome(outcome)).toBeNull();
    expect(outcome.response?.status).toBe(202);

    const out = (await waitForBatches([cid])).get(cid)!;
    expect(out.environment).toBe("development");
    expect(typeof out.mpid).toBe("string");
    expect(Array.isArray(out.user_identities)).toBe(true);
    expect(out.user_identities).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ identity_type: "customer_id", identity: cid }),
        expect.objectContaining({ identity_type: "email", identity: `${cid}@example.com` }),
      ]),
    );
    expect(out.user_attributes).toMatchObject({ plan: "premium", age: 42, $FirstName: "Jane" });

    expect(out.events.map((e) => e.event_type)).toEqual(["custom_event", "screen_view", "commerce_event"]);
    const [click, screen, commerce] = out.events;
    expect(click!.data).toMatchObject({ event_name: "Button Clicked", custom_event_type: "navigation", custom_attributes: { button: "signup" } });
    expect(screen!.data).toMatchObject({ screen_name: "Home Screen" });
    expect(commerce!.data).toMatchObject({
      currency_code: "USD",
      product_action: { action: "purchase", transaction_id: `txn-${cid}`, total_amount: 49.98, tax_amount: 4 },
    });
    expect(commerce!.data.product_action.products.map((p: { id: string }) => p.id)).toEqual(["sku-1", "sku-2"]);
    for (const e of out.events) expect(e.data.message_id).toEqual(expect.any(String));
  });

  it("bulkUploadEvents: 3 batches, 202, and all 3 reach the webhook", async () => {
    const ids = [1, 2, 3].map((i) => `node-sdk-${run}-bulk-${i}`);
    const batches = ids.map((cid, i) => {
      const b = new mParticle.Batch(mParticle.Batch.Environment.development);
      const identities = new mParticle.UserIdentities();
      identities.customerid = cid;
      b.user_identities = identities;
      b.user_attributes = { bulk_index: i + 1 };
      const ev = new mParticle.AppEvent(mParticle.AppEvent.CustomEventType.other, `Bulk Event ${i + 1}`);
      ev.timestamp_unixtime_ms = Date.now();
      ev.custom_attributes = { i: String(i + 1) };
      b.addEvent(ev);
      return b;
    });
    const outcome = await call((cb) => eventsApi().bulkUploadEvents(batches, cb));
    expect(outcome.error, describeOutcome(outcome)).toBeNull();
    expect(outcome.response?.status).toBe(202);

    const found = await waitForBatches(ids);
    ids.forEach((cid, i) => {
      const out = found.get(cid)!;
      expect(out.events.map((e) => [e.event_type, e.data.event_name])).toEqual([["custom_event", `Bulk Event ${i + 1}`]]);
      expect(out.user_attributes).toMatchObject({ bulk_index: i + 1 });
    });
    // Three different users → three different mpids.
    expect(new Set(ids.map((cid) => found.get(cid)!.mpid)).size).toBe(3);
  });

  it("a wrong secret is rejected: the SDK callback gets an error with status 403", async () => {
    const cid = `node-sdk-${run}-forbidden`;
    const outcome = await call((cb) => eventsApi("wrong-secret").uploadEvents(buildBatch(cid, `${cid}@example.com`), cb));
    expect(outcome.error, describeOutcome(outcome)).not.toBeNull();
    expect(outcome.error!.status).toBe(403);
    expect(outcome.response?.status).toBe(403);
  });
});
