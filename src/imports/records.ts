/**
 * CSV records of one file (RFC 4180: quotes, escaped quotes, embedded newlines, CRLF or LF, UTF-8 BOM) with
 * csv-parse's parser core, fed chunk by chunk (needs nodejs_compat: Buffer, node:stream). Cells are decoded as strict
 * UTF-8 per row, so a row with non-UTF-8 bytes is rejected on its own; structural faults (an unclosed quote, a
 * record over the row cap) stop the file with the line where they happened.
 */
import { csvParser } from "./csv-stream";
import { ImportFault } from "./faults";
import { IMPORT_MAX_ROW_BYTES } from "./limits";

/** One record: its first line, the byte offset just past it, and its cells (null: not valid UTF-8). */
export type CsvRecord = { line: number; endLine: number; end: number; cells: string[] | null; raw: string };

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const BOM = [0xef, 0xbb, 0xbf];

/** Drops a leading UTF-8 BOM (only at the very start of a file). */
function stripBom(stripped: () => void): TransformStream<Uint8Array, Uint8Array> {
  let head: Uint8Array | null = new Uint8Array(0);
  return new TransformStream({
    transform(chunk, ctrl) {
      if (head === null) return ctrl.enqueue(chunk);
      const all = new Uint8Array(head.length + chunk.length);
      all.set(head);
      all.set(chunk, head.length);
      if (all.length < 3) {
        head = all;
        return;
      }
      head = null;
      const bom = all[0] === BOM[0] && all[1] === BOM[1] && all[2] === BOM[2];
      if (bom) stripped();
      ctrl.enqueue(bom ? all.subarray(3) : all);
    },
    flush(ctrl) {
      if (head?.length) ctrl.enqueue(head);
    },
  });
}

const lenient = new TextDecoder("utf-8", { fatal: false, ignoreBOM: true });

function decode(fields: Uint8Array[]): string[] | null {
  try {
    return fields.map((f) => utf8.decode(f));
  } catch {
    return null;
  }
}

function newlines(fields: Uint8Array[]): number {
  let n = 0;
  for (const f of fields) for (let i = 0; i < f.length; i++) if (f[i] === 10 || (f[i] === 13 && f[i + 1] !== 10)) n++;
  return n;
}

/**
 * The records of `body`. `firstLine`/`baseOffset` place a body that starts mid-file (a resumed plain CSV read from
 * a byte offset); `bom` false when it does. Throws ImportFault on a structural fault.
 */
export async function* csvRecords(body: ReadableStream<Uint8Array>, opts: { file: string; firstLine?: number; baseOffset?: number; bom?: boolean; maxRowBytes?: number }): AsyncGenerator<CsvRecord> {
  const lineBase = (opts.firstLine ?? 1) - 1;
  const base = opts.baseOffset ?? 0;
  // Offsets of records are of the BOM-less stream: the BOM's 3 bytes are added back.
  let bomBytes = 0;
  const input = opts.bom === false ? body : body.pipeThrough(stripBom(() => (bomBytes = 3)));
  const parser = csvParser({
    encoding: null,
    bom: false,
    info: true,
    skip_empty_lines: true,
    relax_column_count: true,
    record_delimiter: ["\r\n", "\n"],
    max_record_size: opts.maxRowBytes ?? IMPORT_MAX_ROW_BYTES,
  });
  type Rec = { record: Uint8Array[]; info: { lines: number; bytes: number } };
  const toRecord = ({ record, info }: Rec): CsvRecord => {
    const cells = decode(record);
    const endLine = lineBase + info.lines;
    return { line: endLine - newlines(record), endLine, end: base + bomBytes + info.bytes, cells, raw: cells ? "" : record.map((f) => lenient.decode(f)).join(",") };
  };
  const reader = input.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      // Records completed by this chunk come out in order, then the error (if any) that stopped the parser.
      const out: Rec[] = [];
      const err = parser.parse(done ? undefined : asBuffer(value), done, (r) => out.push(r as Rec), () => {});
      for (const r of out) yield toRecord(r);
      if (err) throw fault(err, opts.file, lineBase);
      if (done) return;
    }
  } finally {
    reader.releaseLock();
    await input.cancel().catch(() => {});
  }
}

/** A Node Buffer view of the chunk (no copy): the parser core concatenates with Buffer.concat. */
function asBuffer(chunk: Uint8Array): Uint8Array {
  const B = (globalThis as unknown as { Buffer: { from(b: ArrayBufferLike, o: number, l: number): Uint8Array } }).Buffer;
  return B.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

function fault(err: unknown, file: string, lineBase: number): Error {
  if (err instanceof ImportFault) return err;
  const e = err as { code?: unknown; message?: string; lines?: number };
  if (typeof e?.code === "string" && e.code.startsWith("CSV_")) {
    const line = lineBase + (e.lines ?? 0);
    if (e.code === "CSV_MAX_RECORD_SIZE") return new ImportFault("row_too_large", `a row is over ${IMPORT_MAX_ROW_BYTES / 1024} KB (the row cap), or a quote is not closed.`, line, file);
    return new ImportFault("malformed_csv", `${e.code}: ${e.message}`, line, file);
  }
  return err as Error;
}
