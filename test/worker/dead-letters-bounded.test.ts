import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import worker from "../../src/index";
import { deadLetterPrefix } from "../../src/db/dead-letter-objects";
import { DEAD_LETTER_INDEX_MAX } from "../../src/db/queries/dead-letters";
import { replayConnection } from "../../src/forward/dead-letters";
import { ALERTS_PER_CONNECTION_MAX, alertStatements } from "../../src/forward/alerts";
import { FORWARD_GROUP_MAX_JOBS } from "../../src/forward/job-groups";
import { replayDeadLetters } from "../../src/forward/replay";
import type { ForwardJob } from "../../src/pipeline/messages";
import { forwardJob } from "./helpers/forward-job";
import { installSink } from "./helpers/sink";
import { eventually } from "./helpers/wait";

let sink: ReturnType<typeof installSink> | undefined;
afterEach(() => sink?.restore());

/** Dead-letters `jobs` as the forward consumer's DLQ would receive them: forward groups of 10, 100 messages per invocation. */
async function deadLetter(jobs: ForwardJob[]): Promise<void> {
  const groups = [];
  for (let i = 0; i < jobs.length; i += 10) groups.push({ v: 1, type: "forward_group", connectionId: 1, jobs: jobs.slice(i, i + 10) });
  for (let i = 0; i < groups.length; i += 100) {
    const mb = createMessageBatch<unknown>(
      "forward-dlq",
      groups.slice(i, i + 100).map((body) => ({ id: crypto.randomUUID(), timestamp: new Date(), attempts: 101, body: JSON.stringify(body) })),
    );
    const ctx = createExecutionContext();
    await worker.queue(mb as MessageBatch<never>, env, ctx);
    expect((await getQueueResult(mb, ctx)).ackAll).toBe(true);
  }
}

async function countObjects(prefix: string): Promise<number> {
  let n = 0;
  let cursor: string | undefined;
  do {
    const page = await env.DEAD_LETTERS.list({ prefix, cursor, limit: 1000 });
    n += page.objects.length;
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  return n;
}

const indexRows = async () => (await env.DB.prepare(`SELECT COUNT(*) AS n, SUM(length(payload)) AS bytes FROM dead_letters WHERE connection_id = 1`).first<{ n: number; bytes: number }>())!;

describe("dead letters past one database", () => {
  it("keeps an outage's payloads in R2 and D1's index at its cap per connection; replay-all delivers every one", async () => {
    const jobs = Array.from({ length: DEAD_LETTER_INDEX_MAX + 300 }, () => forwardJob(1));
    await deadLetter(jobs);
    expect(await countObjects(deadLetterPrefix("pending", 1, 1))).toBe(jobs.length);
    expect(await indexRows()).toEqual({ n: DEAD_LETTER_INDEX_MAX, bytes: 0 });
    // More of the same outage: R2 grows, D1 does not.
    const more = Array.from({ length: 200 }, () => forwardJob(1));
    await deadLetter(more);
    expect(await countObjects(deadLetterPrefix("pending", 1, 1))).toBe(jobs.length + more.length);
    expect((await indexRows()).n).toBe(DEAD_LETTER_INDEX_MAX);
    // The index keeps the newest.
    const newest = await env.DB.prepare(`SELECT batch_id FROM dead_letters WHERE connection_id = 1 AND batch_id = ?`).bind(more[199]!.batch.batch_id).first();
    expect(newest).not.toBeNull();

    sink = installSink();
    const all = [...jobs, ...more];
    let rounds = 0;
    for (let remaining = true; remaining; rounds++) ({ remaining } = await replayConnection(env, 1, { id: 1, workspaceId: 1 }, 1_000));
    expect(rounds).toBe(2);
    expect(await countObjects(deadLetterPrefix("pending", 1, 1))).toBe(0);
    expect(await countObjects(deadLetterPrefix("replayed", 1, 1))).toBe(all.length);
    const wanted = new Set(all.map((j) => j.batch.batch_id));
    await eventually(() => {
      const got = new Set(sink!.accepted().map((r) => r.json().batch_id as string));
      expect([...wanted].filter((id) => !got.has(id))).toEqual([]);
    }, 60_000);
    // Every indexed row is marked replayed.
    expect((await env.DB.prepare(`SELECT COUNT(*) AS n FROM dead_letters WHERE connection_id = 1 AND replayed_at IS NULL`).first<{ n: number }>())!.n).toBe(0);
  }, 120_000);

  it("replays a connection's dead letters in forward groups of 10 jobs (25 dead letters: 3 queue messages), each job marked with the dead letter it replays", async () => {
    const sent: string[] = [];
    const fake = {
      send: async (b: string) => void sent.push(b),
      sendBatch: async (bs: { body: string }[]) => void sent.push(...bs.map((x) => x.body)),
    } as unknown as Queue;
    const rows = Array.from({ length: 25 }, (_, i) => ({ id: `dl-${i}`, payload: forwardJob(1) }));
    const ids = await replayDeadLetters({ ...env, FORWARD: fake, FORWARD_QUEUES: "1" } as Env, rows);
    expect(ids).toEqual(rows.map((r) => r.id));
    const bodies = sent.map((b) => JSON.parse(b) as ForwardJob | { type: "forward_group"; connectionId: number; jobs: ForwardJob[] });
    expect(bodies.map((b) => (b.type === "forward_group" ? b.jobs.length : 1))).toEqual([FORWARD_GROUP_MAX_JOBS, FORWARD_GROUP_MAX_JOBS, 5]);
    const jobs = bodies.flatMap((b) => (b.type === "forward_group" ? b.jobs : [b]));
    expect(jobs.map((j) => j.replayOf)).toEqual(rows.map((r) => r.id));
    expect(jobs.map((j) => j.batch.batch_id)).toEqual(rows.map((r) => r.payload.batch.batch_id));
  });

  it("keeps each connection's newest alerts only, however many invocations an outage writes them from", async () => {
    const count = async (connectionId: number) => (await env.DB.prepare(`SELECT COUNT(*) AS n, MIN(message) AS oldest FROM system_alerts WHERE connection_id = ?`).bind(connectionId).first<{ n: number; oldest: string }>())!;
    const other = await count(2);
    const t0 = Date.now();
    // One alert per forward invocation, as an outage writes them: 1,050 invocations of 10 ms apart.
    for (let i = 0; i < ALERTS_PER_CONNECTION_MAX + 50; i += 50) {
      const stmts = Array.from({ length: 50 }, (_, k) => alertStatements(env.DB, [{ connectionId: 901, kind: "dead_letter", message: `m${String(i + k).padStart(5, "0")}` }], t0 + (i + k) * 10)).flat();
      await env.DB.batch(stmts);
    }
    expect(await count(901)).toEqual({ n: ALERTS_PER_CONNECTION_MAX, oldest: "m00050" });
    expect(await count(2)).toEqual(other);
  });
});
