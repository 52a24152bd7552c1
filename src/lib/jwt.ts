/**
 * HS256 JSON Web Tokens with WebCrypto, signed with the token keys (src/lib/token-keys.ts: TOKEN_SIGNING_KEY(S),
 * never the keys that seal secrets); the header's `kid` names the key.
 */
import { type TokenKeyEnv, tokenKeys } from "./token-keys";

const enc = new TextEncoder();
const dec = new TextDecoder();

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

/** Signs `claims` as a compact HS256 JWT under the current token key; the header names it (`kid`). */
export async function signJwt(env: TokenKeyEnv, claims: JwtClaims): Promise<string> {
  const { signing } = await tokenKeys(env);
  const head = b64url(enc.encode(JSON.stringify({ alg: "HS256", typ: "JWT", kid: signing.kid })));
  const body = b64url(enc.encode(JSON.stringify(claims)));
  const sig = await crypto.subtle.sign("HMAC", signing.key, enc.encode(`${head}.${body}`));
  return `${head}.${body}.${b64url(new Uint8Array(sig))}`;
}

/** Verifies signature, `alg`, expiry and (when given) audience; returns the claims or null. */
export async function verifyJwt(env: TokenKeyEnv, token: string, opts: { audience?: string; now?: number } = {}): Promise<JwtClaims | null> {
  const parts = token.split(".");
  if (parts.length !== 3) return null;
  const [head, body, sig] = parts as [string, string, string];
  try {
    const header = JSON.parse(dec.decode(fromB64url(head))) as { alg?: string; kid?: unknown };
    if (header.alg !== "HS256" || typeof header.kid !== "string") return null;
    // Only a key of the token ring verifies; a token without a key id (signed before the split) is refused.
    const key = (await tokenKeys(env)).verifying.get(header.kid);
    if (!key) return null;
    const ok = await crypto.subtle.verify("HMAC", key, fromB64url(sig), enc.encode(`${head}.${body}`));
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
