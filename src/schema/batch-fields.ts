/** Shared zod building blocks of the batch schema (lenient scalars, attributes, required fields) and MPIDs. */
import { z } from "zod";

// ---------------------------------------------------------------------------------------------
// Field building blocks (shared instances; a schema may appear under many keys)
// ---------------------------------------------------------------------------------------------

export const absent = (v: unknown): unknown => (v === null ? undefined : v);
export const orEmptyObject = (v: unknown): unknown => v ?? {};

/** Optional field where an explicit `null` counts as absent. */
export const opt = <S extends z.ZodType>(schema: S) => z.preprocess(absent, schema.optional());

export const NUMERIC = /^\s*-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$/;
/** Optional number; SDKs sometimes send timestamps and amounts as numeric strings. */
export const num = z.preprocess(
  (v) => (v === null || v === "" ? undefined : typeof v === "string" && NUMERIC.test(v) ? Number(v) : v),
  z.number().optional(),
);
/** Optional boolean; "true"/"false" strings are coerced. */
export const bool = z.preprocess(
  (v) => (v === null ? undefined : v === "true" ? true : v === "false" ? false : v),
  z.boolean().optional(),
);
export const str = opt(z.string());
/** Optional identifier or label that callers sometimes send as a number: kept as a string. */
export const text = z.preprocess(
  (v) => (v === null ? undefined : typeof v === "number" && Number.isFinite(v) ? String(v) : v),
  z.string().optional(),
);
/** int64 ids the server assigns (session_id, event_id) and fields documented both ways: kept as given. */
export const numOrStr = opt(z.union([z.number(), z.string()]));
export const looseMap = opt(z.record(z.string(), z.unknown()));
export const looseObj = opt(z.looseObject({}));

export type Scalar = string | number | boolean | null;
export const isScalar = (v: unknown): v is Scalar =>
  v === null || typeof v === "string" || typeof v === "boolean" || (typeof v === "number" && Number.isFinite(v));

/** Event attribute value: SDKs send numbers and booleans unconverted; kept as given. */
export const eventAttrValue = z.custom<Scalar>(isScalar, {
  error: "Attribute values must be a string, number, boolean or null.",
});
/** User attribute value: a scalar, or a list (arrays kept as given). `null` is a tag without value. */
export type UserAttributeValue = Scalar | Array<string | number | boolean>;
export const userAttrValue = z.custom<UserAttributeValue>(
  (v) => isScalar(v) || (Array.isArray(v) && v.every((e) => e !== null && isScalar(e))),
  { error: "User attribute values must be a string, number, boolean, null or an array of those." },
);
export const eventAttrs = opt(z.record(z.string(), eventAttrValue));

export const requiredMsg = (field: string) => `Required event field "${field}" is missing or empty.`;

/** Required non-blank string (null, missing, "" and whitespace-only all fail with the same message). */
export function requiredString(field: string) {
  const missing = requiredMsg(field);
  return z.preprocess(
    absent,
    z
      .string({ error: (iss) => (iss.input === undefined ? missing : `Event field "${field}" must be a string.`) })
      .refine((s) => s.trim().length > 0, { error: missing }),
  );
}

/** Required enum matched case-insensitively; `aliases` maps other spellings (lower-case keys). */
export function requiredEnum<const T extends readonly [string, ...string[]]>(
  field: string,
  values: T,
  aliases: Record<string, T[number]> = {},
) {
  const lookup = new Map<string, T[number]>(values.map((v) => [v.toLowerCase(), v]));
  for (const [k, v] of Object.entries(aliases)) lookup.set(k, v);
  const missing = requiredMsg(field);
  return z.preprocess(
    (v) => (typeof v === "string" ? (lookup.get(v.trim().toLowerCase()) ?? v) : absent(v)),
    z.enum(values, {
      error: (iss) =>
        iss.input === undefined || iss.input === ""
          ? missing
          : `Event field "${field}" must be one of: ${values.join(", ")}.`,
    }),
  );
}

// ---------------------------------------------------------------------------------------------
// MPID
// ---------------------------------------------------------------------------------------------

export const INT64_MIN = -(2n ** 63n);
export const INT64_MAX = 2n ** 63n - 1n;
export const INTEGER_STRING = /^-?\d{1,20}$/;
export const MPID_ERROR = "MPID must be a signed 64-bit integer (JSON number or decimal string).";

/**
 * Normalises an MPID to its decimal string; `undefined` for none (absent, null, "", 0) and `null`
 * when the value is not a 64-bit integer. A JSON number beyond 2^53 has already lost precision when
 * parsed; it is rendered with JavaScript's shortest round-trip form, which is the text a JS client
 * (Node SDK) put on the wire, so the same client number always yields the same string.
 */
export function normalizeMpid(v: unknown): string | undefined | null {
  if (v === undefined || v === null || v === "") return undefined;
  if (typeof v === "number") {
    if (!Number.isInteger(v) || v < -9223372036854775808 || v >= 9223372036854775808) return null;
    return v === 0 ? undefined : String(v);
  }
  if (typeof v === "string") {
    const s = v.trim();
    if (!INTEGER_STRING.test(s)) return null;
    const n = BigInt(s);
    if (n < INT64_MIN || n > INT64_MAX) return null;
    return n === 0n ? undefined : n.toString();
  }
  return null;
}

/** MPID field: number or string in, canonical decimal string (or absent) out. */
export const mpidSchema = z.preprocess((v, ctx) => {
  const mpid = normalizeMpid(v);
  if (mpid === null) ctx.addIssue({ code: "custom", message: MPID_ERROR, input: v });
  return mpid;
}, z.string().optional());
