/**
 * HS256 JSON Web Tokens with WebCrypto. The HMAC key is derived from CONFIG_ENCRYPTION_KEY with HKDF
 * (info "edge-cdp jwt v1"), so signing tokens needs no secret of its own.
 */

const enc = new TextEncoder();
const dec = new TextDecoder();
const HKDF_INFO = "edge-cdp jwt v1";

export type JwtClaims = { iss?: string; sub?: string; aud?: string; iat: number; exp: number; [k: string]: unknown };

function b64url(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromB64url(s: string): Uint8Array {
  const bin = atob(s.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((s.length + 3) % 4));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

const keys = new Map<string, Promise<CryptoKey>>();

/** The HMAC-SHA256 signing key derived (HKDF-SHA256) from the base64 CONFIG_ENCRYPTION_KEY. */
export function jwtKey(base64Key: string): Promise<CryptoKey> {
  let k = keys.get(base64Key);
  if (!k) {
    k = (async () => {
      const raw = Uint8Array.from(atob(base64Key), (c) => c.charCodeAt(0));
      const ikm = await crypto.subtle.importKey("raw", raw, "HKDF", false, ["deriveKey"]);
      return crypto.subtle.deriveKey(
        { name: "HKDF", hash: "SHA-256", salt: new Uint8Array(0), info: enc.encode(HKDF_INFO) },
        ikm,
        { name: "HMAC", hash: "SHA-256", length: 256 },
        false,
        ["sign", "verify"],
      );
    })();
    k.catch(() => keys.delete(base64Key));
    keys.set(base64Key, k);
  }
  return k;
}

/** Signs `claims` as a compact HS256 JWT. */
export async function signJwt(base64Key: string, claims: JwtClaims): Promise<string> {
  const head = b64url(enc.encode(JSON.stringify({ alg: "HS256", typ: "JWT" })));
  const body = b64url(enc.encode(JSON.stringify(claims)));
  const sig = await crypto.subtle.sign("HMAC", await jwtKey(base64Key), enc.encode(`${head}.${body}`));
  return `${head}.${body}.${b64url(new Uint8Array(sig))}`;
}

/** Verifies signature, `alg`, expiry and (when given) audience; returns the claims or null. */
export async function verifyJwt(base64Key: string, token: string, opts: { audience?: string; now?: number } = {}): Promise<JwtClaims | null> {
  const parts = token.split(".");
  if (parts.length !== 3) return null;
  const [head, body, sig] = parts as [string, string, string];
  try {
    const header = JSON.parse(dec.decode(fromB64url(head))) as { alg?: string };
    if (header.alg !== "HS256") return null;
    const ok = await crypto.subtle.verify("HMAC", await jwtKey(base64Key), fromB64url(sig), enc.encode(`${head}.${body}`));
    if (!ok) return null;
    const claims = JSON.parse(dec.decode(fromB64url(body))) as JwtClaims;
    const now = Math.floor((opts.now ?? Date.now()) / 1000);
    if (typeof claims.exp !== "number" || claims.exp <= now) return null;
    if (opts.audience !== undefined && claims.aud !== opts.audience) return null;
    return claims;
  } catch {
    return null;
  }
}
