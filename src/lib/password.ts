/**
 * Console passwords: PBKDF2-SHA256 at 100,000 iterations through WebCrypto (workerd's maximum; higher counts
 * throw NotSupportedError), 16-byte random salt, 32-byte derived key. Stored as
 * `pbkdf2-sha256$<iterations>$<salt hex>$<hash hex>`.
 */
import { timingSafeEqualStr } from "./crypto";

/** workerd refuses PBKDF2 above 100,000 iterations. */
export const PBKDF2_ITERATIONS = 100_000;
/** Shortest password a console user may set (NIST SP 800-63B: at least 8). */
export const PASSWORD_MIN_LENGTH = 8;
/** Longest password accepted: bounds the hashing work an attacker can ask for. */
export const PASSWORD_MAX_LENGTH = 256;

const enc = new TextEncoder();
const hex = (b: ArrayBuffer | Uint8Array) => [...new Uint8Array(b)].map((x) => x.toString(16).padStart(2, "0")).join("");
const unhex = (s: string) => new Uint8Array((s.match(/../g) ?? []).map((h) => parseInt(h, 16)));

async function derive(password: string, salt: Uint8Array, iterations: number): Promise<string> {
  const key = await crypto.subtle.importKey("raw", enc.encode(password), "PBKDF2", false, ["deriveBits"]);
  return hex(await crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt, iterations }, key, 256));
}

/** The stored form of `password`. */
export async function hashPassword(password: string): Promise<string> {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  return `pbkdf2-sha256$${PBKDF2_ITERATIONS}$${hex(salt)}$${await derive(password, salt, PBKDF2_ITERATIONS)}`;
}

/** A well-formed hash no password matches: verified against for unknown emails, so timing does not reveal which exist. */
export const UNKNOWN_PASSWORD_HASH = `pbkdf2-sha256$${PBKDF2_ITERATIONS}$${"00".repeat(16)}$${"00".repeat(32)}`;

/** Checks `password` against a stored hash, in constant time. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, iter, salt, want] = stored.split("$");
  const iterations = Number(iter);
  if (scheme !== "pbkdf2-sha256" || !salt || !want || !Number.isSafeInteger(iterations) || iterations < 1 || iterations > PBKDF2_ITERATIONS) return false;
  if (password.length > PASSWORD_MAX_LENGTH) return false;
  return timingSafeEqualStr(await derive(password, unhex(salt), iterations), want);
}
