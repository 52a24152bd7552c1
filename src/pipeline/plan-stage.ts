/**
 * Data plan stage of the ingest consumer (§7.3; docs/data-plans.md): runs after an input's All-Outputs rules
 * (when they exist) and before the profile store. A batch carrying `context.data_plan` is validated against
 * the pinned version, else the latest version active for its environment; results are counted per version
 * (PlanStats), unplanned data the version blocks is removed before storage and forwarding, and — when the
 * version names a quarantine connection — the original batch with the block metadata is queued to it.
 * A batch naming an unknown plan (or one without a usable version) is stored unvalidated and counted as a
 * warning (`input_counters.data_plan_not_found`); blocked events are counted in `drop_counters`.
 */
import { connectionById } from "../db/config-cache";
import type { Counters } from "../db/queries/counters";
import { cachedPlan, loadedVersion } from "../dataplans/plan-cache";
import { applyBlocking, type BlockedData } from "../dataplans/block";
import { chooseVersion } from "../dataplans/result";
import { type IndexedResult, validateForIngest } from "../dataplans/validator";
import { BATCH_TO_IDSYNC } from "../identity/identity-types";
import { stableIdRange } from "../lib/ids";
import { log } from "../lib/log";
import type { ForwardJob, IngestItem, IngestMessage } from "./messages";
import type { PlanStats } from "./plan-stats";

/** What the stage hands on: the batch to store and forward, and what it found. */
export type PlanOutcome = {
  item: IngestItem;
  /** Original index of each kept event (null: no event was removed). */
  indexes: number[] | null;
  /** Results of violating events, for outputs that ask for them. */
  results: IndexedResult[];
  quarantine: ForwardJob | null;
};

/** `drop_counters` reasons written by this stage. */
export const PLAN_REASONS = { blockedEvents: "data_plan_blocked_events", quarantineMissing: "data_plan_quarantine_missing" } as const;

/** Identity types compared in one vocabulary (a plan may say `customerid` or `customer_id`, §2.9). */
const identityName = (k: string) => BATCH_TO_IDSYNC[k] ?? k;

function planRef(batch: Record<string, unknown>): { planId: string; version?: number } | null {
  const dp = (batch.context as { data_plan?: { plan_id?: unknown; plan_version?: unknown } } | undefined)?.data_plan;
  if (!dp || typeof dp.plan_id !== "string" || !dp.plan_id) return null;
  const v = Number(dp.plan_version);
  return { planId: dp.plan_id, ...(dp.plan_version !== undefined && dp.plan_version !== null && Number.isSafeInteger(v) ? { version: v } : {}) };
}

/** Applies the batch's data plan (if any) to one ingest item. */
export async function planStage(env: Env, m: IngestMessage, item: IngestItem, counters: Counters, stats: PlanStats): Promise<PlanOutcome> {
  const none: PlanOutcome = { item, indexes: null, results: [], quarantine: null };
  stats.catalog.observe(m.workspaceId, item.batch, m.receivedAt);
  const ref = planRef(item.batch);
  if (!ref) return none;
  const environment = item.batch.environment === "development" ? "development" : "production";
  const cached = await cachedPlan(env, m.workspaceId, ref.planId);
  const choice = chooseVersion(ref.planId, cached?.versions ?? null, ref.version, environment);
  const loaded = "version" in choice ? await loadedVersion(env, cached!.plan, choice.version) : null;
  if (!loaded || !("version" in choice)) {
    counters.input(m.inputId, { data_plan_not_found: 1 });
    log.warn("data plan not found; batch stored without validation", { input_id: m.inputId, workspace_id: m.workspaceId, batch_id: item.batchId, plan_id: ref.planId, plan_version: ref.version, reason: "error_message" in choice ? choice.error_message : "version deleted" });
    return none;
  }
  const version = choice.version;
  let results: IndexedResult[];
  try {
    results = validateForIngest(loaded.compiled, item.batch);
  } catch (err) {
    // A stored schema the engine cannot run (the API refuses those; older rows might not be): never lose the batch.
    counters.input(m.inputId, { data_plan_not_found: 1 });
    log.error("data plan validation failed; batch stored without validation", { input_id: m.inputId, workspace_id: m.workspaceId, batch_id: item.batchId, plan_id: ref.planId, plan_version: version.version, error: String(err) });
    return none;
  }
  for (const r of results) for (const e of r.data.validation_errors) stats.count(version.id, r.dataPoint, e.validation_error_type);
  if (results.length) {
    const first = results[0]!;
    stats.example(version.id, { received_at: m.receivedAt, batch_id: item.batchId, input_id: m.inputId, environment, data_point: first.dataPoint, ...(first.eventIndex !== undefined ? { event_index: item.eventOffset + first.eventIndex } : {}), validation_errors: first.data.validation_errors });
  }
  const { batch, indexes, blocked } = applyBlocking(loaded.compiled, version.blocking, item.batch, identityName);
  if (!blocked) return { ...none, results };
  counters.drop(m.inputId, PLAN_REASONS.blockedEvents, blocked.events.length);
  const quarantine = version.quarantineConnectionId ? await quarantineJob(env, m, item, blocked, { planId: ref.planId, version: version.version, connectionId: version.quarantineConnectionId }, counters) : null;
  return { item: { ...item, batch: batch as IngestItem["batch"] }, indexes: blocked.events.length ? indexes : null, results, quarantine };
}

/** The quarantine job: the original batch and what was blocked, on the version's quarantine connection. */
async function quarantineJob(env: Env, m: IngestMessage, item: IngestItem, blocked: BlockedData, plan: { planId: string; version: number; connectionId: number }, counters: Counters): Promise<ForwardJob | null> {
  const c = await connectionById(env, plan.connectionId);
  if (!c || c.workspaceId !== m.workspaceId) {
    counters.drop(m.inputId, PLAN_REASONS.quarantineMissing, 1);
    log.warn("quarantine connection not found; blocked data dropped", { input_id: m.inputId, workspace_id: m.workspaceId, batch_id: item.batchId, connection_id: plan.connectionId });
    return null;
  }
  const environment = item.batch.environment === "development" ? "development" : "production";
  return {
    v: 1,
    type: "forward",
    connectionId: c.id,
    outputId: c.outputId,
    workspaceId: m.workspaceId,
    inputId: m.inputId,
    batch: {
      batch_id: item.batchId,
      mpid: typeof item.batch.mpid === "string" ? item.batch.mpid : "0",
      environment,
      schema_version: 2,
      timestamp_unixtime_ms: m.receivedAt,
      source_info: { channel: m.channel },
      user_identities: [],
      user_attributes: {},
      events: [],
      data_plan_block: {
        plan_id: plan.planId,
        plan_version: plan.version,
        input_id: m.inputId,
        channel: m.channel,
        received_at: m.receivedAt,
        event_offset: item.eventOffset,
        ...(item.part ? { part: item.part } : {}),
        blocked,
      },
      original_batch: item.batch,
    },
  };
}

/** Validation results as outputs receive them (§7.2): the violating event's outbound id and source message id. */
export function forwardedResults(item: IngestItem, results: IndexedResult[]): unknown[] {
  const eventId = stableIdRange(`${item.batchId}:events`);
  return results.map(({ eventIndex, dataPoint: _d, ...r }) => {
    if (eventIndex === undefined) return r;
    const smid = item.batch.events?.[eventIndex]?.data?.source_message_id;
    return { ...r, data: { ...r.data, validated_event_id: eventId(item.eventOffset + eventIndex), ...(typeof smid === "string" ? { validated_source_message_id: smid } : {}) } };
  });
}
