/**
 * Per-profile flow limit: one user (a shared `customerid`, a load test, a bot) sending thousands of batches
 * a second would serialize every invocation that carries them on that user's UserProfile object, and with
 * them everyone else's batches of the same invocation. Beyond HOT_PROFILE_BATCHES_PER_SECOND batches of one
 * profile per second in this isolate, its batches go to the `ingest-hot` queue (a slower lane with its own
 * small consumer, whose forward jobs go to `forward-hot`, also with its own small consumer) and the invocation
 * moves on. Nothing is dropped; order per user is restored by event
 * timestamps in the profile, as for any batch.
 */
import { packGroups } from "../lib/group-send";
import { utf8Bytes } from "../lib/queue";
import { countVar } from "../lib/shard";
import { isBlockedValue } from "../identity/blocked";
import type { IngestItem, IngestMessage } from "./messages";

/** Default when HOT_PROFILE_BATCHES_PER_SECOND is unset: ~20 batches/s is far above any human's traffic. */
export const DEFAULT_HOT_PROFILE_BATCHES_PER_SECOND = 20;
/** The hot lane's queue name prefix (its consumer never diverts again). */
export const HOT_QUEUE = "ingest-hot";
/** The hot lane's forward queue (FORWARD_HOT): its jobs never wait ahead of everyone else's on `forward`. */
export const FORWARD_HOT_QUEUE = "forward-hot";

/**
 * The profile key of a batch before identity resolution: its MPID, else its first identity value that is
 * not blocked, else its device stamp. Null for a batch without any (it becomes a new anonymous profile).
 */
export function profileKey(m: Pick<IngestMessage, "workspaceId">, item: IngestItem, blocked: ReadonlySet<string>): string | null {
  const b = item.batch;
  if (typeof b.mpid === "string" && b.mpid !== "" && b.mpid !== "0") return `${m.workspaceId}|m|${b.mpid}`;
  if (typeof b.mpid === "number" && b.mpid !== 0) return `${m.workspaceId}|m|${b.mpid}`;
  const ids = b.user_identities;
  if (ids && typeof ids === "object") {
    for (const [type, v] of Object.entries(ids as Record<string, unknown>)) {
      if (typeof v === "string" && v !== "" && !isBlockedValue(blocked, v)) return `${m.workspaceId}|${type}|${v}`;
    }
  }
  if (typeof b.mp_deviceid === "string" && b.mp_deviceid !== "" && !isBlockedValue(blocked, b.mp_deviceid)) return `${m.workspaceId}|d|${b.mp_deviceid}`;
  return null;
}

/** Once over its limit, a profile stays in the slow lane this long (its backlog there must not meet new batches here). */
export const HOT_COOLDOWN_MS = 10_000;
/** Batches of one profile one invocation applies at most (the rest wait on that profile, not on everyone). */
export const PER_INVOCATION_MAX = 4;
/** Hot profiles remembered at most (the oldest are forgotten first). */
const HOT_MAX = 10_000;

/**
 * Counts batches per profile key in one-second windows (memory: the keys of the current second, and the hot
 * ones); a key over the limit is hot for HOT_COOLDOWN_MS after its last excess.
 */
export class FlowMeter {
  private second = -1;
  private counts = new Map<string, number>();
  private hot = new Map<string, number>();

  constructor(readonly perSecond: number) {}

  /** Counts one batch of `key` at `now`; true when it should take the slow lane. */
  over(key: string, now: number): boolean {
    const s = Math.floor(now / 1000);
    if (s !== this.second) {
      this.second = s;
      this.counts.clear();
    }
    const n = (this.counts.get(key) ?? 0) + 1;
    this.counts.set(key, n);
    const until = this.hot.get(key);
    if (n > this.perSecond || (until !== undefined && until > now)) {
      this.hot.delete(key);
      this.hot.set(key, now + HOT_COOLDOWN_MS);
      if (this.hot.size > HOT_MAX) this.hot.delete(this.hot.keys().next().value!);
      return true;
    }
    if (until !== undefined) this.hot.delete(key);
    return false;
  }
}

let meter: FlowMeter | undefined;

/** The isolate's meter for the configured limit. */
export function flowMeter(env: Pick<Env, "HOT_PROFILE_BATCHES_PER_SECOND">): FlowMeter {
  const limit = countVar(env.HOT_PROFILE_BATCHES_PER_SECOND, DEFAULT_HOT_PROFILE_BATCHES_PER_SECOND, 1_000_000);
  if (meter?.perSecond !== limit) meter = new FlowMeter(limit);
  return meter;
}

/**
 * Splits a message's items: those of profiles within their flow stay, the others form a message of their
 * own for the hot lane (null when none). `perInvocation` counts batches per profile over one invocation's
 * messages: beyond PER_INVOCATION_MAX of one profile, the rest go to the hot lane as well. Service-limit corrections stay with the message that is applied here.
 */
export function divertHot(m: IngestMessage, meterOf: FlowMeter, blocked: ReadonlySet<string>, now: number, perInvocation = new Map<string, number>()): { keep: IngestMessage; hot: IngestMessage | null } {
  const keep: IngestItem[] = [];
  const hot: IngestItem[] = [];
  for (const item of m.items ?? []) {
    const key = profileKey(m, item, blocked);
    if (key === null) {
      keep.push(item);
      continue;
    }
    const seen = (perInvocation.get(key) ?? 0) + 1;
    perInvocation.set(key, seen);
    (meterOf.over(key, now) || seen > PER_INVOCATION_MAX ? hot : keep).push(item);
  }
  if (!hot.length) return { keep: m, hot: null };
  return { keep: { ...m, items: keep }, hot: { ...m, items: hot, limitCorrections: 0 } };
}

/**
 * The hot parts of one invocation as `ingest_group` messages for the hot lane (≤ 64 KB each, a lone part
 * unwrapped): a flood is a few queue messages per invocation, not one per request it came in.
 */
export function packHot(parts: IngestMessage[]): { body: string; bytes: number }[] {
  return packGroups(parts.map((p) => {
    const text = JSON.stringify(p);
    return { text, bytes: utf8Bytes(text) };
  }));
}
