/**
 * Webhook sink for the pipeline scenario: records the arrival time of every event by source_message_id
 * and its end-to-end latency (arrival − custom_attributes.bench_sent_ms, both from this process's clock).
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

export type Sink = {
  url: string;
  /** source_message_id → arrival count. */
  seen: Map<string, number>;
  /** End-to-end latencies (ms) of first arrivals, in arrival order, with arrival times and ids. */
  e2e: number[];
  arrivals: number[];
  e2eIds: string[];
  /** Which ids the latency arrays record (default all); the others' latencies go to `other`. */
  measure: (id: string) => boolean;
  /** End-to-end latencies of first arrivals that `measure` leaves out (e.g. a warm-up load). */
  other: number[];
  requests: number;
  badBodies: number;
  close(): Promise<void>;
};

export const nowMs = () => performance.timeOrigin + performance.now();

export async function startSink(): Promise<Sink> {
  const seen = new Map<string, number>();
  const e2e: number[] = [];
  const arrivals: number[] = [];
  const e2eIds: string[] = [];
  const other: number[] = [];
  const s = { requests: 0, badBodies: 0, measure: (_id: string) => true };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const at = nowMs();
      s.requests++;
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { events?: { data?: Record<string, unknown> }[] };
        for (const e of body.events ?? []) {
          const id = e.data?.source_message_id;
          if (typeof id !== "string") continue;
          const n = seen.get(id) ?? 0;
          seen.set(id, n + 1);
          if (n > 0) continue;
          const sent = Number((e.data?.custom_attributes as Record<string, unknown> | undefined)?.bench_sent_ms);
          if (!Number.isFinite(sent)) continue;
          if (!s.measure(id)) other.push(at - sent);
          else {
            e2e.push(at - sent);
            arrivals.push(at);
            e2eIds.push(id);
          }
        }
      } catch {
        s.badBodies++;
      }
      res.writeHead(200, { "content-type": "text/plain" }).end("ok");
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/bench-webhook`,
    seen,
    e2e,
    arrivals,
    e2eIds,
    other,
    get measure() {
      return s.measure;
    },
    set measure(fn: (id: string) => boolean) {
      s.measure = fn;
    },
    get requests() {
      return s.requests;
    },
    get badBodies() {
      return s.badBodies;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
