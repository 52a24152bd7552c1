/**
 * Minimal types for `mparticle@1.0.8` (the official Node server SDK ships none): only what the tests use.
 * Source of truth: node_modules/mparticle/src (ApiClient.js, api/*.js, model/*.js).
 */
declare module "mparticle" {
  namespace mParticle {
    /** superagent's error: `status` is the HTTP status for 4xx/5xx answers. */
    type ApiError = Error & { status?: number; response?: ApiResponse };
    /** superagent's response (only the fields the tests read). */
    type ApiResponse = { status: number; body: unknown; text?: string; headers: Record<string, string> };
    type Callback = (error: ApiError | null, data: unknown, response: ApiResponse | undefined) => void;

    class ApiClient {
      /** Defaults to https://s2s.mparticle.com/v2; calls go to `${basePath}/events` and `${basePath}/bulkevents`. */
      basePath: string;
      timeout: number;
    }

    class Configuration {
      constructor(apiKey: string, apiSecret: string);
      api_key: string;
      api_secret: string;
    }

    class EventsApi {
      /** Without `apiClient` it builds a fresh `new ApiClient()` (default basePath). */
      constructor(configuration: Configuration, apiClient?: ApiClient);
      apiClient: ApiClient;
      uploadEvents(batch: Batch, callback: Callback): unknown;
      bulkUploadEvents(batches: Batch[], callback: Callback): unknown;
    }

    interface EventData {
      getEventType(): string;
      timestamp_unixtime_ms?: number;
      custom_attributes?: Record<string, string>;
      custom_flags?: Record<string, unknown>;
    }

    class UserIdentities {
      customerid?: string;
      email?: string;
      other?: string;
      mobile_number?: string;
    }

    class Batch {
      constructor(environment: "development" | "production");
      static Environment: { development: "development"; production: "production" };
      /** Wraps the event as `{ data, event_type }`. */
      addEvent(event: EventData): void;
      environment: string;
      events?: { data: EventData; event_type: string }[];
      user_identities?: UserIdentities;
      user_attributes?: Record<string, unknown>;
      mpid?: number;
      source_request_id?: string;
    }

    class AppEvent implements EventData {
      constructor(customEventType?: string, eventName?: string);
      static CustomEventType: Record<"navigation" | "location" | "search" | "transaction" | "user_content" | "user_preference" | "social" | "other" | "unknown", string>;
      getEventType(): string;
      event_name?: string;
      custom_event_type?: string;
      timestamp_unixtime_ms?: number;
      custom_attributes?: Record<string, string>;
      custom_flags?: Record<string, unknown>;
    }

    class ScreenViewEvent implements EventData {
      constructor(screenName?: string);
      getEventType(): string;
      screen_name?: string;
      timestamp_unixtime_ms?: number;
      custom_attributes?: Record<string, string>;
    }

    class Product {
      constructor(id?: string, name?: string, price?: number, totalProductAmount?: number);
      id?: string;
      name?: string;
      price?: number;
      quantity?: number;
      brand?: string;
      category?: string;
      custom_attributes?: Record<string, string>;
    }

    class ProductAction {
      constructor(action: string, transactionId?: string, totalAmount?: number, products?: Product[]);
      static Action: Record<"unknown" | "add_to_cart" | "remove_from_cart" | "checkout" | "checkout_option" | "click" | "view_detail" | "purchase" | "refund" | "add_to_wishlist" | "remove_from_wish_list", string>;
      action: string;
      transaction_id?: string;
      total_amount?: number;
      tax_amount?: number;
      shipping_amount?: number;
      products?: Product[];
    }

    class CommerceEvent implements EventData {
      constructor();
      getEventType(): string;
      product_action?: ProductAction;
      currency_code?: string;
      timestamp_unixtime_ms?: number;
      custom_attributes?: Record<string, string>;
    }
  }
  export = mParticle;
}
