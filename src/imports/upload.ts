/** Streams a request body into R2 while hashing it (SHA-256), never holding more than one read of it. */
import { chunkReader } from "./reads";

export const toHex = (b: ArrayBuffer) => [...new Uint8Array(b)].map((x) => x.toString(16).padStart(2, "0")).join("");

/**
 * Bytes one read of an upload takes, into one reused buffer (src/imports/reads.ts); ours. Each read and write of a
 * workerd stream leaves objects in the isolate's old generation, so a 1 GB file passed chunk by chunk through a
 * JavaScript transform put about 790 MB of garbage there (docs/performance.md, CSV import, Memory).
 */
export const UPLOAD_READ_BYTES = 256 * 1024;

/**
 * Copies `body` (exactly `length` bytes, the request's Content-Length: R2 needs the length of a streamed value) into a
 * SHA-256 digest and into the stream `write` consumes, one read at a time: each read is written to both before the
 * next, so a slow R2 write holds the request back instead of buffering it.
 */
export async function streamHashed<T>(body: ReadableStream<Uint8Array>, length: number, write: (s: ReadableStream<Uint8Array>) => Promise<T>): Promise<{ result: T; sha256: string }> {
  const digest = new crypto.DigestStream("SHA-256");
  const dw = digest.getWriter();
  const fixed = new FixedLengthStream(length);
  const fw = fixed.writable.getWriter();
  const copying = (async () => {
    const reader = chunkReader(body, UPLOAD_READ_BYTES, true);
    try {
      for (let chunk = await reader.next(); chunk; chunk = await reader.next()) {
        await dw.write(chunk);
        await fw.write(chunk);
      }
      await dw.close();
      await fw.close();
    } catch (err) {
      await fw.abort(err).catch(() => {});
      await dw.abort(err).catch(() => {});
      await body.cancel(err).catch(() => {});
      throw err;
    } finally {
      reader.release();
    }
  })();
  const [result] = await Promise.all([write(fixed.readable as ReadableStream<Uint8Array>), copying]);
  return { result, sha256: toHex(await digest.digest) };
}
