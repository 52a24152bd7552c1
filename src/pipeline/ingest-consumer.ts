/**
 * Ingest consumer (ARCHITECTURE.md "Data flow"): dedupe, identity, profile, outbound batch, fan-out.
 * A message is acked only after its forward jobs are queued, so a redelivery re-fans-out, never skips.
 */
import { connectionsForInput, type ResolvedConnection, workspaceSettings } from "../db/config-cache";
import { Counters } from "../db/queries/counters";
import { environmentOf } from "../schema/batch";
import type { AttributeValue } from "../durable/profile-merge";
import type { EventDetail, ProfileIdentity } from "../durable/user-profile";
import { withCalculated } from "../profile/calculated";
import { identityContextFor } from "../identity/context";
import { batchIdentities, resolveBatch } from "../identity/resolver";
import { applyConnectionFilters } from "../lib/filters";
import { log } from "../lib/log";
import { type GroupMessage, isGroup } from "../lib/group-send";
import { sendAll, sendTexts } from "../lib/queue";
import { shardQueue } from "../lib/queue-shards";
import { blockedIdentityValues } from "../identity/blocked";
import { divertHot, flowMeter, HOT_QUEUE, packHot } from "./hot-profiles";
import { packForwardJobs } from "../forward/job-groups";
import { claimRequestKeys, requestKey } from "./dedupe";
import { applyAlias } from "./alias-consumer";
import type { AliasMessage, ForwardJob, IngestItem, IngestMessage } from "./messages";
import { buildOutbound, type OutboundBatch } from "./outbound";
import { type Ingested, logIngested, sendForward, splitJob } from "./ingest-handoff";
import { privacyConfig } from "../privacy/config";
import { getIntegration } from "../integrations/registry";
import { forwardedResults, planStage } from "./plan-stage";
import { eventDetail } from "./event-detail";
import { PlanStats } from "./plan-stats";
import { liveInbound, liveValidation } from "./live-sample";
import { allOutputsStage } from "./rules-stage";
import { RuleStats } from "../db/queries/rule-stats";
import type { ConsentChange, ConsentState } from "../privacy/consent";
import { systemNotifications } from "../privacy/notifications";
import { type ConsentFanOut, connectionAllows, consentInputOf, withConsentForwarding } from "../privacy/stage";

/** Drop counter reason: identities refused because their value is blocked in the workspace (src/identity/blocked.ts). */
export const BLOCKED_IDENTITY_DROP = "blocked_identity_value";

/** Time that orders a batch's attribute writes: its latest event time, else its own timestamp, else receipt. */
function dataTime(item: IngestItem, receivedAt: number): number {
  let ts = 0;
  for (const e of item.batch.events ?? []) {
    const t = e.data?.timestamp_unixtime_ms;
    if (typeof t === "number" && t > ts) ts = t;
  }
  if (ts) return ts;
  const bt = item.batch.timestamp_unixtime_ms;
  return typeof bt === "number" ? bt : receivedAt;
}

const UNREADABLE = "unreadable ingest message";

/** Processes one consumer invocation of the `ingest` queue; `ctx`: its execution context (rules' background trials). */
export async function handleIngest(batch: MessageBatch<QueuedIngest>, env: Env, ctx?: Pick<ExecutionContext, "waitUntil">): Promise<void> {
  const waitUntil = ctx ? (p: Promise<unknown>) => ctx.waitUntil(p) : undefined;
  const now = Date.now();
  const counters = new Counters(now);
  const planStats = new PlanStats(now);
  // Rule calls happened whether or not their message is acked: counted for the whole invocation.
  const ruleStats = new RuleStats(now);

  // One RequestDedupe call per (input, shard) claims the invocation's source_request_ids (group messages: every part's).
  const claims: { inputId: number; key: string; batchId: string }[] = [];
  for (const m of batch.messages) {
    for (const part of partsOf(m.body)) {
      if (part?.type !== "ingest") continue;
      for (const item of part.items ?? []) {
        const key = requestKey(item);
        if (key) claims.push({ inputId: part.inputId, key, batchId: item.batchId });
      }
    }
  }
  let duplicates: Set<string>;
  try {
    duplicates = await claimRequestKeys(env, claims, now);
  } catch (err) {
    log.error("request dedupe failed; retrying the invocation", { error: String(err) });
    batch.retryAll({ delaySeconds: 5 });
    return;
  }

  // Messages whose forward jobs are ready; they are acked only after one hand-off of all their jobs (and of
  // the group parts that failed, queued again on their own).
  const ready: { msg: Message<QueuedIngest>; jobs: ForwardJob[]; counts: Counters; stats: PlanStats; done: Ingested[]; requeue: unknown[]; hot: IngestMessage[]; delaySeconds: number }[] = [];
  // The hot lane's own consumer applies everything it gets; the others move hot profiles' batches there.
  const hotLane = batch.queue.startsWith(HOT_QUEUE);
  const meter = hotLane ? null : flowMeter(env);
  const perInvocation = new Map<string, number>();
  await Promise.all(
    batch.messages.map(async (msg) => {
      const m = msg.body;
      if (m?.type === "alias") {
        try {
          await applyAlias(env, m);
          msg.ack();
        } catch (err) {
          log.error("alias failed; message will be retried", { workspace_id: m.workspaceId, error: String(err) });
          msg.retry({ delaySeconds: 10 });
        }
        return;
      }
      const delaySeconds = Math.min(60, 2 ** Math.min(msg.attempts, 6));
      const parts = partsOf(m);
      // The parts of a group (requests sent together) are independent: applied concurrently, each on its own.
      const results = await Promise.all(
        parts.map(async (whole): Promise<{ part: unknown; error: string } | { part: unknown; jobs: ForwardJob[]; counts: Counters; stats: PlanStats; done: Ingested[]; hot: IngestMessage | null }> => {
          if (whole?.type !== "ingest" || whole.v !== 1) return { part: whole, error: UNREADABLE };
          const counts = new Counters(now);
          const stats = new PlanStats(now);
          const done: Ingested[] = [];
          let part = whole;
          try {
            let hot: IngestMessage | null = null;
            if (meter) ({ keep: part, hot } = divertHot(whole, meter, blockedIdentityValues(await workspaceSettings(env, whole.workspaceId)), now, perInvocation));
            return { part, jobs: await processMessage(env, part, duplicates, counts, stats, done, ruleStats, waitUntil), counts, stats, done, hot };
          } catch (err) {
            // The whole part (its hot batches too: they were not queued anywhere) is retried or queued again.
            return { part: whole, error: String(err) };
          }
        }),
      );
      const failed = results.filter((r) => "error" in r);
      if (failed.length === results.length) {
        // Nothing applied (a single message, or every part of a group): the message is retried, then dead-lettered.
        const first = parts[0] as IngestMessage | undefined;
        log.error(failed[0]?.error === UNREADABLE ? UNREADABLE : "ingest failed; message will be retried", {
          message_id: msg.id, input_id: first?.inputId, workspace_id: first?.workspaceId, parts: parts.length, attempts: msg.attempts, error: failed[0]?.error,
        });
        msg.retry({ delaySeconds });
        return;
      }
      const counts = new Counters(now);
      const stats = new PlanStats(now);
      const jobs: ForwardJob[] = [];
      const done: Ingested[] = [];
      const hot: IngestMessage[] = [];
      for (const r of results) {
        if ("error" in r) continue;
        jobs.push(...r.jobs);
        counts.merge(r.counts);
        stats.merge(r.stats);
        done.push(...r.done);
        if (r.hot) hot.push(r.hot);
      }
      // A group whose other parts were applied: the failed ones go back on their own (retried alone from then on,
      // so one bad request never holds back the requests it was sent with).
      if (failed.length) {
        log.error("ingest of group parts failed; they are queued again on their own", { message_id: msg.id, parts: parts.length, failed: failed.length, attempts: msg.attempts, error: failed[0]!.error });
      }
      ready.push({ msg, jobs, counts, stats, done, requeue: failed.map((f) => f.part), hot, delaySeconds });
    }),
  );
  // The Live Stream's sample (when someone watches), with the plan stage's validation results.
  liveInbound(env, batch);

  // One hand-off for the whole invocation: the fan-out is done (and acked) only once the jobs are queued.
  try {
    // Each connection's jobs share messages (forward_group, src/forward/job-groups.ts), on the connection's queue
    // shard; the hot lane's on forward-hot.
    await sendForward(env, packForwardJobs(ready.flatMap((r) => r.jobs), splitJob), hotLane);
    // The hot profiles' batches of the whole invocation, grouped (src/pipeline/hot-profiles.ts packHot).
    const hotParts = ready.flatMap((r) => r.hot);
    if (hotParts.length) {
      await sendTexts(env.INGEST_HOT as Queue<unknown>, packHot(hotParts));
      log.info("hot profiles: batches moved to the slow lane", { queue: batch.queue, batches: hotParts.reduce((k, h) => k + h.items.length, 0) });
    }
    const acked: Ingested[] = [];
    await Promise.all(
      ready.map(async (r) => {
        if (r.requeue.length) {
          try {
            await sendAll(shardQueue(env, "INGEST", (r.requeue[0] as IngestMessage).inputId ?? 0), r.requeue, { delaySeconds: r.delaySeconds });
          } catch (err) {
            // Retried whole: the applied parts are applied again (idempotent per batch id) and forwarded again.
            log.error("queueing failed group parts failed; the message will be retried", { message_id: r.msg.id, error: String(err) });
            r.msg.retry({ delaySeconds: 5 });
            return;
          }
        }
        r.msg.ack();
        counters.merge(r.counts);
        planStats.merge(r.stats);
        acked.push(...r.done);
      }),
    );
    logIngested(acked);
  } catch (err) {
    log.error("forward or hot-lane hand-off failed; messages will be retried", { messages: ready.length, error: String(err) });
    for (const r of ready) r.msg.retry({ delaySeconds: 5 });
  }

  try {
    // Counters and data plan validation counts: one D1 batch per invocation, never per batch.
    const stmts = [...counters.statements(env.DB), ...planStats.statements(env.DB), ...ruleStats.statements(env.DB)];
    if (stmts.length) await env.DB.batch(stmts);
  } catch (err) {
    log.error("counter write failed", { error: String(err) });
  }
}

/** A message on the ingest queue: one request's batches, an alias, or a group of requests sent together. */
type QueuedIngest = IngestMessage | AliasMessage | GroupMessage<IngestMessage>;

/** The ingest messages a queue body carries: a group's parts, else the body itself. */
function partsOf(body: QueuedIngest | undefined): (IngestMessage | AliasMessage | undefined)[] {
  return isGroup<IngestMessage>(body) ? body.parts : [body];
}

/** One request's message: its batches in order (duplicates of a source_request_id skipped); returns its forward jobs. */
async function processMessage(env: Env, m: IngestMessage, duplicates: Set<string>, counters: Counters, stats: PlanStats, done: Ingested[], ruleStats: RuleStats, waitUntil?: (p: Promise<unknown>) => void): Promise<ForwardJob[]> {
  const connections = await connectionsForInput(env, m.inputId);
  const jobs: ForwardJob[] = [];
  const fresh: IngestItem[] = [];
  for (const item of m.items) {
    const key = requestKey(item);
    const events = item.batch.events?.length ?? 0;
    if (key && duplicates.has(`${m.inputId}|${key}|${item.batchId}`)) {
      counters.input(m.inputId, { duplicate_batches: 1, duplicate_events: events });
      log.info("duplicate source_request_id dropped", { input_id: m.inputId, workspace_id: m.workspaceId, batch_id: item.batchId, source_request_id: key });
      continue;
    }
    fresh.push(item);
  }
  // The input's All-Outputs rules first (src/pipeline/rules-stage.ts), then each batch in order.
  for (const item of await allOutputsStage(env, m, fresh, counters, ruleStats, waitUntil)) {
    if (item) jobs.push(...(await processItem(env, m, item, connections, counters, stats, done)));
  }
  counters.input(m.inputId, { limit_corrections: m.limitCorrections });
  return jobs;
}

/**
 * One batch: the data plan stage (validation, blocking, quarantine) first, then the profile and the fan-out
 * with what the plan let through (ARCHITECTURE.md "Stage order").
 */
async function processItem(env: Env, m: IngestMessage, item: IngestItem, connections: ResolvedConnection[], counters: Counters, stats: PlanStats, done: Ingested[]): Promise<ForwardJob[]> {
  const staged = await planStage(env, m, item, counters, stats);
  if (staged.results.length) liveValidation(item, staged.results);
  const validation = staged.results.length ? forwardedResults(item, staged.results) : null;
  const jobs = await processStaged(env, m, staged.item, connections, counters, done, staged.indexes, validation);
  return staged.quarantine ? [staged.quarantine, ...jobs] : jobs;
}

async function processStaged(
  env: Env,
  m: IngestMessage,
  item: IngestItem,
  connections: ResolvedConnection[],
  counters: Counters,
  done: Ingested[],
  indexes: number[] | null,
  validation: unknown[] | null,
): Promise<ForwardJob[]> {
  const b = item.batch;
  const originalIndex = (i: number) => (indexes ? indexes[i]! : i);
  const events = b.events ?? [];
  const protection = m.protection ?? "create_update";
  let mpid: string;
  let identities: ProfileIdentity[];
  let attributes: Record<string, AttributeValue>;
  let duplicates: number[] = [];
  // Consent of the batch and GPC, applied in the same UserProfile.ingest call (src/privacy/).
  const privacy = privacyConfig(await workspaceSettings(env, m.workspaceId));
  const consent = consentInputOf(m, item, privacy, counters);
  let consentState: ConsentState = consent.batchState;
  let consentChanges: ConsentChange[] = [];
  if (protection === "read_only") {
    // Only Read: forwarded as received; profiles and identity records are not touched or associated.
    mpid = typeof b.mpid === "string" ? b.mpid : "0";
    identities = batchIdentities(b as Parameters<typeof batchIdentities>[0]).map((id) => ({ ...id, firstSeen: m.receivedAt, createdThisBatch: false }));
    attributes = (b.user_attributes ?? {}) as Record<string, AttributeValue>;
  } else {
    const resolved = await resolveBatch(
      await identityContextFor(env, { organizationId: m.organizationId, accountId: m.accountId ?? 0, workspaceId: m.workspaceId }),
      b as Parameters<typeof resolveBatch>[1],
      {
        workspaceId: m.workspaceId,
        batchId: item.batchId,
        ts: dataTime(item, m.receivedAt),
        source: { input: m.inputId, rank: m.sourceRank ?? 1 },
        userAttributes: (b.user_attributes ?? undefined) as Record<string, AttributeValue> | undefined,
        deletedUserAttributes: Array.isArray(b.deleted_user_attributes) ? (b.deleted_user_attributes as string[]) : undefined,
        messageIds: events.map((e) => (typeof e.data?.source_message_id === "string" ? e.data.source_message_id : null)),
        events: events.map((e, i) => ({
          id: typeof e.data?.source_message_id === "string" ? e.data.source_message_id : `${item.batchId}:${item.eventOffset + originalIndex(i)}`,
          eventType: e.event_type,
          name: eventName(e),
          ts: typeof e.data?.timestamp_unixtime_ms === "number" ? e.data.timestamp_unixtime_ms : m.receivedAt,
          ...detailOf(e),
        })),
        // The workspace's active calculated attributes and its audiences: one snapshot each for the whole batch,
        // read by the profile from its isolate's configuration cache (src/durable/profile/module-inputs.ts).
        moduleInputs: "workspace",
        ...(consent.input ? { consent: consent.input } : {}),
        ...(m.identityWrites === "add_only" ? { keep: "all" as const } : {}),
      },
      { create: protection === "create_update" },
    );
    if (!resolved) {
      // Only Update: data of users no profile matches is dropped, counted, not forwarded.
      counters.input(m.inputId, { unknown_users_dropped: 1 });
      log.info("unknown user dropped (input protection: only update)", { input_id: m.inputId, workspace_id: m.workspaceId, batch_id: item.batchId });
      return [];
    }
    ({ mpid } = resolved);
    ({ identities, attributes, duplicates } = resolved.profile);
    // Calculated attributes go out as user attributes; a CA wins over a same-named attribute (audiences.md §3).
    attributes = withCalculated(attributes, resolved.profile.modules.calculatedAttributes?.values);
    consentState = resolved.profile.consent;
    consentChanges = resolved.profile.consentChanges;
    counters.drop(m.inputId, "consent_older_ignored", resolved.profile.consentStale);
    counters.drop(m.inputId, BLOCKED_IDENTITY_DROP, resolved.blocked);
  }
  counters.input(m.inputId, { batches: item.part && item.part.index > 0 ? 0 : 1, events: events.length - duplicates.length, duplicate_events: duplicates.length });

  // Historical data updates profiles but is not forwarded to event outputs (mparticle-api.md §1.5).
  const applied = (): ForwardJob[] => (done.push({ inputId: m.inputId, workspaceId: m.workspaceId, batchId: item.batchId, mpid, events: events.length, jobs: 0, forwardedEvents: 0 }), []);
  if (m.historical) return applied();
  // Every event was a duplicate: nothing new to forward (unless the batch changed the user's consent).
  if (events.length > 0 && duplicates.length === events.length && !consentChanges.length) return applied();
  const forwarded = privacy.systemNotifications ? consentChanges : [];
  const consentOut: ConsentFanOut = { state: consentState, changes: forwarded, batchId: item.batchId };

  const outbound: OutboundBatch = await buildOutbound({
    batch: b,
    batchId: item.batchId,
    eventOffset: item.eventOffset,
    mpid,
    receivedAt: m.receivedAt,
    channel: m.channel,
    historical: m.historical,
    ...(m.importId ? { importId: m.importId } : {}),
    identities,
    attributes,
    duplicates,
    ...(indexes ? { eventIndexes: indexes } : {}),
    consent: consentState,
    notifications: systemNotifications(forwarded),
  });

  const env_ = environmentOf(b);
  const jobs: ForwardJob[] = [];
  for (const c of connections) {
    const active = env_ === "development" ? c.statusDevelopment : c.statusProduction;
    if (active !== "active") continue;
    // Consent forwarding rules, per user, with the state after this batch (src/privacy/rules.ts).
    if (!connectionAllows(c, consentOut)) {
      counters.connection(c.id, { inbound_batches: 1, inbound_events: outbound.events.length, consent_dropped_events: outbound.events.length });
      counters.drop(m.inputId, "consent_forwarding_rule", 1);
      continue;
    }
    // Data point filters of the connection (Platform API); a batch whose events were all filtered is not sent.
    const { batch: filtered, filteredEvents } = applyConnectionFilters(outbound, c.filters);
    counters.connection(c.id, { inbound_batches: 1, inbound_events: outbound.events.length, filtered_events: filteredEvents });
    const consented = withConsentForwarding(filtered, c, consentOut);
    if (outbound.events.length > 0 && consented.events.length === 0) continue;
    // Validation results go only to outputs that ask for them (webhook): the others never see the field.
    const batch = validation && getIntegration(c.integration)?.validationResults ? { ...consented, validation_results: validation } : consented;
    jobs.push({ v: 1, type: "forward", connectionId: c.id, outputId: c.outputId, connectionCreatedAt: c.createdAt, workspaceId: c.workspaceId, inputId: m.inputId, batch });
  }
  let forwardedEvents = 0;
  for (const j of jobs) forwardedEvents += j.batch.events.length;
  done.push({ inputId: m.inputId, workspaceId: m.workspaceId, batchId: item.batchId, mpid, events: outbound.events.length, jobs: jobs.length, forwardedEvents });
  return jobs;
}

/** The event's detail for the profile's modules, as a spreadable field. */
function detailOf(e: { event_type: string; data?: Record<string, unknown> | null }): { detail?: EventDetail } {
  const detail = eventDetail(e);
  return detail ? { detail } : {};
}

function eventName(e: { event_type: string; data?: Record<string, unknown> | null }): string | null {
  const d = e.data ?? {};
  const name = d.event_name ?? d.screen_name;
  return typeof name === "string" ? name : null;
}
