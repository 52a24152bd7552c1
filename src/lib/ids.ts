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
  return (digestBase(input) || 1n).toString();
}

const MASK_63 = 0x7fffffffffffffffn;

/** The first 63 bits of SHA-256(input). */
function digestBase(input: string): bigint {
  const digest = sha256Bytes(input);
  let n = 0n;
  for (let i = 0; i < 8; i++) n = (n << 8n) | BigInt(digest[i]!);
  return n & MASK_63;
}

/**
 * Deterministic ids for a run of items of one source (the events of a batch): one SHA-256 of `input`, then
 * item `k` gets that 63-bit value + k (wrapping, never 0). Stable across redeliveries, distinct within the
 * run, and as unlikely to collide with another run's as `stableId` — for one hash per batch, not per event.
 */
export function stableIdRange(input: string): (k: number) => string {
  const base = digestBase(input);
  return (k) => ((base + BigInt(k)) & MASK_63 || 1n).toString();
}
