/** Events as a profile records and its modules evaluate them (no imports: the modules and the RPC types share it). */

/**
 * What the profile's modules may evaluate about an event beyond its type, name and time (calculated
 * attributes, audiences). The ingest consumer fills it only when the workspace has something that reads it.
 * Values are strings, as mParticle keeps them (audiences.md §3).
 */
export type EventDetail = {
  /** `custom_event_type` of a custom event; the product action (`purchase`…) or `promotion_view`/`promotion_click` of a commerce event. */
  customEventType?: string;
  /** The event's `custom_attributes`, values as strings. */
  attributes?: Record<string, string>;
  /** Commerce event products: their attributes (`id`, `name`, `brand`, `category`, `price`…, custom ones) as strings, and quantity. */
  products?: { attributes: Record<string, string>; quantity: number }[];
  /** Commerce event promotions: their attributes (`id`, `name`, `creative`, `position`) as strings. */
  promotions?: Record<string, string>[];
};

/** An event of a batch as the profile records and evaluates it. */
export type ProfileEvent = { id: string; eventType: string; name: string | null; ts: number; detail?: EventDetail };

/** A history row as alias copies and `history()` answers it. */
export type HistoryEvent = { id: string; batchId: string; workspaceId: number; eventType: string; name: string | null; ts: number };
