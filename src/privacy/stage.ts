/**
 * The consent stage of the ingest consumer: what a batch asks the user's profile to record (its
 * `consent_state` and GPC, filtered by the workspace's privacy settings; the rest counted), and per
 * connection, whether the user's data flows and how consent changes ride along.
 */
import type { ResolvedConnection } from "../db/config-cache";
import type { Counters } from "../db/queries/counters";
import { SOURCE_RANK } from "../durable/profile-merge";
import { getIntegration } from "../integrations/registry";
import type { IngestItem, IngestMessage } from "../pipeline/messages";
import type { OutboundBatch, OutboundEvent } from "../pipeline/outbound";
import type { PrivacyConfig } from "./config";
import { type ConsentChange, type ConsentInput, type ConsentState, consentEntries, gpcEntry, toConsentState } from "./consent";
import { consentEvents } from "./notifications";
import { consentAllows } from "./rules";

/**
 * Consent entries of a batch that came through a partner feed: "Consent can only be set with platform or
 * custom-feed credentials, not partner feeds" (mparticle-api.md §2.10). Counts one drop per purpose record.
 */
function partnerFeedDrops(consentState: unknown): number {
  if (!consentState || typeof consentState !== "object") return 0;
  let n = 0;
  for (const purposes of Object.values(consentState as Record<string, unknown>)) {
    if (purposes && typeof purposes === "object") for (const v of Object.values(purposes as Record<string, unknown>)) if (v !== null && v !== undefined) n++;
  }
  return n;
}

/**
 * The consent input of one batch part for `UserProfile.ingest`, and the state the batch alone describes
 * (used when profiles are not touched: input protection "read only"). Drops are counted once per batch
 * (on its first part; every part repeats the batch's `consent_state`). Partner feeds set no consent: their
 * records are dropped and counted as `consent_partner_feed`.
 */
export function consentInputOf(m: IngestMessage, item: IngestItem, privacy: PrivacyConfig, counters: Counters): { input?: ConsentInput; batchState: ConsentState } {
  const firstPart = !item.part || item.part.index === 0;
  if (m.sourceRank === SOURCE_RANK.partner_feed) {
    const n = partnerFeedDrops(item.batch.consent_state);
    if (firstPart && n > 0) counters.drop(m.inputId, "consent_partner_feed", n);
    return { batchState: {} };
  }
  const { entries, dropped } = consentEntries(item.batch.consent_state, privacy);
  if (firstPart) for (const [reason, n] of Object.entries(dropped)) counters.drop(m.inputId, reason, n);
  const gpc = m.gpc ? gpcEntry(privacy, m.receivedAt, entries) : null;
  const all = gpc ? [...entries, gpc] : entries;
  if (!all.length) return { batchState: {} };
  return { input: { key: `${item.batchId}:${item.eventOffset}`, entries, ...(gpc ? { gpc } : {}) }, batchState: toConsentState(all) };
}

/** Per-batch consent facts the fan-out applies to each connection. */
export type ConsentFanOut = {
  /** The user's state after the batch: what the connections' rules test. */
  state: ConsentState;
  /** Changes to forward (empty when none, or when the workspace turned consent forwarding off). */
  changes: ConsentChange[];
  batchId: string;
  /** Consent events, built once for every connection that takes them. */
  events?: OutboundEvent[];
};

/** Whether the connection's consent forwarding rules let this user's data through (malformed rules: no). */
export function connectionAllows(c: ResolvedConnection, f: ConsentFanOut): boolean {
  return !c.consentRulesInvalid && consentAllows(c.consentRules, f.state);
}

/**
 * The batch as the connection receives it: `system_notifications` kept only for outputs that take them (and
 * whose connection did not turn them off), "Consent Given/Rejected" events appended for outputs that take
 * those. Returns `batch` itself when nothing changes.
 */
export function withConsentForwarding(batch: OutboundBatch, c: ResolvedConnection, f: ConsentFanOut): OutboundBatch {
  const mode = getIntegration(c.integration)?.consentForwarding;
  let out = batch;
  if (out.system_notifications && (mode !== "system_notifications" || c.settings.systemNotifications === false)) {
    const { system_notifications: _sn, ...rest } = out;
    out = rest as OutboundBatch;
  }
  if (mode === "custom_events" && f.changes.length) out = { ...out, events: [...out.events, ...(f.events ??= consentEvents(f.changes, f.batchId, batch.timestamp_unixtime_ms))] };
  return out;
}
