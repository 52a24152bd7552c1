/**
 * CSV import step, phase by phase, in Node (issue 24): µs per row for CSV records (decoding + papaparse),
 * row → batch, and ingest messages (serialization, sizes), over the bench's generated rows. No workerd, no I/O: the
 * relative costs of the pure parts (workerd runs the same V8: relative costs carry over).
 *
 *   npx tsx bench/csv-micro.ts        (CSV_ROWS=100000, CSV_CHUNK=65536 bytes per stream chunk)
 */
import { planColumns, rowToBatch } from "../src/imports/columns";
import { csvRecords } from "../src/imports/records";
import { PendingRows, SEND_READY_BYTES } from "../src/imports/rows";
import { generateCsv, BENCH_HEADER } from "./lib/csv-file";

const ROWS = Number(process.env.CSV_ROWS ?? 100_000);
const CHUNK = Number(process.env.CSV_CHUNK ?? 65_536);
const bytes = new TextEncoder().encode(generateCsv(ROWS));
const stream = () =>
  new ReadableStream<Uint8Array>({
    start(c) {
      for (let i = 0; i < bytes.length; i += CHUNK) c.enqueue(bytes.slice(i, i + CHUNK));
      c.close();
    },
  });
const us = (ms: number) => ((ms * 1000) / ROWS).toFixed(2);

async function main() {
  const plan = planColumns(BENCH_HEADER.split(","), "custom_event");
  if ("error" in plan) throw new Error(plan.error);
  for (let round = 0; round < 3; round++) {
    const cells: string[][] = [];
    let t = performance.now();
    for await (const r of csvRecords(stream(), { file: "x" })) if (r.cells) cells.push(r.cells);
    const parse = performance.now() - t;
    t = performance.now();
    const batches = [];
    for (let i = 1; i < cells.length; i++) {
      const r = rowToBatch(plan.plan, cells[i]!, { messageId: `00000000-0000-4000-8000-000000000000:0:${i}` });
      if ("batch" in r) batches.push(r.batch);
    }
    const map = performance.now() - t;
    t = performance.now();
    let messages = 0;
    let sent = 0;
    const input = { id: 1, workspaceId: 1, accountId: 1, organizationId: 1, kind: "feed", platform: "unbound", apiKey: "k", secretHash: "h", status: "active", settings: {} } as const;
    const pending = new PendingRows(input as never, "imp");
    const now = Date.now();
    const take = (bodies: { body: string }[]) => bodies.forEach((b) => ((messages += 1), (sent += b.body.length)));
    for (let i = 0; i < batches.length; i++) {
      pending.add(`00000000-0000-4000-8000-000000000000:0:${i}:abcdef12`, batches[i]!, now);
      if (pending.readyBytes >= SEND_READY_BYTES) take(pending.takeReady());
      if (pending.count >= 2_000) take(pending.takeAll(now));
    }
    take(pending.takeAll(now));
    const send = performance.now() - t;
    console.log(`round ${round}: parse ${us(parse)} µs/row, map ${us(map)}, messages ${us(send)} (${messages} messages, ${(sent / 1e6).toFixed(1)} MB); rows ${batches.length}`);
  }
}
main();
