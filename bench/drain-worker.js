// Consumer of every queue during the ingest scenario: acks whole batches at once, so the ingest figures
// measure the Events API (auth, validation, queue hand-off) without the pipeline competing for the CPU.
export default {
  async fetch() {
    return new Response("drain", { status: 404 });
  },
  async queue(batch) {
    batch.ackAll();
  },
};
