import { fixtureBatch, type IntegrationFixture } from "../runtime/fixtures";

const config = { accountId: "3000001", placementAttributesMapping: [{ map: "$firstname", value: "firstname" }] };

export const fixtures: IntegrationFixture[] = [
  {
    name: "forwards nothing server-side: the SDK's kit renders placements (custom event, screen view, purchase, user attributes only)",
    config,
    batches: [
      fixtureBatch(),
      fixtureBatch({
        events: [
          { event_type: "screen_view", data: { screen_name: "Checkout", timestamp_unixtime_ms: 1, message_id: "1", event_id: "1" } },
          { event_type: "commerce_event", data: { product_action: { action: "purchase", products: [{ id: "a" }, { id: "b" }] }, timestamp_unixtime_ms: 1, message_id: "2", event_id: "2" } },
        ],
      }),
      fixtureBatch({ events: [] }),
    ],
    requests: [],
  },
  { name: "refuses a configuration without an account id", config: {}, batches: [], invalidConfig: true },
  { name: "refuses a non-numeric account id", config: { accountId: "acct-1" }, batches: [], invalidConfig: true },
];
