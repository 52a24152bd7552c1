import { describe, expect, it } from "vitest";
import { streamHashed, toHex, UPLOAD_READ_BYTES } from "./upload";

/** `bytes` as a stream of `size`-byte chunks: a byte stream (as a request body is) or a default one. */
const stream = (bytes: Uint8Array, size: number, type?: "bytes") => {
  const start = (c: { enqueue(b: Uint8Array): void; close(): void }) => {
    for (let i = 0; i < bytes.length; i += size) c.enqueue(bytes.slice(i, i + size));
    c.close();
  };
  return (type ? new ReadableStream({ type, start }) : new ReadableStream<Uint8Array>({ start })) as ReadableStream<Uint8Array>;
};

const collect = async (s: ReadableStream<Uint8Array>) => new Uint8Array(await new Response(s).arrayBuffer());

describe("streamHashed", () => {
  const bytes = new Uint8Array(UPLOAD_READ_BYTES * 2 + 12_345).map((_, i) => (i * 7919) % 251);

  it("passes every byte on, in order, and answers their SHA-256, over several reads of one reused buffer or chunk by chunk", async () => {
    const want = toHex(await crypto.subtle.digest("SHA-256", bytes));
    for (const [size, type] of [[4096, "bytes"], [UPLOAD_READ_BYTES + 1, "bytes"], [1000, undefined]] as const) {
      const { result, sha256 } = await streamHashed(stream(bytes, size, type), bytes.length, collect);
      expect(sha256).toBe(want);
      expect(result.length).toBe(bytes.length);
      expect(result).toEqual(bytes);
    }
  });

  it("fails when the body is shorter than its declared length", async () => {
    await expect(streamHashed(stream(bytes.subarray(0, 5000), 1000, "bytes"), 6000, collect)).rejects.toThrow();
  });
});
