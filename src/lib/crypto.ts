/**
 * Crypto helpers: secret hashing, constant-time comparison, AES-GCM at rest (WebCrypto), HMAC signatures.
 * SHA-256 of short strings is synchronous (@noble/hashes): a WebCrypto digest costs an async round trip
 * (tens of µs) per call, and the hot paths hash per identity and per event.
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { loadOnce, type SharedLoad } from "./shared-load";

const enc = new TextEncoder();

function toHex(buf: ArrayBuffer | Uint8Array): string {
  const b = buf instanceof Uint8Array ? buf : new Uint8Array(buf);
  let s = "";
  for (const x of b) s += x.toString(16).padStart(2, "0");
  return s;
}

function b64encode(b: Uint8Array): string {
  let s = "";
  for (const x of b) s += String.fromCharCode(x);
  return btoa(s);
}

function b64decode(s: string): Uint8Array {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** Hex SHA-256 of a UTF-8 string, synchronously. */
export function sha256HexSync(value: string): string {
  return toHex(sha256(enc.encode(value)));
}

/** Hex SHA-256 of a UTF-8 string (kept async for callers written against WebCrypto). */
export async function sha256Hex(value: string): Promise<string> {
  return sha256HexSync(value);
}

/** SHA-256 bytes of a UTF-8 string, synchronously. */
export function sha256Bytes(value: string): Uint8Array {
  return sha256(enc.encode(value));
}

/** Hex SHA-1 of a UTF-8 string (WebCrypto). Only for partners that ask for it (Pinterest audiences), never for secrets. */
export async function sha1Hex(value: string): Promise<string> {
  return toHex(await crypto.subtle.digest("SHA-1", enc.encode(value)));
}

/** Base64 HMAC-SHA1 of `message` keyed by `key` (both UTF-8): OAuth 1.0a request signatures (RFC 5849 §3.4.2). */
export async function hmacSha1Base64(key: string, message: string): Promise<string> {
  const k = await crypto.subtle.importKey("raw", enc.encode(key), { name: "HMAC", hash: "SHA-1" }, false, ["sign"]);
  return b64encode(new Uint8Array(await crypto.subtle.sign("HMAC", k, enc.encode(message))));
}

/** Hex HMAC-SHA256 of `message` keyed by `secret` (both UTF-8). */
export async function hmacSha256Hex(secret: string, message: string | Uint8Array): Promise<string> {
  const key = await crypto.subtle.importKey("raw", enc.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const data = typeof message === "string" ? enc.encode(message) : message;
  return toHex(await crypto.subtle.sign("HMAC", key, data));
}

/** Compares two strings in time that depends only on their lengths. */
export function timingSafeEqualStr(a: string, b: string): boolean {
  const x = enc.encode(a);
  const y = enc.encode(b);
  if (x.byteLength !== y.byteLength) {
    // Still spend the comparison so a length mismatch is not measurably faster.
    crypto.subtle.timingSafeEqual(x, x);
    return false;
  }
  return crypto.subtle.timingSafeEqual(x, y);
}

/**
 * Stored form of an API secret: "sha256$<salt>$<hex>". Secrets are random tokens, so a salted SHA-256 is
 * enough (no password stretching on the hot path); the plain secret is never stored.
 */
export async function hashSecret(secret: string, salt = toHex(crypto.getRandomValues(new Uint8Array(16)))): Promise<string> {
  return `sha256$${salt}$${await sha256Hex(`${salt}:${secret}`)}`;
}

/** A well-formed stored hash no secret matches: checked against when a key is unknown, so timing does not reveal which keys exist. */
export const UNKNOWN_SECRET_HASH = `sha256$00$${"0".repeat(64)}`;

/** Checks `secret` against a stored hash from `hashSecret`, in constant time. */
export async function verifySecret(secret: string, stored: string): Promise<boolean> {
  const [scheme, salt, hex] = stored.split("$");
  if (scheme !== "sha256" || !salt || !hex) return false;
  return timingSafeEqualStr(await sha256Hex(`${salt}:${secret}`), hex);
}

/** Imported keys, shared as plain data (src/lib/shared-load.ts): never one request's promise awaited by another. */
const keyCache = new Map<string, SharedLoad<CryptoKey>>();

function aesKey(base64Key: string): Promise<CryptoKey> {
  return loadOnce(
    keyCache,
    base64Key,
    async () => {
      const raw = b64decode(base64Key);
      if (raw.byteLength !== 32) throw new Error("CONFIG_ENCRYPTION_KEY must be 32 bytes, base64-encoded");
      return crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt", "decrypt"]);
    },
  );
}

/** Encrypts a JSON value with AES-256-GCM; returns "v1.<iv>.<ciphertext>" (base64 parts). */
export async function encryptJson(base64Key: string, value: unknown): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const ct = await crypto.subtle.encrypt({ name: "AES-GCM", iv }, await aesKey(base64Key), enc.encode(JSON.stringify(value)));
  return `v1.${b64encode(iv)}.${b64encode(new Uint8Array(ct))}`;
}

/** Decrypts a value written by `encryptJson`. Throws when the key is wrong or the data was altered. */
export async function decryptJson<T = unknown>(base64Key: string, sealed: string): Promise<T> {
  const [v, iv, ct] = sealed.split(".");
  if (v !== "v1" || !iv || !ct) throw new Error("unknown sealed format");
  const pt = await crypto.subtle.decrypt({ name: "AES-GCM", iv: b64decode(iv) }, await aesKey(base64Key), b64decode(ct));
  return JSON.parse(new TextDecoder().decode(pt)) as T;
}
