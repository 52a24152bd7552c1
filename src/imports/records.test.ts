import { describe, expect, it } from "vitest";
import { ImportFault } from "./faults";
import { type CsvRecord, completeLength, csvRecords, utf8Length } from "./records";

const enc = new TextEncoder();

/** `bytes` as a stream of `size`-byte chunks. */
const chunked = (bytes: Uint8Array, size: number) =>
  new ReadableStream<Uint8Array>({
    start(c) {
      for (let i = 0; i < bytes.length; i += size) c.enqueue(bytes.slice(i, i + size));
      c.close();
    },
  });

async function read(bytes: Uint8Array, opts: { chunk?: number; readBytes?: number; maxRowBytes?: number } = {}): Promise<{ records: CsvRecord[]; fault: ImportFault | null }> {
  const records: CsvRecord[] = [];
  try {
    for await (const r of csvRecords(chunked(bytes, opts.chunk ?? 7), { file: "f.csv", readBytes: opts.readBytes ?? 5, maxRowBytes: opts.maxRowBytes })) records.push(r);
    return { records, fault: null };
  } catch (err) {
    if (err instanceof ImportFault) return { records, fault: err };
    throw err;
  }
}

describe("CSV records", () => {
  const file = '\ufeffid,note\r\nü-1,"said ""hi""\r\nthen left"\r\n\r\nx-2,Zürich 😀\r\ny-3,"a,b"\n';

  it("reads quotes, escaped quotes, embedded newlines, CRLF and LF, a BOM and empty lines the same in any chunking", async () => {
    const bytes = enc.encode(file);
    for (const [chunk, readBytes] of [[1, 1], [3, 5], [7, 11], [bytes.length, 1 << 20]] as const) {
      const { records, fault } = await read(bytes, { chunk, readBytes });
      expect(fault).toBeNull();
      expect(records.map((r) => r.cells)).toEqual([["id", "note"], ["ü-1", 'said "hi"\r\nthen left'], ["x-2", "Zürich 😀"], ["y-3", "a,b"]]);
      expect(records.map((r) => [r.line, r.endLine])).toEqual([[1, 1], [2, 3], [5, 5], [6, 6]]);
    }
  });

  it("reads a byte stream (an R2 body) through one reused BYOB buffer, the same records as chunk by chunk, wherever a read ends", async () => {
    const bytes = enc.encode(file);
    const expected = (await read(bytes)).records;
    for (const [chunk, sourceReadBytes, readBytes] of [[1, 1, 1], [3, 4, 5], [7, 8, 3], [bytes.length, 1 << 16, 1 << 20]] as const) {
      const body = new ReadableStream({
        type: "bytes",
        start(c) {
          for (let i = 0; i < bytes.length; i += chunk) c.enqueue(bytes.slice(i, i + chunk));
          c.close();
        },
      });
      const modes: string[] = [];
      const getReader = body.getReader.bind(body) as (o?: { mode?: "byob" }) => ReadableStreamBYOBReader | ReadableStreamDefaultReader;
      (body as { getReader: unknown }).getReader = (o?: { mode?: "byob" }) => {
        modes.push(o?.mode ?? "default");
        return getReader(o);
      };
      const records: CsvRecord[] = [];
      for await (const r of csvRecords(body as ReadableStream<Uint8Array>, { file: "f.csv", readBytes, sourceReadBytes })) records.push(r);
      expect(records).toEqual(expected);
      expect(modes).toEqual(["byob"]);
    }
  });

  it("gives each record the exact byte offset just past it (where a resumed read starts)", async () => {
    const bytes = enc.encode(file);
    const { records } = await read(bytes, { chunk: 2, readBytes: 3 });
    const text = (r: CsvRecord) => new TextDecoder().decode(bytes.subarray(r.end));
    expect(text(records[0]!).startsWith("ü-1,")).toBe(true);
    expect(text(records[1]!).startsWith("\r\nx-2")).toBe(true);
    expect(records[3]!.end).toBe(bytes.length);
  });

  it("rejects only the records with bytes that are not UTF-8, with their lines and offsets", async () => {
    const bytes = new Uint8Array([...enc.encode("id,v\nc-1,ok\nc-2,caf"), 0xe9, ...enc.encode('\nc-3,"'), 0xff, ...enc.encode('x\ny"\nc-4,é\n')]);
    for (const chunk of [1, 4, bytes.length]) {
      const { records, fault } = await read(bytes, { chunk, readBytes: 6 });
      expect(fault).toBeNull();
      expect(records.map((r) => [r.line, r.cells === null])).toEqual([[1, false], [2, false], [3, true], [4, true], [6, false]]);
      expect(records[2]!.raw).toBe("c-2,caf\ufffd");
      expect(records[4]!.cells).toEqual(["c-4", "é"]);
      expect(records[3]!.end).toBe(bytes.length - enc.encode("c-4,é\n").length);
    }
  });

  it("stops at an unclosed quote with the records before it, and at a record over the row cap", async () => {
    const unclosed = await read(enc.encode('id,v\na,1\nb,"never closed\nc,3\n'));
    expect(unclosed.records.map((r) => r.cells?.[0])).toEqual(["id", "a"]);
    expect(unclosed.fault).toMatchObject({ code: "malformed_csv", line: 3 });
    const malformed = await read(enc.encode('id,v\na,1\nb,"x"y,z\nc,3\n'), { readBytes: 100 });
    expect(malformed.records.map((r) => r.cells?.[0])).toEqual(["id", "a"]);
    expect(malformed.fault).toMatchObject({ code: "malformed_csv", line: 3 });
    const long = await read(enc.encode(`id,v\na,1\nb,${"x".repeat(200)}\nc,3\n`), { maxRowBytes: 100, readBytes: 1000 });
    expect(long.records.length).toBe(2);
    expect(long.fault).toMatchObject({ code: "row_too_large", line: 3 });
    const endless = await read(enc.encode(`id,v\na,1\nb,"${"x\n".repeat(200)}`), { maxRowBytes: 100, readBytes: 16 });
    expect(endless.fault).toMatchObject({ code: "row_too_large", line: 3 });
  });

  it("measures UTF-8 and holds back a character cut by a chunk", () => {
    expect(utf8Length("aü€😀", 0, 5)).toBe(enc.encode("aü€😀").length);
    const euro = enc.encode("a€");
    expect(completeLength(euro.subarray(0, 2))).toBe(1);
    expect(completeLength(euro.subarray(0, 3))).toBe(1);
    expect(completeLength(euro)).toBe(4);
  });
});
