/** Normalising SHA-256 hashers for partner user data (partners.md §4: trim, lowercase, E.164 digits). */
import { sha1Hex, sha256Hex } from "../../lib/crypto";

export { sha1Hex, sha256Hex };

const SHA256_HEX = /^[0-9a-f]{64}$/;

/** True when the value already looks like a hex SHA-256 (callers must not hash it twice). */
export function isSha256Hex(value: string): boolean {
  return SHA256_HEX.test(value);
}

/** Trim + lowercase; undefined for empty or non-string input. */
export function normalizeGeneric(value: unknown): string | undefined {
  if (typeof value !== "string" && typeof value !== "number") return undefined;
  const v = String(value).trim().toLowerCase();
  return v ? v : undefined;
}

/** Email: trim + lowercase. */
export function normalizeEmail(value: unknown): string | undefined {
  return normalizeGeneric(value);
}

/**
 * Phone to E.164 digits without "+": drop everything but digits, then an international "00" prefix and
 * leading zeros (Meta: "remove symbols, letters and leading zeros; include the country code").
 */
export function normalizePhone(value: unknown): string | undefined {
  if (typeof value !== "string" && typeof value !== "number") return undefined;
  const digits = String(value).replace(/\D/g, "").replace(/^0+/, "");
  return digits ? digits : undefined;
}

async function hashWith(normalize: (v: unknown) => string | undefined, value: unknown): Promise<string | undefined> {
  const raw = normalizeGeneric(value);
  if (raw !== undefined && isSha256Hex(raw)) return raw;
  const v = normalize(value);
  return v === undefined ? undefined : sha256Hex(v);
}

/** SHA-256 hex of the normalised email (an already hashed value is passed through). */
export const hashEmail = (value: unknown) => hashWith(normalizeEmail, value);
/** SHA-256 hex of the E.164 digits of a phone number (an already hashed value is passed through). */
export const hashPhone = (value: unknown) => hashWith(normalizePhone, value);
/** SHA-256 hex of the trimmed, lowercased value (an already hashed value is passed through). */
export const hashGeneric = (value: unknown) => hashWith(normalizeGeneric, value);

const SHA1_HEX = /^[0-9a-f]{40}$/;

/** True when the value already looks like a hex SHA-1. */
export function isSha1Hex(value: string): boolean {
  return SHA1_HEX.test(value);
}

/** SHA-1 hex of the trimmed, lowercased value (an already SHA-1-hashed value is passed through). */
export async function sha1Generic(value: unknown): Promise<string | undefined> {
  const v = normalizeGeneric(value);
  if (v === undefined) return undefined;
  return isSha1Hex(v) ? v : sha1Hex(v);
}
