/**
 * Meta's customer file normalisation, then SHA-256 (lowercase hex) per key (META-CFCA table,
 * audience-outputs.md §1.3). MADIDs are not hashed; LOOKALIKE_VALUE is a plain non-negative number.
 */
import { normalizeEmail, normalizePhone, sha256Hex } from "../../runtime/hash";

type Norm = (v: string) => string | undefined;
const nonEmpty = (v: string) => (v ? v : undefined);

/** FN / LN: lowercase, no punctuation or digits; letters of any script kept (UTF-8). */
const name: Norm = (v) => nonEmpty(v.normalize("NFC").toLowerCase().replace(/[^\p{L}]/gu, ""));

export const NORMALIZE: Record<string, Norm> = {
  EMAIL: (v) => normalizeEmail(v),
  PHONE: (v) => normalizePhone(v),
  /** `m` / `f`. */
  GEN: (v) => {
    const g = v.trim().toLowerCase();
    return g === "m" || g === "male" ? "m" : g === "f" || g === "female" ? "f" : undefined;
  },
  FN: name,
  LN: name,
  /** First initial: a–z lowercase. */
  FI: (v) => name(v)?.[0],
  /** City: a–z only, lowercase, no punctuation, special characters or spaces. */
  CT: (v) => nonEmpty(v.toLowerCase().replace(/[^a-z]/g, "")),
  /** State: lowercase, no punctuation, special characters or spaces (US 2-letter codes pass through). */
  ST: (v) => nonEmpty(v.toLowerCase().replace(/[^a-z0-9]/g, "")),
  /** Zip: lowercase, no spaces; a US ZIP+4 keeps its first 5 digits. */
  ZIP: (v) => {
    const z = v.toLowerCase().replace(/\s+/g, "");
    return nonEmpty(/^\d{5}-?\d{4}$/.test(z) ? z.slice(0, 5) : z);
  },
  /** ISO-3166-1 alpha-2, lowercase. */
  COUNTRY: (v) => {
    const c = v.trim().toLowerCase();
    return /^[a-z]{2}$/.test(c) ? c : undefined;
  },
  /** External id: "whitespace trimmed, converted to lowercase, and hashed" (mParticle docs 2023). */
  EXTERN_ID: (v) => nonEmpty(v.trim().toLowerCase()),
};

/** Normalises then hashes a value for `key`; undefined when nothing valid remains. */
export async function hashKey(key: keyof typeof NORMALIZE, value: string | undefined): Promise<string | undefined> {
  if (value === undefined) return undefined;
  const n = NORMALIZE[key]!(value);
  return n === undefined ? undefined : sha256Hex(n);
}

/** MADID: not hashed; lowercase, hyphens kept (META-CFCA: "do not hash"). */
export function madid(value: string | undefined): string | undefined {
  const v = value?.trim().toLowerCase();
  return v ? v : undefined;
}

/** LOOKALIKE_VALUE of a user attribute: a finite number, or undefined. */
export function numericValue(v: unknown): number | undefined {
  const n = typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" ? Number(v) : NaN;
  return Number.isFinite(n) ? n : undefined;
}
