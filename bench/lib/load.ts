/**
 * Closed-loop HTTP load generator on node:http with a keep-alive Agent: `connections` loops, each sends a
 * request, waits for the whole answer, records its latency, and sends the next, until the deadline.
 * Latency = from just before `http.request` to the end of the response body (performance.now()).
 */
import http from "node:http";

export type Req = { path: string; body: string | Buffer; headers?: Record<string, string>; method?: string };
export type Answer = { status: number; body: string };

export type LoadResult = {
  requests: number;
  ok: number;
  statuses: Record<string, number>;
  seconds: number;
  /** Latencies of answers with the expected status, ms. */
  latencies: Float64Array;
  firstErrors: string[];
};

export type LoadOptions = {
  url: string;
  connections: number;
  seconds: number;
  expect: number;
  /** Builds request number `seq` (0-based, across all connections). */
  make: (seq: number) => Req;
  /** Called with each answer (e.g. to record event ids accepted). */
  onAnswer?: (seq: number, req: Req, ans: Answer) => void;
  /** Stop after this many requests (sequential runs). */
  maxRequests?: number;
  /** Cap on requests per second across all connections (0/undefined: as fast as answers come). */
  ratePerSec?: number;
};

export function makeAgent(connections: number) {
  return new http.Agent({ keepAlive: true, maxSockets: connections, maxFreeSockets: connections });
}

export function send(agent: http.Agent, base: URL, r: Req): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const body = typeof r.body === "string" ? Buffer.from(r.body) : r.body;
    const req = http.request(
      {
        agent,
        host: base.hostname,
        port: base.port,
        path: r.path,
        method: r.method ?? "POST",
        headers: { "content-type": "application/json", "content-length": String(body.byteLength), ...r.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

export async function runLoad(o: LoadOptions): Promise<LoadResult> {
  const base = new URL(o.url);
  const agent = makeAgent(o.connections);
  const lat: number[] = [];
  const statuses: Record<string, number> = {};
  const firstErrors: string[] = [];
  let seq = 0;
  let requests = 0;
  let ok = 0;
  const start = performance.now();
  const deadline = start + o.seconds * 1000;
  const loop = async () => {
    while (performance.now() < deadline && (o.maxRequests === undefined || seq < o.maxRequests)) {
      const n = seq++;
      if (o.ratePerSec) {
        const due = start + (n * 1000) / o.ratePerSec;
        const wait = due - performance.now();
        if (wait > 1) await new Promise((r) => setTimeout(r, wait));
        if (performance.now() >= deadline) break;
      }
      const r = o.make(n);
      const t0 = performance.now();
      let ans: Answer;
      try {
        ans = await send(agent, base, r);
      } catch (err) {
        statuses.neterr = (statuses.neterr ?? 0) + 1;
        if (firstErrors.length < 5) firstErrors.push(String(err));
        requests++;
        continue;
      }
      const t1 = performance.now();
      requests++;
      statuses[ans.status] = (statuses[ans.status] ?? 0) + 1;
      if (ans.status === o.expect) {
        ok++;
        lat.push(t1 - t0);
      } else if (firstErrors.length < 5) firstErrors.push(`${ans.status} ${ans.body.slice(0, 300)}`);
      o.onAnswer?.(n, r, ans);
    }
  };
  await Promise.all(Array.from({ length: o.connections }, loop));
  const seconds = (performance.now() - start) / 1000;
  agent.destroy();
  return { requests, ok, statuses, seconds, latencies: Float64Array.from(lat), firstErrors };
}

/** p-th percentile (nearest rank) of unsorted values. */
export function percentiles(values: Float64Array | number[], ps: number[]): number[] {
  const s = Float64Array.from(values).sort();
  if (s.length === 0) return ps.map(() => NaN);
  return ps.map((p) => s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!);
}
