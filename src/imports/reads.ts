/**
 * Reads of a byte stream (an R2 object body, a request body) in large pieces. Each read of a workerd stream leaves
 * objects in the isolate's old generation (its promise continuations: about 580 bytes a read, measured) and R2 streams
 * in chunks of 4 KB locally, so a 1 GB file read chunk by chunk put 140 MB of garbage there (docs/performance.md, CSV
 * import, Memory). A byte stream is read with workerd's `readAtLeast` (a BYOB read elsewhere) into a buffer of the
 * caller's size; any other stream chunk by chunk.
 */

/** Bytes one read of an R2 object body takes (src/imports/records.ts), into one reused buffer; ours. */
export const SOURCE_READ_BYTES = 64 * 1024;

/** `next()` answers null at the stream's end; `reused`: a chunk is valid only until the next call. */
export type ChunkReader = { next(): Promise<Uint8Array | null>; release(): void; readonly reused: boolean };

/**
 * A reader of `body` in reads of at least `size` bytes (fewer only at its end) when it is a byte stream, its own chunks
 * otherwise. `reuse`: every read goes into the same buffer (the chunk handed out is overwritten by the next read), else
 * into a new one.
 */
export function chunkReader(body: ReadableStream<Uint8Array>, size: number, reuse: boolean): ChunkReader {
  let byob: ReadableStreamBYOBReader | null = null;
  try {
    byob = body.getReader({ mode: "byob" });
  } catch {
    byob = null; // not a byte stream (an inflated file's chunks)
  }
  if (!byob) {
    const reader = body.getReader();
    return {
      reused: false,
      next: async () => {
        const r = await reader.read();
        return r.done ? null : r.value;
      },
      release: () => reader.releaseLock(),
    };
  }
  const r = byob;
  let pool: ArrayBuffer | null = null;
  let ended = false;
  return {
    reused: reuse,
    next: async () => {
      while (!ended) {
        // The buffer is transferred to the read and handed back, the same memory, in its answer (a new one when a
        // consumer of the last chunk detached it).
        if (!reuse || !pool || pool.byteLength === 0) pool = new ArrayBuffer(size);
        const view = new Uint8Array(pool);
        const res = await (typeof r.readAtLeast === "function" ? r.readAtLeast(size, view) : r.read(view));
        pool = res.value ? (res.value.buffer as ArrayBuffer) : null;
        if (res.done) ended = true;
        if (res.value && res.value.length) return res.value;
      }
      return null;
    },
    release: () => r.releaseLock(),
  };
}
