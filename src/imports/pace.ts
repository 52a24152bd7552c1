/**
 * Pacing of an import step on its `import-ingest` queue.
 *
 * Backpressure: a step queues rows far faster than the pipeline ingests them (tens of thousands of rows a second
 * against a few thousand), so a send that answers a backlog over IMPORT_MAX_BACKLOG_BYTES makes the step wait for the
 * consumers before it queues more. The import runs no further ahead of the pipeline than that, whatever the file's size.
 *
 * Turns of the event loop: in production a send is network I/O and the isolate's loop turns there anyway. Locally the
 * queue, R2, D1 and the Durable Objects live in the step's own process, every await resolves without I/O, and a step
 * would hold the loop for its whole IMPORT_STEP_MS: no other request of the process answered (a status poll, live
 * traffic under `npm start`), Miniflare's queue broker never delivering (it kept every message of the step in memory:
 * about 0.8 GB a million rows). So after a send the step gives the loop a turn (a zero timer) when IMPORT_TURN_MS has
 * passed since its last one.
 */
import type { QueueBacklog } from "../lib/queue";
import { IMPORT_BACKLOG_WAIT_MS, IMPORT_MAX_BACKLOG_BYTES, IMPORT_TURN_MS } from "./limits";
import { sleep } from "../lib/wait";

/** The queue's backlog now (`Queue.metrics()`); null when the runtime has no such call or it fails. */
async function backlogNow(queue: Queue<unknown>): Promise<QueueBacklog | null> {
  try {
    const m = await (queue as { metrics?: () => Promise<{ backlogCount: number; backlogBytes: number }> }).metrics?.();
    return m && typeof m.backlogBytes === "number" ? { messages: m.backlogCount, bytes: m.backlogBytes } : null;
  } catch {
    return null;
  }
}

export class ImportPacer {
  private lastTurn = Date.now();
  /** Milliseconds the step waited for the backlog, in all. */
  waitedMs = 0;

  constructor(
    private readonly queue: Queue<unknown>,
    private readonly deadline: number,
    private readonly maxBytes = IMPORT_MAX_BACKLOG_BYTES,
  ) {}

  /**
   * After a send that answered `backlog`. Over the cap: waits until the backlog is down to half of it (read with
   * `Queue.metrics()` every IMPORT_BACKLOG_WAIT_MS; without metrics one wait, the next send answers again) or the step's
   * deadline passes. Under it: a turn of the event loop if IMPORT_TURN_MS passed since the last one.
   */
  async after(backlog: QueueBacklog | null): Promise<void> {
    const t0 = Date.now();
    if (backlog && backlog.bytes > this.maxBytes) {
      for (;;) {
        await sleep(IMPORT_BACKLOG_WAIT_MS);
        const now = await backlogNow(this.queue);
        if (!now || now.bytes <= this.maxBytes / 2 || Date.now() >= this.deadline) break;
      }
      this.lastTurn = Date.now();
      this.waitedMs += this.lastTurn - t0;
    } else if (t0 - this.lastTurn >= IMPORT_TURN_MS) {
      await sleep(0);
      this.lastTurn = Date.now();
    }
  }
}
