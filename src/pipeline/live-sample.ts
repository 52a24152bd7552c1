/**
 * The pipeline's side of the Live Stream (src/durable/live-stream.ts). Each consumer makes one `liveOffer` call
 * per candidate; what it costs:
 * - nobody watching: a Map lookup per offer, and one `watching()` call to the workspace's LiveStream object at
 *   most every LIVE_CHECK_MS per workspace and isolate while traffic flows (so a viewer attaching is seen by
 *   every isolate within 5 s); the sample itself is never built.
 * - someone watching: at most one sample per consumer invocation (the first offer of a watched workspace wins) and
 *   one per LIVE_ISOLATE_INTERVAL_MS per workspace and isolate, built lazily, sent to the object, which fans out at
 *   most LIVE_MAX_PER_SECOND per workspace.
 * The calls run in the background: `livePending(batch)` is handed to `ctx.waitUntil` by the queue handler.
 */
import type { LiveSample } from "../durable/live-stream";
import type { JobResult } from "../forward/job-results";
import { isGroup } from "../lib/group-send";
import { log } from "../lib/log";
import { type LoadMap, loadOnce, type SharedLoad } from "../lib/shared-load";
import type { ForwardJob, IngestMessage } from "./messages";

/** How old a workspace's "is anyone watching" answer may be (the bound: seen within 5 s). */
export const LIVE_CHECK_MS = 5000;
/**
 * Samples one isolate sends per workspace at most every this many ms (4 a second): with many consumer invocations in
 * flight, the object is not called more often than isolates × 4 a second, and fans out at most LIVE_MAX_PER_SECOND.
 */
export const LIVE_ISOLATE_INTERVAL_MS = 250;
/** Workspaces remembered per isolate (bounds memory; a forgotten one just asks again). */
const MAX_WORKSPACES = 10_000;

/**
 * `watching` is the answer shared as plain data (src/lib/shared-load.ts): an invocation never chains onto another's
 * call, which never settles if that invocation is torn down mid-call (this one's `livePending` would then never end).
 */
type Watch = { checkedAt: number; watching: SharedLoad<boolean>; settled?: boolean; lastSent: { inbound?: number; outbound?: number } };
const watched = new Map<number, Watch>();
const sampled = new WeakSet<object>();
const pending = new WeakMap<object, Promise<unknown>[]>();

/**
 * `watched` as `loadOnce` reads it: a workspace's answer while fresh (LIVE_CHECK_MS from when it was asked); a new
 * answer keeps the entry's sampling state.
 */
const answers: LoadMap<number, boolean> = {
  get(workspaceId) {
    const w = watched.get(workspaceId);
    return w && Date.now() - w.checkedAt < LIVE_CHECK_MS ? w.watching : undefined;
  },
  set(workspaceId, load) {
    const w = watched.get(workspaceId);
    if (watched.size >= MAX_WORKSPACES) watched.clear();
    watched.set(workspaceId, { checkedAt: load.started, watching: load, settled: w?.settled, lastSent: w?.lastSent ?? {} });
  },
  delete: (workspaceId) => watched.delete(workspaceId),
};

/** Whether anyone watches the workspace's Live Stream (asked at most once per LIVE_CHECK_MS and isolate; false when the ask fails). */
function watching(env: Pick<Env, "LIVE_STREAM">, workspaceId: number): Promise<boolean> {
  return loadOnce(answers, workspaceId, () =>
    env.LIVE_STREAM.getByName(String(workspaceId))
      .watching()
      .then((n) => n > 0)
      .catch(() => false),
  );
}

/**
 * Offers a sample of `invocation` (the consumer's message batch) for `workspaceId`; `build` runs only when a viewer
 * is attached and no sample of this invocation was taken yet. Never throws, never awaited by the consumer.
 */
export function liveOffer(env: Pick<Env, "LIVE_STREAM">, invocation: object, workspaceId: number, lane: "inbound" | "outbound", build: () => LiveSample | null): void {
  if (sampled.has(invocation)) return;
  const now = Date.now();
  const w = watched.get(workspaceId);
  // Known unwatched and fresh: the hot path's whole cost.
  if (w && now - w.checkedAt < LIVE_CHECK_MS && w.settled === false) return;
  // Watched, but this isolate sent a sample of the workspace less than LIVE_ISOLATE_INTERVAL_MS ago.
  const last = w?.lastSent[lane];
  if (last !== undefined && now - last < LIVE_ISOLATE_INTERVAL_MS) return;
  const p = watching(env, workspaceId).then(async (yes) => {
    const entry = watched.get(workspaceId);
    if (entry) entry.settled = yes;
    if (!yes || sampled.has(invocation)) return;
    const sent = entry?.lastSent[lane];
    if (sent !== undefined && Date.now() - sent < LIVE_ISOLATE_INTERVAL_MS) return;
    if (entry) entry.lastSent[lane] = Date.now();
    sampled.add(invocation);
    const sample = build();
    if (sample) await env.LIVE_STREAM.getByName(String(workspaceId)).publish(sample);
  }).catch((err) => log.warn("live stream sample failed", { workspace_id: workspaceId, error: String(err) }));
  const list = pending.get(invocation) ?? [];
  list.push(p);
  pending.set(invocation, list);
}

/** Resolves when the invocation's live-stream calls are done (for `ctx.waitUntil`). */
export function livePending(invocation: object): Promise<unknown> {
  return Promise.all(pending.get(invocation) ?? []);
}

type Events = { event_type?: string; data?: Record<string, unknown> | null }[] | undefined;
const typesOf = (events: Events) => [...new Set((events ?? []).map((e) => String(e.event_type ?? "")))];
const namesOf = (events: Events) => [...new Set((events ?? []).map((e) => e.data?.event_name ?? e.data?.screen_name).filter((n): n is string => typeof n === "string"))];
const mpidOf = (b: Record<string, unknown>) => (b.mpid == null ? null : String(b.mpid));

/**
 * Data plan validation results of the batches of this isolate's invocations (only batches that had any), by batch
 * part (`batchId:eventOffset`: rules may hand the plan stage a new object for the same part). Taken by the sample
 * or forgotten when the isolate holds too many (nobody watching: the next invocation starts over).
 */
const validations = new Map<string, unknown[]>();
const MAX_VALIDATIONS = 1000;
const partKey = (item: { batchId: string; eventOffset?: number }) => `${item.batchId}:${item.eventOffset ?? 0}`;

/** The plan stage's hook: the batch's validation results, shown with its inbound sample. */
export function liveValidation(item: { batchId: string; eventOffset?: number }, results: unknown[]): void {
  if (validations.size >= MAX_VALIDATIONS) validations.clear();
  validations.set(partKey(item), results);
}

/**
 * The ingest consumer's hook, called once the invocation's batches went through the plan stage (so a sample shows
 * the batch's data plan validation results): offers the invocation's first batch of each workspace (one sample at
 * most is taken). */
export function liveInbound(env: Pick<Env, "LIVE_STREAM">, invocation: { messages: readonly { body: unknown }[] }): void {
  const seen = new Set<number>();
  for (const m of invocation.messages) {
    for (const part of (isGroup<IngestMessage>(m.body) ? m.body.parts : [m.body]) as (IngestMessage | undefined)[]) {
      if (part?.type !== "ingest" || seen.has(part.workspaceId) || !part.items?.length) continue;
      seen.add(part.workspaceId);
      const item = part.items[0]!;
      liveOffer(env, invocation, part.workspaceId, "inbound", () => ({
        kind: "inbound", at: part.receivedAt, workspaceId: part.workspaceId, inputId: part.inputId, environment: item.batch.environment === "development" ? "development" : "production",
        mpid: mpidOf(item.batch), eventTypes: typesOf(item.batch.events), eventNames: namesOf(item.batch.events),
        detail: { batch_id: item.batchId, input_id: part.inputId, channel: part.channel, batch: item.batch, validation_results: validations.get(partKey(item)) ?? [] },
      }));
    }
  }
}

/** The forward consumer's hook: offers the connection's first job, what it was sent and the partner's answer. */
export function liveOutbound(env: Pick<Env, "LIVE_STREAM">, invocation: object, connectionId: number, job: ForwardJob | undefined, result: JobResult | undefined): void {
  if (job) liveOffer(env, invocation, job.workspaceId, "outbound", () => outboundSample(connectionId, job, result));
}

/** Request bodies shown on the Live Stream are cut at this many characters. */
export const LIVE_REQUEST_BODY_MAX = 64 * 1024;
const SECRET_HEADER = /authorization|api[-_]?key|token|secret|signature|password/i;

/**
 * The exact HTTP request the partner was sent, as the Live Stream shows it: the connection's secret values replaced
 * by "[secret]" wherever they appear (URL, headers, body), credential headers redacted, the body cut at 64 KB.
 */
export function shownRequest(result: Pick<JobResult, "request" | "secrets"> | undefined): { method: string; url: string; headers: Record<string, string>; body: string | null; truncated: boolean } | null {
  const req = result?.request;
  if (!req) return null;
  const secrets = (result.secrets ?? []).filter((x) => x.length >= 4);
  const hide = (v: string) => secrets.reduce((acc, x) => acc.split(x).join("[secret]"), v);
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) headers[k] = SECRET_HEADER.test(k) ? (/^(\w+) /.exec(v)?.[1] ?? "") + (/^\w+ /.test(v) ? " " : "") + "[redacted]" : hide(v);
  const body = req.body === undefined ? null : hide(req.body);
  return { method: req.method, url: hide(req.url), headers, body: body && body.length > LIVE_REQUEST_BODY_MAX ? body.slice(0, LIVE_REQUEST_BODY_MAX) : body, truncated: (body?.length ?? 0) > LIVE_REQUEST_BODY_MAX };
}

function outboundSample(connectionId: number, job: ForwardJob | undefined, result: JobResult | undefined): LiveSample | null {
  if (!job) return null;
  const b = job.batch as unknown as Record<string, unknown> & { events?: Events };
  return {
    kind: "outbound", at: Date.now(), workspaceId: job.workspaceId, inputId: job.inputId, connectionId, outputId: job.outputId,
    environment: b.environment === "development" ? "development" : "production", mpid: mpidOf(b), eventTypes: typesOf(b.events), eventNames: namesOf(b.events),
    detail: { connection_id: connectionId, output_id: job.outputId, sent: job.batch, request: shownRequest(result), outcome: result?.outcome ?? null, answer: result?.response ?? null, failures: result?.failures ?? [], dropped: result?.dropped ?? [] },
  };
}
