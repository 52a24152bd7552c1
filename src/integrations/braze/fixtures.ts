import { customEvent, fixtureBatch, fixtureEvent, type IntegrationFixture, purchaseEvent, refundEvent, screenView, STANDARD_ERROR_ANSWERS, TWO_PRODUCTS } from "../runtime/fixtures";

const config = { apiKey: "braze-key", instance: "US-03" };
const URL = "https://rest.iad-03.braze.com/users/track";
const T = 1_764_000_000_000;
const iso = (n: number) => new Date(T + n * 1000).toISOString();
const who = { external_id: "cust-1" };
const attrs = { ...who, plan: "premium" };
const noAttrs = { user_attributes: {} };
const many = (count: number) => fixtureBatch({ ...noAttrs, events: Array.from({ length: count }, (_, i) => customEvent(i + 1, {})) });
const common = { channel: "web", "Currency Code": "USD" };

export const fixtures: IntegrationFixture[] = [
  {
    name: "custom event with attributes → events[] with ISO time and the user's attributes; Bearer auth",
    config,
    batches: [fixtureBatch({ events: [{ ...customEvent(1), data: { ...customEvent(1).data, session_id: "777" } }] })],
    requests: [
      {
        method: "POST",
        url: URL,
        headers: { Authorization: "Bearer braze-key", "Content-Type": "application/json" },
        json: { attributes: [attrs], events: [{ ...who, name: "Clicked 1", time: iso(1), properties: { plan: "gold", vip: "true", session_id: "777" } }] },
        jobs: [0],
        items: [{ job: 0, group: "attributes" }, { job: 0, event: 0, group: "events" }],
      },
    ],
    answers: [
      { status: 201, body: '{"message":"success","attributes_processed":1,"events_processed":1}', outcome: "ok" },
      { status: 200, body: '{"message":"success","errors":[{"type":"\'external_id\' or \'braze_id\' or \'user_alias\' is required","input_array":"events","index":0}]}', outcome: "partial", failed: [{ job: 0, event: 0, group: "events" }], rest: "ok" },
      { status: 200, body: '{"message":"Invalid API key"}', outcome: "permanent" },
      { status: 429, headers: { "X-RateLimit-Reset": "4102444800" }, body: '{"message":"rate limited"}', outcome: "retryable" },
      ...STANDARD_ERROR_ANSWERS,
    ],
  },
  {
    name: "screen view → event named by the screen",
    config,
    batches: [fixtureBatch({ ...noAttrs, events: [screenView(2)] })],
    requests: [{ method: "POST", url: URL, json: { events: [{ ...who, name: "Home", time: iso(2), properties: { tab: "main" } }] }, jobs: [0] }],
  },
  {
    name: "purchase with 2 products → one Braze purchase per product (app_id when configured)",
    config: { ...config, appId: "app-1" },
    batches: [fixtureBatch({ ...noAttrs, events: [purchaseEvent(3)] })],
    requests: [
      {
        method: "POST",
        url: URL,
        json: {
          purchases: [
            { ...who, app_id: "app-1", product_id: "sku-1", currency: "USD", price: 10.5, quantity: 2, time: iso(3), properties: { ...common, Id: "sku-1", Name: "Shirt", Brand: "Acme", Category: "Apparel", "Item Price": 10.5, Quantity: 2, "Transaction Id": "T-100" } },
            { ...who, app_id: "app-1", product_id: "sku-2", currency: "USD", price: 5, quantity: 1, time: iso(3), properties: { ...common, Id: "sku-2", Name: "Socks", "Item Price": 5, Quantity: 1, "Transaction Id": "T-100" } },
          ],
        },
        jobs: [0],
        items: [{ job: 0, event: 0, group: "purchases" }, { job: 0, event: 0, group: "purchases" }],
      },
    ],
  },
  {
    name: "Bundle Commerce Event Data: one purchase with nested products[]",
    config,
    connection: { bundleCommerceEventData: true },
    batches: [fixtureBatch({ ...noAttrs, events: [purchaseEvent(3)] })],
    requests: [
      {
        method: "POST",
        url: URL,
        json: { purchases: [{ ...who, product_id: "T-100", currency: "USD", price: 26, quantity: 1, time: iso(3), properties: { ...common, "Transaction Id": "T-100", "Total Amount": 26, "Tax Amount": 2, "Product Count": 2, products: TWO_PRODUCTS } }] },
        jobs: [0],
      },
    ],
  },
  {
    name: "refund → an item event per product plus a total event",
    config,
    batches: [fixtureBatch({ ...noAttrs, events: [refundEvent(4)] })],
    requests: [
      {
        method: "POST",
        url: URL,
        json: {
          events: [
            { ...who, name: "eCommerce - refund - Item", time: iso(4), properties: { "Currency Code": "USD", Id: "sku-1", Name: "Shirt", Brand: "Acme", Category: "Apparel", "Item Price": 10.5, Quantity: 2, "Transaction Id": "T-100" } },
            { ...who, name: "eCommerce - refund - Total", time: iso(4), properties: { "Currency Code": "USD", "Transaction Id": "T-100", "Total Amount": 10.5, "Product Count": 1 } },
          ],
        },
        jobs: [0],
      },
    ],
  },
  {
    name: "promotions: one event per promotion, or one bundled event with promotions[]",
    config,
    batches: [fixtureBatch({ ...noAttrs, events: [fixtureEvent("commerce_event", { promotion_action: { action: "click", promotions: [{ id: "p1" }, { id: "p2" }] } }, 5)] })],
    requests: [{ method: "POST", url: URL, json: { events: [{ ...who, name: "eCommerce - click - Item", time: iso(5), properties: { Id: "p1" } }, { ...who, name: "eCommerce - click - Item", time: iso(5), properties: { Id: "p2" } }] }, jobs: [0] }],
  },
  {
    name: "only user attributes: reserved attributes mapped, $ stripped, email identity, type detection, subscription groups and consent",
    config: { ...config, enableTypeDetection: true },
    connection: { subscriptionGroupMapping: [{ attribute: "news", subscriptionGroupId: "sg-1" }, { attribute: "sms", subscriptionGroupId: "sg-2" }, { attribute: "junk", subscriptionGroupId: "sg-3" }], consentMapping: [{ purpose: "Marketing", brazeKey: "google_ad_user_data" }] },
    batches: [
      fixtureBatch({
        events: [],
        user_identities: [
          { identity_type: "customer_id", identity: "cust-1", timestamp_unixtime_ms: T, created_this_batch: false },
          { identity_type: "email", identity: "jane@example.com", timestamp_unixtime_ms: T, created_this_batch: false },
        ],
        user_attributes: { $FirstName: "Jane", $Gender: "female", $City: "Paris", $Zip: "75001", age: "31", news: "true", sms: false, junk: "maybe" },
        consent_state: { gdpr: { marketing: { consented: true, timestamp_unixtime_ms: T } } },
      }),
    ],
    requests: [
      {
        method: "POST",
        url: URL,
        json: {
          attributes: [
            {
              ...who,
              first_name: "Jane",
              gender: "F",
              home_city: "Paris",
              Zip: 75001,
              age: 31,
              news: true,
              sms: false,
              junk: "maybe",
              email: "jane@example.com",
              subscription_groups: [
                { subscription_group_id: "sg-1", subscription_state: "subscribed" },
                { subscription_group_id: "sg-2", subscription_state: "unsubscribed" },
              ],
              $google_ad_user_data: true,
            },
          ],
        },
        jobs: [0],
        items: [{ job: 0, group: "attributes" }],
      },
    ],
  },
  {
    name: "missing external id: dropped with a reason",
    config,
    batches: [fixtureBatch({ user_identities: [], events: [customEvent(1)] })],
    dropped: [{ job: 0, reason: "no customer_id identity for external_id" }],
    requests: [],
  },
  {
    name: "Disable External ID Constraint: identified by a user alias on the MPID (no email)",
    config,
    connection: { disableExternalIdConstraint: true },
    batches: [fixtureBatch({ user_identities: [], events: [customEvent(1, {})] })],
    requests: [
      {
        method: "POST",
        url: URL,
        json: {
          attributes: [{ user_alias: { alias_name: "8278431810143183490", alias_label: "mparticle_id" }, plan: "premium", _update_existing_only: false }],
          events: [{ user_alias: { alias_name: "8278431810143183490", alias_label: "mparticle_id" }, name: "Clicked 1", time: iso(1), properties: {} }],
        },
        jobs: [0],
      },
    ],
  },
  {
    name: "Disable External ID Constraint: identified by email when the batch has one",
    config,
    connection: { disableExternalIdConstraint: true },
    batches: [fixtureBatch({ user_attributes: {}, user_identities: [{ identity_type: "email", identity: "a@b.co", timestamp_unixtime_ms: T, created_this_batch: false }], events: [customEvent(1, {})] })],
    requests: [
      {
        method: "POST",
        url: URL,
        json: { attributes: [{ email: "a@b.co", _update_existing_only: false }], events: [{ email: "a@b.co", name: "Clicked 1", time: iso(1), properties: {} }] },
        jobs: [0],
      },
    ],
  },
  {
    name: "External Identity Type = mParticle ID; session events only with Forward Session Events",
    config: { ...config, externalIdentityType: "mpid" },
    connection: { forwardSessionEvents: true },
    batches: [fixtureBatch({ ...noAttrs, events: [fixtureEvent("session_start", { session_id: "9" }, 1), fixtureEvent("session_end", {}, 2)] }), fixtureBatch({ ...noAttrs, events: [fixtureEvent("session_start", {}, 3)] })],
    requests: [
      {
        method: "POST",
        url: URL,
        json: {
          events: [
            { external_id: "8278431810143183490", name: "Session Start", time: iso(1), properties: { session_id: "9" } },
            { external_id: "8278431810143183490", name: "Session End", time: iso(2), properties: {} },
            { external_id: "8278431810143183490", name: "Session Start", time: iso(3), properties: {} },
          ],
        },
        jobs: [0, 1],
      },
    ],
  },
  { name: "session events are not forwarded by default", config, batches: [fixtureBatch({ ...noAttrs, events: [fixtureEvent("session_start", {}, 1)] })], requests: [] },
  { name: "limit: exactly 75 events in one request", config, batches: [many(75)], requests: [{ method: "POST", url: URL, jobs: [0] }] },
  {
    name: "limit: 76 events → 75 + 1, each array capped separately (75 attributes ride along)",
    config,
    batches: [many(40), many(36)],
    requests: [
      { method: "POST", url: URL, jobs: [0, 1] },
      { method: "POST", url: URL, jobs: [1], items: [{ job: 1, event: 35, group: "events" }] },
    ],
  },
  { name: "refuses a configuration without an API key", config: { instance: "US-01" }, batches: [], invalidConfig: true },
  { name: "refuses an unknown instance", config: { apiKey: "k", instance: "MARS-1" }, batches: [], invalidConfig: true },
];
