/**
 * Dead-letter replay: a forward job goes back onto its connection's FORWARD queue shard with `replayOf` set,
 * packed into forward groups like the ingest consumer's jobs (≤ 10 jobs per message: a replay of 100,000 dead
 * letters is ~10,000 queue messages, not 100,000); an ingest message goes back onto INGEST. A replayed job
 * that fails again becomes a new dead letter; nothing is lost.
 */
import { type GroupMessage, isGroup } from "../lib/group-send";
import { sendAll } from "../lib/queue";
import { type ForwardGroup, isForwardGroup, packForwardJobs } from "./job-groups";
import { sendForward, splitJob } from "../pipeline/ingest-handoff";
import type { DeadLetterMessage, ForwardJob, IngestMessage } from "../pipeline/messages";
import { type AudienceUploadPayload, isAudienceUpload } from "./audience-uploader/dead-letter";

/** A dead letter to replay: its id and payload (parsed JSON, or the JSON text of a legacy row). */
export type Replayable = { id: string; payload: unknown };

/** Why a dead letter cannot be replayed, or null. */
export function unreplayable(d: Pick<Replayable, "payload">): string | null {
  const p = parse(d.payload);
  return p ? null : "the dead letter's payload is not a forward job, an ingest message, a group of them or an audience upload";
}

type Parsed = { forward: ForwardJob[]; ingest: IngestMessage[]; audience?: AudienceUploadPayload };

function parse(payload: unknown): Parsed | null {
  let v: ForwardJob | IngestMessage | DeadLetterMessage | GroupMessage<IngestMessage> | ForwardGroup;
  try {
    v = typeof payload === "string" ? JSON.parse(payload) : (payload as typeof v);
  } catch {
    return null;
  }
  if (isAudienceUpload(v)) return { forward: [], ingest: [], audience: v };
  if (v?.type === "dead_letter") return { forward: [v.job], ingest: [] };
  if (v?.type === "forward") return { forward: [v], ingest: [] };
  if (v?.type === "ingest") return { forward: [], ingest: [v] };
  // A whole group stored as one row (by a consumer that did not know groups yet): replayed part by part.
  if (isForwardGroup(v)) return v.jobs.every((j) => j?.type === "forward") ? { forward: v.jobs, ingest: [] } : null;
  if (isGroup<IngestMessage>(v)) return v.parts.every((p) => p?.type === "ingest") ? { forward: [], ingest: v.parts } : null;
  return null;
}

/** Queues every replayable dead letter; returns the ids queued (the caller marks them replayed). */
export async function replayDeadLetters(env: Env, rows: Replayable[]): Promise<string[]> {
  const jobs: ForwardJob[] = [];
  const ingest: IngestMessage[] = [];
  const ids: string[] = [];
  for (const r of rows) {
    const p = parse(r.payload);
    if (!p) continue;
    for (const f of p.forward) {
      // A replay starts with a fresh attempt budget.
      const { priorAttempts: _used, ...job } = f;
      jobs.push({ ...job, replayOf: r.id });
    }
    ingest.push(...p.ingest);
    // An audience upload goes back to its connection's uploader (as of their change times: newer changes win).
    if (p.audience) await env.AUDIENCE_UPLOADER.getByName(String(p.audience.connectionId)).enqueue(p.audience.connectionId, p.audience.changes.map((c) => ({ ...c, replay: true })));
    ids.push(r.id);
  }
  await sendForward(env, packForwardJobs(jobs, splitJob));
  await sendAll(env.INGEST, ingest);
  return ids;
}
