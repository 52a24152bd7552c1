/**
 * Streaming decompression with fflate (gzip, zip) under a size cap and a ratio cap (zip bombs): compressed bytes in,
 * one event per inflated chunk out, so memory stays bounded by one compressed chunk × the ratio cap.
 */
import { Gunzip, Unzip, UnzipInflate, type UnzipFile } from "fflate";
import { ImportFault } from "./faults";
import type { InflateCaps } from "./limits";
import { chunkReader } from "./reads";

/** Compressed bytes pushed into the inflater at a time; ours. */
const INFLATE_SLICE_BYTES = 64 * 1024;
/** Compressed bytes one read of the R2 body takes (src/imports/reads.ts: fewer reads, less garbage); ours. */
const INFLATE_READ_BYTES = 64 * 1024;

const readable = (err: unknown, format: "gzip" | "zip") => (err instanceof ImportFault ? err : new ImportFault("bad_archive", `not a readable ${format === "gzip" ? "gzip" : "zip"} file: ${(err as Error).message}`));

/** An inflated chunk of entry `entry` (0 for gzip), or the end of that entry. */
export type InflateEvent = { entry: number; name: string; data: Uint8Array } | { entry: number; name: string; end: true };

/** Pulls compressed chunks from `body` and yields inflated events; `wanted(entry, name)` false skips a zip entry unread. */
export async function* inflate(body: ReadableStream<Uint8Array>, format: "gzip" | "zip", caps: InflateCaps, wanted: (entry: number, name: string) => boolean = () => true): AsyncGenerator<InflateEvent> {
  let inBytes = 0;
  let outBytes = 0;
  const out: InflateEvent[] = [];
  let failure: unknown = null;
  const count = (n: number, name: string) => {
    outBytes += n;
    if (outBytes > caps.maxBytes) throw new ImportFault("zip_bomb", `inflates past ${caps.maxBytes} bytes (the size cap of a compressed file).`, undefined, name);
    if (outBytes > caps.graceBytes && outBytes > inBytes * caps.maxRatio) throw new ImportFault("zip_bomb", `inflates more than ${caps.maxRatio} times its compressed size (the ratio cap).`, undefined, name);
  };
  let push: (chunk: Uint8Array, final: boolean) => void;
  if (format === "gzip") {
    const g = new Gunzip((data, final) => {
      count(data.length, "");
      if (data.length) out.push({ entry: 0, name: "", data });
      if (final) out.push({ entry: 0, name: "", end: true });
    });
    push = (c, f) => g.push(c, f);
  } else {
    let entries = 0;
    const uz = new Unzip((file: UnzipFile) => {
      const entry = entries++;
      if (file.name.endsWith("/")) return; // a folder
      if (entry >= caps.maxEntries) throw new ImportFault("bad_archive", `more than ${caps.maxEntries} entries in the zip file.`);
      if (!wanted(entry, file.name)) return; // not started: its bytes are skipped, not inflated
      file.ondata = (err, data, final) => {
        if (err) {
          failure ??= new ImportFault("bad_archive", `cannot inflate: ${err.message}`, undefined, file.name);
          return;
        }
        try {
          count(data.length, file.name);
        } catch (e) {
          failure ??= e;
          file.terminate();
          return;
        }
        if (data.length) out.push({ entry, name: file.name, data });
        if (final) out.push({ entry, name: file.name, end: true });
      };
      file.start();
    });
    uz.register(UnzipInflate);
    push = (c, f) => uz.push(c, f);
  }
  // Fresh buffers (no reuse): fflate may keep a reference to what it was given until more input arrives.
  const reader = chunkReader(body, INFLATE_READ_BYTES, false);
  try {
    for (;;) {
      const chunk = await reader.next();
      const done = chunk === null;
      const value = chunk ?? new Uint8Array(0);
      try {
        if (done) push(new Uint8Array(0), true);
      } catch (err) {
        throw readable(err, format);
      }
      // A compressed chunk is inflated a slice at a time, and that slice's output handed on before the next: what
      // is held inflated at once is one slice × the ratio cap, whatever chunk sizes the source gives.
      for (let at = 0; !done && at < value.byteLength; at += INFLATE_SLICE_BYTES) {
        const slice = value.subarray(at, at + INFLATE_SLICE_BYTES);
        try {
          inBytes += slice.byteLength;
          push(slice, false);
        } catch (err) {
          throw readable(err, format);
        }
        if (failure) throw failure;
        while (out.length) yield out.shift()!;
      }
      if (failure) throw failure;
      while (out.length) yield out.shift()!;
      if (done) return;
    }
  } finally {
    reader.release();
    await body.cancel().catch(() => {});
  }
}
