/** Streams a request body into R2 while hashing it (SHA-256), never holding more than the stream's chunks. */

export const toHex = (b: ArrayBuffer) => [...new Uint8Array(b)].map((x) => x.toString(16).padStart(2, "0")).join("");

/**
 * Pipes `body` (exactly `length` bytes, the request's Content-Length: R2 needs the length of a streamed value)
 * through a SHA-256 digest into `write`. The digest is written before each chunk moves on, so a slow R2 write
 * holds the request back instead of buffering it.
 */
export async function streamHashed<T>(body: ReadableStream<Uint8Array>, length: number, write: (s: ReadableStream<Uint8Array>) => Promise<T>): Promise<{ result: T; sha256: string }> {
  const digest = new crypto.DigestStream("SHA-256");
  const dw = digest.getWriter();
  const fixed = new FixedLengthStream(length);
  const hashing = new TransformStream<Uint8Array, Uint8Array>({
    async transform(chunk, ctrl) {
      await dw.write(chunk);
      ctrl.enqueue(chunk);
    },
    async flush() {
      await dw.close();
    },
  });
  const piping = body.pipeThrough(hashing).pipeTo(fixed.writable);
  const [result] = await Promise.all([write(fixed.readable as ReadableStream<Uint8Array>), piping]);
  return { result, sha256: toHex(await digest.digest) };
}
