/**
 * CSV records of one file (RFC 4180: quotes, escaped quotes, embedded newlines, CRLF or LF, UTF-8 BOM), streamed.
 * Bytes are read in runs of READ_BYTES, decoded to text in one call per run (strict UTF-8), and tokenized by
 * papaparse's parser core; the unfinished last record is carried into the next run. Each record keeps its first line,
 * its last line and the byte offset just past it (a resumed plain CSV is read from there). A run that is not valid
 * UTF-8 is decoded line by line instead, so only the records holding bad bytes are rejected (cells null). Structural
 * faults (a broken quote, a record over the row cap) stop the file at the record where they happened.
 */
import { TextParser, type TextParserStep } from "./csv-text";
import { ImportFault } from "./faults";
import { IMPORT_MAX_ROW_BYTES } from "./limits";
import { chunkReader, SOURCE_READ_BYTES } from "./reads";
import { byLines, completeLength, utf8Length } from "./run-text";

/** One record: its first line, the byte offset just past it, and its cells (null: not valid UTF-8). */
export type CsvRecord = { line: number; endLine: number; end: number; cells: string[] | null; raw: string };

/**
 * Bytes gathered before one decode and parse call (about 10 rows of the bench's file); ours. Small: a run's text and
 * records are what a young collection in the middle of the run finds alive (64 KB, then 4 KB before the memory work of
 * issue 24; at 1 KB what survived the young collections of a 300,000-row import fell from 17 to 12 bytes a row).
 */
export const READ_BYTES = 1024;

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const LF = 10;
const CR = 13;

export { completeLength, utf8Length };

type Row = { cells: string[]; cursor: number; error: string | null };

/**
 * The records of one run at a time (a plain object, not the generator: what a run allocates, its text, rows and
 * records, is never held by the generator's suspended frame, which outlives every young collection of the step).
 */
class RunParser {
  private rows: Row[] = [];
  private readonly parser: TextParser;

  constructor(
    private readonly file: string,
    private readonly maxRow: number,
    /** Last line consumed. */
    public line: number,
    /** File offset of the next run's first byte. */
    public offset: number,
  ) {
    this.parser = new TextParser({
      delimiter: ",",
      newline: "\n", // CRLF ends a record too: its CR is dropped from the last cell below
      quoteChar: '"',
      step: (r: TextParserStep) => this.rows.push({ cells: r.data[0]!, cursor: r.meta.cursor, error: r.errors.length ? `${r.errors[0]!.code}: ${r.errors[0]!.message}` : null }),
    });
  }

  /** The records of `data` (`done`: the file ends with it), the fault that stopped them, and the bytes they took. */
  parse(data: Uint8Array, done: boolean): { out: CsvRecord[]; fault: ImportFault | null; consumed: number } {
    const cut = done ? data.length : completeLength(data);
    const run = data.subarray(0, cut);
    let text: string;
    let lines: ReturnType<typeof byLines> | null = null;
    try {
      text = utf8.decode(run);
    } catch {
      lines = byLines(run);
      text = lines.text;
    }
    const ascii = lines === null && text.length === cut;
    const hasCR = text.indexOf("\r") >= 0;
    this.rows = [];
    this.parser.parse(text, 0, !done);
    const rows = this.rows;
    this.rows = [];
    const out: CsvRecord[] = [];
    let fault: ImportFault | null = null;
    let prev = 0; // char cursor of the record's start
    let prevByte = 0; // its byte offset in `run`
    let seg = 0; // byLines: index of the line the record starts on
    for (const row of rows) {
      const { cursor } = row;
      if (cursor === prev && !row.error) continue; // the empty "row" after the file's last newline
      const endsNl = text.charCodeAt(cursor - 1) === LF;
      let byteEnd: number;
      let bad = false;
      if (lines) {
        let s = seg;
        for (; lines.chars[s]! < cursor; s++) if (lines.bad[s]) bad = true;
        byteEnd = lines.bytes[s]!;
        seg = s;
      } else byteEnd = prevByte + (ascii ? cursor - prev : utf8Length(text, prev, cursor));
      const cells = row.cells;
      if (endsNl && text.charCodeAt(cursor - 2) === CR) {
        const last = cells[cells.length - 1]!;
        if (last.charCodeAt(last.length - 1) === CR) cells[cells.length - 1] = last.slice(0, -1);
      }
      // Newlines inside the record (quoted cells): its first line is the one after the last record's last line.
      let inner = 0;
      for (let i = text.indexOf("\n", prev); i >= 0 && i < cursor; i = text.indexOf("\n", i + 1)) {
        inner++;
        if (i === cursor - 1) break; // the record's own end: no need to look into the next one
      }
      if (endsNl) inner--;
      if (hasCR)
        for (let i = text.indexOf("\r", prev); i >= 0 && i < cursor; i = text.indexOf("\r", i + 1)) {
          if (text.charCodeAt(i + 1) !== LF) inner++;
          if (i >= cursor - 2) break;
        }
      const first = this.line + 1;
      if (row.error) {
        fault = new ImportFault("malformed_csv", row.error, first, this.file);
        break;
      }
      if (byteEnd - prevByte > this.maxRow) {
        fault = tooLarge(first, this.file);
        break;
      }
      this.line = first + inner;
      prev = cursor;
      prevByte = byteEnd;
      if (cells.length === 1 && cells[0] === "" && inner === 0) continue; // an empty line
      out.push(bad ? { line: first, endLine: this.line, end: this.offset + byteEnd, cells: null, raw: cells.join(",") } : { line: first, endLine: this.line, end: this.offset + byteEnd, cells, raw: "" });
    }
    this.offset += prevByte;
    return { out, fault, consumed: prevByte };
  }
}

type RecordOptions = { file: string; firstLine?: number; baseOffset?: number; bom?: boolean; maxRowBytes?: number; readBytes?: number; sourceReadBytes?: number };

/**
 * The records of `body`. `firstLine`/`baseOffset` place a body that starts mid-file (a resumed plain CSV read from
 * a byte offset); `bom` false when it does. Throws ImportFault on a structural fault, after every record before it.
 */
export async function* csvRecords(body: ReadableStream<Uint8Array>, opts: RecordOptions): AsyncGenerator<CsvRecord> {
  for await (const run of csvRecordRuns(body, opts)) for (const r of run) yield r;
}

/**
 * `csvRecords`, a run (READ_BYTES of the file) at a time: one step of the async iteration per run rather than per
 * record (the import step's loop; a promise and a result object less per row).
 */
export async function* csvRecordRuns(body: ReadableStream<Uint8Array>, opts: RecordOptions): AsyncGenerator<CsvRecord[]> {
  const readBytes = opts.readBytes ?? READ_BYTES;
  const maxRow = opts.maxRowBytes ?? IMPORT_MAX_ROW_BYTES;
  const runs = new RunParser(opts.file, maxRow, (opts.firstLine ?? 1) - 1, opts.baseOffset ?? 0);
  let checkBom = opts.bom !== false;
  // The run's bytes, in one buffer for the whole file: the carried bytes of the unfinished record (at most a row, or a
  // cut character) at its start, then what the source gives. Chunks longer than a run are copied into `stage` first.
  // So no run allocates a buffer, and no source chunk outlives the read that brought it: a chunk kept across runs
  // outlives the isolate's young collections, and its bytes then count towards the old generation's limit.
  const buf = new Uint8Array(readBytes + maxRow + 3);
  let carried = 0;
  let stage = new Uint8Array(0);
  let ahead: Uint8Array = new Uint8Array(0); // the rest of a chunk longer than a run
  const reader = chunkReader(body, opts.sourceReadBytes ?? SOURCE_READ_BYTES, true);
  try {
    for (let done = false; !done; ) {
      // Gather readBytes (or the rest of the file) after the carried bytes; a longer chunk is taken in slices, so one
      // run's bytes and text stay bounded whatever chunk sizes the source gives.
      let total = carried;
      while (total - carried < readBytes) {
        if (!ahead.length) {
          const chunk = await reader.next();
          if (!chunk) {
            done = true;
            break;
          }
          if (chunk.length > readBytes && !reader.reused) {
            if (stage.length < chunk.length) stage = new Uint8Array(chunk.length);
            stage.set(chunk);
            ahead = stage.subarray(0, chunk.length);
          } else ahead = chunk; // the reader's own buffer (reused): consumed before the next read
        }
        const take = Math.min(ahead.length, readBytes - (total - carried));
        buf.set(ahead.subarray(0, take), total);
        ahead = ahead.subarray(take);
        total += take;
      }
      let data = buf.subarray(0, total);
      if (checkBom) {
        if (data.length < 3 && !done) {
          carried = total; // too short to tell a BOM yet: gather more before reading anything
          continue;
        }
        checkBom = false;
        if (data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf) {
          data = data.subarray(3);
          runs.offset += 3;
        }
      }
      const r = runs.parse(data, done);
      const from = data.byteOffset - buf.byteOffset + r.consumed;
      carried = total - from;
      buf.copyWithin(0, from, total); // the unfinished record, to the start for the next run
      if (r.out.length) yield r.out;
      if (r.fault) throw r.fault;
      // The unfinished record is longer than any row may be: the row cap, or a quote that is never closed.
      if (carried > maxRow) throw tooLarge(runs.line + 1, opts.file);
      if (done && carried) throw new ImportFault("malformed_csv", "the file ends inside a record.", runs.line + 1, opts.file);
    }
  } finally {
    reader.release();
    await body.cancel().catch(() => {});
  }
}

const tooLarge = (line: number, file: string) => new ImportFault("row_too_large", `a row is over ${IMPORT_MAX_ROW_BYTES / 1024} KB (the row cap), or a quote is not closed.`, line, file);
