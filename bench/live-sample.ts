/**
 * `npx tsx bench/live-sample.ts` (about 2 s): the Live Stream's cost on the ingest consumer's hot path
 * (src/pipeline/live-sample.ts), per consumer invocation of 20 messages, with nobody watching and with a viewer,
 * against a fake LiveStream binding that answers at once (so only our own work is measured).
 */
import { liveInbound, livePending } from "../src/pipeline/live-sample";

const message = (ws: number) => ({ body: { v: 1, type: "ingest", inputId: 1, workspaceId: ws, organizationId: 1, receivedAt: Date.now(), channel: "server_to_server", historical: false, items: [{ batchId: "b", eventOffset: 0, batch: { environment: "development", events: [{ event_type: "custom_event", data: { event_name: "x" } }] } }] } });
const invocation = () => ({ messages: Array.from({ length: 20 }, () => message(1)) });

async function measure(label: string, viewers: number, n: number) {
  const calls = { watching: 0, publish: 0 };
  const env = { LIVE_STREAM: { getByName: () => ({ watching: async () => (calls.watching++, viewers), publish: async () => (calls.publish++, true) }) } } as never;
  const batches = Array.from({ length: n }, invocation);
  const t0 = process.hrtime.bigint();
  for (const b of batches) {
    liveInbound(env, b);
    await livePending(b);
  }
  const ns = Number(process.hrtime.bigint() - t0) / n;
  console.log(JSON.stringify({ label, invocations: n, ns_per_invocation: Math.round(ns), watching_calls: calls.watching, published: calls.publish }));
}

await measure("warm-up", 0, 10_000);
await measure("nobody watching", 0, 100_000);
await measure("viewer attached", 1, 100_000);
