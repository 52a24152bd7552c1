/**
 * Group commit of counters written by request handlers (Web SDK forwarding stats, drops at the edge): the
 * requests of an isolate that count while a write is in flight share the next write, so D1 writes per
 * isolate are bounded by its round trips (~one per 10 ms at most), never one per request. Every request still
 * answers only after the write that carries its counts (or learns that it failed).
 * Like src/lib/group-send.ts, a waiting request polls its own entry instead of awaiting a promise another
 * request would resolve (workerd does not let one request's I/O settle another's promises reliably).
 */
import { Counters } from "./queries/counters";
import { sleep } from "../lib/wait";

type Entry = { counters: Counters; result?: true | { error: unknown } };

/** How often a waiting request looks at its entry. */
const POLL_MS = 1;

class CounterCommitter {
  private pending: Entry[] = [];
  private busy = false;

  async commit(db: D1Database, counters: Counters): Promise<void> {
    const entry: Entry = { counters };
    this.pending.push(entry);
    while (!entry.result) {
      if (!this.busy) await this.writePending(db);
      else await sleep(POLL_MS);
    }
    if (entry.result !== true) throw entry.result.error;
  }

  private async writePending(db: D1Database): Promise<void> {
    this.busy = true;
    const take = this.pending;
    this.pending = [];
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
      this.busy = false;
    }
    for (const e of take) e.result = result;
  }
}

const committers = new WeakMap<D1Database, CounterCommitter>();

/** Writes `counters` together with those of the isolate's concurrent requests; resolves once they are in D1. */
export async function commitCounters(db: D1Database, counters: Counters): Promise<void> {
  let c = committers.get(db);
  if (!c) committers.set(db, (c = new CounterCommitter()));
  await c.commit(db, counters);
}
