// bench/drain-worker.js that also logs, per batch, what Miniflare's queue broker says it still holds (the batch's
// metadata.metrics: backlogCount, backlogBytes): shows whether the local broker keeps messages in memory.
export default {
  async fetch() {
    return new Response("drain", { status: 404 });
  },
  async queue(batch) {
    const m = batch.metadata?.metrics ?? {};
    console.log(JSON.stringify({ msg: "drained", queue: batch.queue, messages: batch.messages.length, backlog: m.backlogCount ?? -1, backlogBytes: m.backlogBytes ?? -1 }));
    batch.ackAll();
  },
};
