/** Random identifiers: UUIDs for batches/messages, signed 64-bit MPIDs as decimal strings. */
import { sha256Bytes } from "./crypto";

/** A random UUID v4. */
export function uuid(): string {
  return crypto.randomUUID();
}

/** A random signed 64-bit integer, never 0, as a decimal string (mParticle MPID). */
export function newMpid(): string {
  const buf = new BigInt64Array(1);
  do crypto.getRandomValues(buf);
  while (buf[0] === 0n);
  return buf[0]!.toString();
}

/** Random URL-safe token of `bytes` random bytes (API secrets, client secrets). */
export function randomToken(bytes = 24): string {
  const b = crypto.getRandomValues(new Uint8Array(bytes));
  return btoa(String.fromCharCode(...b)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/**
 * Deterministic 63-bit positive integer id from a string (e.g. batch id + event index), as a decimal string.
 * Outbound `message_id`/`event_id` must be stable across redeliveries so partners can deduplicate.
 */
export function stableId(input: string): string {
  const digest = sha256Bytes(input);
  let n = 0n;
  for (let i = 0; i < 8; i++) n = (n << 8n) | BigInt(digest[i]!);
  return (n & 0x7fffffffffffffffn).toString();
}
