/**
 * The large cases of issue 24, as benches rather than tests:
 *
 *   npx tsx bench/csv-large.ts size     a 1 GB CSV of 5,000,000 rows (CSV_LARGE_ROWS), about 2.5 minutes here
 *   npx tsx bench/csv-large.ts broken   a quote never closed at row 2,000,000 (CSV_BROKEN_ROW) of 2,100,000
 *                                       (CSV_LARGE_ROWS), about 2 minutes here
 *
 * The file is generated while it is uploaded, one multipart part (CSV_PART_MB, 64 MiB) in Node's memory at a time,
 * through the import routes (`POST /v2/imports?multipart=true`, `PUT …/parts/{n}`, `POST …/complete`): a Worker
 * request body is capped at 100 MB in production. Rows are the bench's (bench/lib/csv-file.ts) with one more column of
 * about 100 characters, so 5,000,000 rows make about 1 GB. Setup as bench/csv-import.ts (bench/lib/import-bench.ts:
 * `import-ingest` drained, rate limits lifted). Prints rows/s of the import (its own start and end, continuations
 * included) and the edge-cdp isolate's peak V8 heap during the upload and during the import, and the progress every
 * 10 s (CSV_PROGRESS_MS) with workerd's RSS by kind (anonymous, file, shared memory) and the broker's backlog;
 * CSV_OTHER_HEAPS=1 adds the V8 heaps of workerd's other isolates (queue broker, R2, drain worker…). `broken` checks what the import says: failed, `malformed_csv` at the broken row's line, every row before it
 * accepted and none after (exit code 1 otherwise).
 */
import { benchRow, BENCH_HEADER } from "./lib/csv-file";
import { importSeconds, startImportBench, waitImport, type ImportView } from "./lib/import-bench";
import { rssKinds, sample } from "./lib/proc";

const CASE = process.argv[2] ?? "";
if (CASE !== "size" && CASE !== "broken") {
  console.error("usage: npx tsx bench/csv-large.ts <size|broken>");
  process.exit(2);
}
const BROKEN_ROW = CASE === "broken" ? Number(process.env.CSV_BROKEN_ROW ?? 2_000_000) : 0;
const ROWS = Number(process.env.CSV_LARGE_ROWS ?? (CASE === "size" ? 5_000_000 : BROKEN_ROW + 100_000));
const PART_BYTES = Number(process.env.CSV_PART_MB ?? 64) * 1024 * 1024;
const PROGRESS_MS = Number(process.env.CSV_PROGRESS_MS ?? 10_000);
const rss = (pid: number) => {
  const k = rssKinds(pid);
  return `workerd RSS ${(sample(pid).rssKb / 1024).toFixed(0)} MB (anon ${k.anon}, file ${k.file}, shmem ${k.shmem})`;
};
const log = (s: string) => process.stderr.write(`[csv-large ${new Date().toISOString().slice(11, 19)}] ${s}\n`);

const NOTE = "Imported from the legacy warehouse export of 2019 - channel web - campaign spring-sale - segment A-17";
const HEADER = `${BENCH_HEADER},events.data.custom_attributes.description\n`;

/** The file, about 1 MB at a time; row BROKEN_ROW (1-based) opens a quote that it never closes. */
function* fileChunks(): Generator<Buffer> {
  const ts = Date.now() - 10 * 86_400_000;
  let parts: string[] = [HEADER];
  let chars = HEADER.length;
  for (let i = 0; i < ROWS; i++) {
    let row = `${benchRow(i, ts).slice(0, -1)},${NOTE}\n`;
    if (i + 1 === BROKEN_ROW) row = row.replace('"Zürich, CH"', '"Zürich, CH');
    parts.push(row);
    chars += row.length;
    if (chars >= 1_000_000) {
      yield Buffer.from(parts.join(""));
      parts = [];
      chars = 0;
    }
  }
  if (parts.length) yield Buffer.from(parts.join(""));
}

/** The file in parts of PART_BYTES (the last one shorter): one part buffer in memory at a time. */
async function* fileParts(): AsyncGenerator<Buffer> {
  let part = Buffer.allocUnsafe(PART_BYTES);
  let used = 0;
  for (const chunk of fileChunks()) {
    for (let at = 0; at < chunk.length; ) {
      const n = chunk.copy(part, used, at);
      used += n;
      at += n;
      if (used === PART_BYTES) {
        yield part;
        part = Buffer.allocUnsafe(PART_BYTES);
        used = 0;
      }
    }
  }
  if (used) yield part.subarray(0, used);
}

async function main() {
  const b = await startImportBench();
  try {
    const auth = { Authorization: b.basic };
    const start = await fetch(`${b.base}/v2/imports?filename=large-custom_event.csv&multipart=true`, { method: "POST", headers: auth });
    if (start.status !== 201) throw new Error(`multipart start: ${start.status} ${await start.text()}`);
    const { import_id } = (await start.json()) as { import_id: string };
    b.phase("upload");
    const t0 = performance.now();
    let bytes = 0;
    let n = 0;
    for await (const part of fileParts()) {
      n++;
      const r = await fetch(`${b.base}/v2/imports/${import_id}/parts/${n}`, { method: "PUT", headers: auth, body: part });
      if (r.status !== 200) throw new Error(`part ${n}: ${r.status} ${await r.text()}`);
      bytes += part.length;
      log(`part ${n} uploaded (${(bytes / 1e9).toFixed(2)} GB, ${((performance.now() - t0) / 1000).toFixed(0)} s, ${rss(b.w.pid)})`);
    }
    const uploadSeconds = (performance.now() - t0) / 1000;
    b.phase("collect");
    await b.collect(); // the import's peak is its own, not the upload's garbage
    log(`heap after the upload and a full collection: ${(await b.heap()).usedMb} MB used`);
    b.windowPeak();
    b.phase("import");
    const done = await fetch(`${b.base}/v2/imports/${import_id}/complete`, { method: "POST", headers: auth });
    if (done.status !== 202) throw new Error(`complete: ${done.status} ${await done.text()}`);
    let lastLog = performance.now();
    const backlog = () => {
      const d = b.w.drained.get("import-ingest");
      return d ? `import-ingest: ${d.messages} messages drained, broker backlog ${d.backlog} (${(d.backlogBytes / 1e6).toFixed(0)} MB)` : "import-ingest: none drained yet";
    };
    const view = await waitImport(
      b,
      import_id,
      (v: ImportView) => {
        if (performance.now() - lastLog < PROGRESS_MS) return;
        lastLog = performance.now();
        const s = v.started_at ? (Date.now() - Date.parse(v.started_at)) / 1000 : 0;
        log(`${v.status}: ${Number(v.rows_read).toLocaleString("en-US")} rows read${s > 0 ? `, ${Math.round(v.rows_read / s).toLocaleString("en-US")} rows/s` : ""}, peak heap used since the last line ${b.windowPeak()} MB, ${rss(b.w.pid)}, ${backlog()}`);
        if (process.env.CSV_OTHER_HEAPS === "1")
          void b.otherHeaps().then((h) => log(`  other isolates' heaps (MB used): ${h.slice(0, 5).map(([t, v]) => `${t} ${v}`).join(", ")}`));
      },
      1000,
    );
    b.phase("done");
    const peaks = b.peaks();
    await b.collect();
    const retained = await b.heap(); // after a full collection: what the import left behind
    const seconds = importSeconds(view);
    const result = {
      case: CASE,
      rows: ROWS,
      csv_gb: +(bytes / 1e9).toFixed(2),
      parts: n,
      upload_seconds: +uploadSeconds.toFixed(1),
      status: view.status,
      error: view.error,
      rows_read: view.rows_read,
      rows_accepted: view.rows_accepted,
      rows_rejected: view.rows_rejected,
      parse_and_enqueue_seconds: +seconds.toFixed(1),
      rows_per_second: Math.round(view.rows_read / seconds),
      peak_heap_upload_mb: peaks.upload,
      peak_heap_import_mb: peaks.import,
      heap_after_import_and_gc_mb: retained.usedMb,
    };
    console.log(JSON.stringify(result, null, 1));
    if (CASE === "broken") {
      const line = BROKEN_ROW + 1; // the header is line 1
      const ok = view.status === "failed" && view.error?.code === "malformed_csv" && view.error?.line === line && view.rows_accepted === BROKEN_ROW - 1 && view.rows_read === BROKEN_ROW - 1;
      log(ok ? `as expected: failed at line ${line}, the ${(BROKEN_ROW - 1).toLocaleString("en-US")} rows before it imported, none after` : `NOT as expected (failed, malformed_csv at line ${line}, ${BROKEN_ROW - 1} rows accepted)`);
      if (!ok) process.exitCode = 1;
    } else if (view.status !== "completed") {
      log(`import ${view.status}: ${JSON.stringify(view.error)}`);
      process.exitCode = 1;
    }
  } finally {
    await b.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
