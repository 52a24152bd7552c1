/**
 * Match keys of data points and events, as `@mparticle/data-planning-node`'s `DataPlanEventValidator` builds
 * them (the oracle of our validation): `custom_event:{custom_event_type}:{event_name}`, `screen_view::{name}`,
 * `product_action:{action}`, `promotion_action:{action}`, `product_impression`, `user_attributes`, … .
 */

/** A data point's `match` (§7.2). */
export type PlanMatch = { type: string; criteria?: Record<string, unknown> };
/** An event as batches carry it (JSON reference). */
export type PlanEvent = { event_type?: unknown; data?: Record<string, unknown> | null };

const str = (v: unknown): string => (v === undefined || v === null ? "" : String(v));

/** Match types whose key is the type itself. */
const PLAIN = new Set(["breadcrumb", "crash_report", "first_run", "network_performance", "opt_out", "product_impression", "session_start", "session_end", "uninstall", "user_attributes", "user_identities"]);

/** The lookup key of a data point's match (oracle: `generateMatchKey`). */
export function pointKey(match: PlanMatch): string {
  const c = match.criteria ?? {};
  if (PLAIN.has(match.type)) return match.type;
  switch (match.type) {
    case "application_state_transition":
      return `application_state_transition:${str(c.application_transition_type)}`;
    case "custom_event":
      return `custom_event:${str(c.custom_event_type)}:${str(c.event_name)}`;
    case "screen_view":
      return `screen_view::${str(c.screen_name)}`;
    case "product_action":
    case "promotion_action":
      return `${match.type}:${str(c.action)}`;
    default:
      return "unknown";
  }
}

/** Event types whose key is a data point type of their own (oracle: `getMatchKey`). */
const EVENT_PLAIN: Record<string, string> = {
  breadcrumb: "breadcrumb",
  crash_report: "crash_report",
  first_run: "first_run",
  network_performance: "network_performance",
  opt_out: "opt_out",
  session_start: "session_start",
  session_end: "session_end",
  uninstall: "uninstall",
};

/** The lookup key of an event, or null when its type cannot be planned (oracle: `getMatchKey`). */
export function eventKey(e: PlanEvent): string | null {
  const t = e.event_type;
  const d = e.data ?? undefined;
  if (typeof t === "string" && EVENT_PLAIN[t]) return EVENT_PLAIN[t]!;
  switch (t) {
    case "application_state_transition":
      return `application_state_transition:${str(d?.application_transition_type)}`;
    case "screen_view":
      return `screen_view::${str(d?.screen_name)}`;
    case "commerce_event": {
      if (!d) return "";
      const pa = d.product_action as { action?: unknown } | undefined;
      const pr = d.promotion_action as { action?: unknown } | undefined;
      if (pa) return `product_action:${str(pa.action)}`;
      if (pr) return `promotion_action:${str(pr.action)}`;
      if (d.product_impressions) return "product_impression";
      return "";
    }
    case "custom_event":
      return d ? `custom_event:${str(d.custom_event_type)}:${str(d.event_name)}` : null;
    default:
      return null;
  }
}

/** The match reported for an unplanned event (oracle: `synthesizeMatch`). */
export function synthesizeMatch(e: PlanEvent): PlanMatch {
  const d = e.data ?? undefined;
  switch (e.event_type) {
    case "session_start":
    case "session_end":
    case "crash_report":
    case "opt_out":
    case "first_run":
    case "network_performance":
    case "breadcrumb":
    case "uninstall":
      return { type: e.event_type };
    case "screen_view":
      return { type: "screen_view", criteria: { screen_name: d ? d.screen_name : "" } };
    case "custom_event":
      return { type: "custom_event", criteria: { event_name: d?.event_name || "Custom Event", custom_event_type: d?.custom_event_type || "other" } };
    case "application_state_transition":
      return { type: "application_state_transition", criteria: { application_transition_type: d?.application_transition_type || "unknown" } };
    case "commerce_event": {
      const pa = d?.product_action as { action?: unknown } | undefined;
      const pr = d?.promotion_action as { action?: unknown } | undefined;
      if (pa) return { type: "product_action", criteria: { action: pa.action } };
      if (pr) return { type: "promotion_action", criteria: { action: pr.action } };
      if (d?.product_impressions) return { type: "product_impression" };
      return { type: "unknown" };
    }
    default:
      return { type: "unknown" };
  }
}

/** The name an unplanned event is reported under (oracle: `getEventKey`). */
export function eventName(e: PlanEvent): string {
  const d = e.data ?? undefined;
  const k = e.event_type === "custom_event" ? d?.event_name : e.event_type === "screen_view" ? d?.screen_name : undefined;
  return (k as string) || String(e.event_type);
}
