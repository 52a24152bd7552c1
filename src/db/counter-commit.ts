/**
 * Group commit of counters written by request handlers (Web SDK forwarding stats, drops at the edge): the
 * requests of an isolate that count while a write is in flight share the next write, so D1 writes per
 * isolate are bounded by its round trips (~one per 10 ms at most), never one per request. Every request still
 * answers only after the write that carries its counts (or learns that it failed).
 * Like src/lib/group-send.ts, a waiting request polls its own entry instead of awaiting a promise another
 * request would resolve (workerd does not let one request's I/O settle another's promises reliably), and a write
 * whose request was torn down before it settled (it never will) stops holding the others back after
 * `counterCommitLimits.staleMs`: the requests it carried fail (their callers log it, or answer 503), later ones write
 * again (reproduced in test/worker/shared-load-contexts.test.ts: every later commit of the isolate hung).
 */
import { Counters } from "./queries/counters";
import { sleep } from "../lib/wait";

type Entry = {
  counters: Counters;
  /** When a write took this entry. */
  takenAt?: number;
  result?: true | { error: unknown };
};

/** A write in flight this long is taken as lost (its request was torn down). Mutable for tests only. */
export const counterCommitLimits = { staleMs: 15_000 };

/** How often a waiting request looks at its entry. */
const POLL_MS = 1;

class CounterCommitter {
  private pending: Entry[] = [];
  private busySince = 0;

  async commit(db: D1Database, counters: Counters): Promise<void> {
    const entry: Entry = { counters };
    this.pending.push(entry);
    while (!entry.result) {
      if (entry.takenAt !== undefined) {
        // Taken by a write whose request was torn down before it settled: give up, never wait forever.
        if (Date.now() - entry.takenAt > counterCommitLimits.staleMs) entry.result = { error: new Error("counter write did not settle") };
        else await sleep(POLL_MS);
      } else if (!this.busySince || Date.now() - this.busySince > counterCommitLimits.staleMs) await this.writePending(db);
      else await sleep(POLL_MS);
    }
    if (entry.result !== true) throw entry.result.error;
  }

  private async writePending(db: D1Database): Promise<void> {
    const since = Date.now();
    this.busySince = since;
    const take = this.pending;
    this.pending = [];
    for (const e of take) e.takenAt = since;
    const all = new Counters();
    for (const e of take) all.merge(e.counters);
    let result: Entry["result"] = true;
    try {
      const stmts = all.statements(db);
      if (stmts.length === 1) await stmts[0]!.run();
      else if (stmts.length) await db.batch(stmts);
    } catch (err) {
      result = { error: err };
    } finally {
      if (this.busySince === since) this.busySince = 0;
    }
    for (const e of take) e.result ??= result;
  }
}

const committers = new WeakMap<D1Database, CounterCommitter>();

/** Writes `counters` together with those of the isolate's concurrent requests; resolves once they are in D1. */
export async function commitCounters(db: D1Database, counters: Counters): Promise<void> {
  let c = committers.get(db);
  if (!c) committers.set(db, (c = new CounterCommitter()));
  await c.commit(db, counters);
}
