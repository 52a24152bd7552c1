/**
 * Signing of HTTPS rule calls (docs/rules.md "Signing"), after the Stripe / Standard Webhooks conventions
 * (partners.md §11): `x-edge-cdp-timestamp` (unix seconds) and `x-edge-cdp-signature: v1=<hex HMAC-SHA256 of
 * "{timestamp}.{raw body}" under the rule's secret>`. Receivers recompute it over the raw bytes, compare in
 * constant time and refuse timestamps more than 5 minutes away.
 */
import { hmacSha256Hex, timingSafeEqualStr } from "../lib/crypto";
import { randomToken } from "../lib/ids";

export const TIMESTAMP_HEADER = "x-edge-cdp-timestamp";
export const SIGNATURE_HEADER = "x-edge-cdp-signature";
/** Largest clock difference a receiver should accept. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

/** A new per-rule signing secret (shown once, stored sealed). */
export function newRuleSecret(): string {
  return `rsec_${randomToken(32)}`;
}

/** The signature headers of one call. */
export async function signatureHeaders(secret: string, body: string, now = Date.now()): Promise<Record<string, string>> {
  const ts = String(Math.floor(now / 1000));
  return { [TIMESTAMP_HEADER]: ts, [SIGNATURE_HEADER]: `v1=${await hmacSha256Hex(secret, `${ts}.${body}`)}` };
}

/** Verifies a call's signature the way a receiver should (used by tests and the example). */
export async function verifySignature(secret: string, body: string, headers: Headers, now = Date.now()): Promise<boolean> {
  const ts = headers.get(TIMESTAMP_HEADER) ?? "";
  const sig = headers.get(SIGNATURE_HEADER) ?? "";
  if (!/^\d+$/.test(ts) || Math.abs(now / 1000 - Number(ts)) > SIGNATURE_TOLERANCE_SECONDS) return false;
  const expected = `v1=${await hmacSha256Hex(secret, `${ts}.${body}`)}`;
  return sig.split(" ").some((s) => timingSafeEqualStr(s, expected));
}
