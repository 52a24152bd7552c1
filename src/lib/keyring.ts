/**
 * Key rings: named keys, the first one current. Used for the AES-256-GCM keys that seal secrets at rest
 * (src/lib/sealed.ts) and for the HMAC keys that sign access tokens (src/lib/token-keys.ts).
 *
 * A ring is written `kid:base64,kid:base64` (first = current; the rest stay usable for reading/verifying), or as
 * one bare base64 key whose key id is its fingerprint (`k` + 8 hex of SHA-256) — the single-key form. A key is
 * also known by its fingerprint when it has another id, so moving a key from the single form into a ring under a
 * new id keeps what it signed or sealed valid.
 */
import { sha256HexSync } from "./crypto";

/** A key: its id (given, or its fingerprint), its bytes, and its fingerprint (which also names it). */
export type RingKey = { kid: string; raw: Uint8Array; fingerprint: string };
export type KeyRing = { current: RingKey; keys: RingKey[] };

const KID = /^[A-Za-z0-9_-]{1,32}$/;

function b64decode(s: string): Uint8Array {
  const bin = atob(s.trim());
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

/** The key id of a bare key: its fingerprint, stable for the same key material. */
export function fingerprintKid(base64: string): string {
  return `k${sha256HexSync(`edge-cdp key id:${base64.trim()}`).slice(0, 8)}`;
}

/**
 * Parses a ring (or a single key); null when `text` is empty. Throws naming `what` when an entry is malformed,
 * or its key is not exactly `size.exact` / at least `size.min` bytes.
 */
export function parseKeyRing(text: string, what: string, size: { exact?: number; min?: number }): KeyRing | null {
  const entries = text.split(/[\s,]+/).filter(Boolean);
  if (!entries.length) return null;
  const keys = entries.map((e): RingKey => {
    const i = e.indexOf(":");
    const kid = i > 0 ? e.slice(0, i) : fingerprintKid(e);
    const b64 = i > 0 ? e.slice(i + 1) : e;
    if (!KID.test(kid)) throw new Error(`${what}: key id "${kid}" must be 1-32 of A-Z a-z 0-9 _ -`);
    let raw: Uint8Array;
    try {
      raw = b64decode(b64);
    } catch {
      throw new Error(`${what}: key "${kid}" is not base64`);
    }
    if (size.exact !== undefined && raw.byteLength !== size.exact) throw new Error(`${what}: key "${kid}" must be ${size.exact} bytes, base64-encoded`);
    if (size.min !== undefined && raw.byteLength < size.min) throw new Error(`${what}: key "${kid}" must be at least ${size.min} bytes, base64-encoded`);
    return { kid, raw, fingerprint: fingerprintKid(b64) };
  });
  return { current: keys[0]!, keys };
}

/** Appends `extra`'s keys that `ring` lacks (same material = same key), keeping `ring`'s current key. */
export function mergeRings(ring: KeyRing | null, extra: KeyRing | null): KeyRing | null {
  if (!ring) return extra;
  if (!extra) return ring;
  const same = (a: Uint8Array, b: Uint8Array) => a.byteLength === b.byteLength && a.every((x, i) => x === b[i]);
  const keys = [...ring.keys];
  for (const k of extra.keys) if (!keys.some((r) => r.kid === k.kid || same(r.raw, k.raw))) keys.push(k);
  return { current: ring.current, keys };
}
