/**
 * Per-profile flow limit: one user (a shared `customerid`, a load test, a bot) sending thousands of batches
 * a second would serialize every invocation that carries them on that user's UserProfile object, and with
 * them everyone else's batches of the same invocation. Beyond HOT_PROFILE_BATCHES_PER_SECOND batches of one
 * profile per second in this isolate, its batches go to the `ingest-hot` queue (a slower lane with its own
 * small consumer) and the invocation moves on. Nothing is dropped; order per user is restored by event
 * timestamps in the profile, as for any batch.
 */
import { countVar } from "../lib/shard";
import { isBlockedValue } from "../identity/blocked";
import type { IngestItem, IngestMessage } from "./messages";

/** Default when HOT_PROFILE_BATCHES_PER_SECOND is unset: ~20 batches/s is far above any human's traffic. */
export const DEFAULT_HOT_PROFILE_BATCHES_PER_SECOND = 20;
/** The hot lane's queue name prefix (its consumer never diverts again). */
export const HOT_QUEUE = "ingest-hot";

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

/** Counts batches per profile key in one-second windows (memory: the keys of the current second only). */
export class FlowMeter {
  private second = -1;
  private counts = new Map<string, number>();

  constructor(readonly perSecond: number) {}

  /** Counts one batch of `key` at `now`; true when it is over the limit (it should take the slow lane). */
  over(key: string, now: number): boolean {
    const s = Math.floor(now / 1000);
    if (s !== this.second) {
      this.second = s;
      this.counts.clear();
    }
    const n = (this.counts.get(key) ?? 0) + 1;
    this.counts.set(key, n);
    return n > this.perSecond;
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
 * own for the hot lane (null when none). Service-limit corrections stay with the message that is applied here.
 */
export function divertHot(m: IngestMessage, meterOf: FlowMeter, blocked: ReadonlySet<string>, now: number): { keep: IngestMessage; hot: IngestMessage | null } {
  const keep: IngestItem[] = [];
  const hot: IngestItem[] = [];
  for (const item of m.items ?? []) {
    const key = profileKey(m, item, blocked);
    (key !== null && meterOf.over(key, now) ? hot : keep).push(item);
  }
  if (!hot.length) return { keep: m, hot: null };
  return { keep: { ...m, items: keep }, hot: { ...m, items: hot, limitCorrections: 0 } };
}
